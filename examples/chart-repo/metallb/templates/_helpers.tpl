{{- define "metallb.labels" -}}
app.kubernetes.io/name: metallb
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}
