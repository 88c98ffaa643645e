{{- define "sdm.name" -}}sdm-operator{{- end -}}
{{- define "sdm.labels" -}}
app.kubernetes.io/name: sdm-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
