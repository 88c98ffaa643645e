{{- define "csr.name" -}}
{{- if contains "csr-operator" .Release.Name -}}{{ .Release.Name | trunc 63 }}{{- else -}}{{ printf "%s-csr-operator" .Release.Name | trunc 63 }}{{- end -}}
{{- end -}}
{{- define "csr.labels" -}}
app.kubernetes.io/name: csr-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
