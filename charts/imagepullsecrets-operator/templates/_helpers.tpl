{{- define "imps.name" -}}
{{- if contains "imagepullsecrets" .Release.Name -}}{{ .Release.Name | trunc 63 }}{{- else -}}{{ printf "%s-imagepullsecrets" .Release.Name | trunc 63 }}{{- end -}}
{{- end -}}
{{- define "imps.labels" -}}
app.kubernetes.io/name: imagepullsecrets-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
