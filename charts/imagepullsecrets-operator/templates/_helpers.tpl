{{- define "imps.name" -}}{{ .Release.Name }}-imagepullsecrets{{- end -}}
{{- define "imps.labels" -}}
app.kubernetes.io/name: imagepullsecrets-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
