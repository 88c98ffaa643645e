{{- define "supertubes.name" -}}
{{- if contains "supertubes" .Release.Name -}}{{ .Release.Name | trunc 63 }}{{- else -}}{{ printf "%s-supertubes" .Release.Name | trunc 63 }}{{- end -}}
{{- end -}}
{{- define "supertubes.labels" -}}
app.kubernetes.io/name: supertubes
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
