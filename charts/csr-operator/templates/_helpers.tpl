{{- define "csr.name" -}}{{ .Release.Name }}-csr-operator{{- end -}}
{{- define "csr.labels" -}}
app.kubernetes.io/name: csr-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
