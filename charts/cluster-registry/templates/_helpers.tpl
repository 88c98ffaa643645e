{{- define "cluster-registry.labels" -}}
app.kubernetes.io/name: cluster-registry
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sdm
{{- end -}}
{{- define "cluster-registry.secretNamespaces" -}}
{{- if .Values.secretNamespaces -}}{{ toJson .Values.secretNamespaces }}{{- else -}}{{ toJson (list .Release.Namespace) }}{{- end -}}
{{- end -}}
