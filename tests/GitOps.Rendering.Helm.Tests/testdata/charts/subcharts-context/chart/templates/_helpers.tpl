{{- define "parent.note" }}{{ .Files.Get "note.txt" | trim }}{{ end }}
