{{- /* Functions whose implementations lean on reflection-prone or culture-sensitive code paths (JSON, YAML,
       regular expressions, number formatting, hashing): the published binary must print what the JIT build prints. */ -}}
json: {{ toJson .app }}
pretty: {{ toPrettyJson .app | nindent 2 }}
yaml: {{ toYaml .app | nindent 2 }}
fromYaml: {{ (fromYaml "a: 1\nb: [x, y]").b | join "," }}
fromJson: {{ (fromJson "{\"n\": 1.5e3}").n }}
regex: {{ regexReplaceAll "(a+)b" .text "${1}X" }} {{ regexFind "[0-9]+" .text }} {{ regexMatch "^v[0-9]" "v1.2" }}
numbers: {{ printf "%.3f %d %v %e" 3.14159 42 .ratio 12345.678 }} {{ add 1 2 }} {{ div 7 2 }} {{ float64 "2.50" }}
hash: {{ sha256sum .text }} {{ b64enc .text }} {{ .text | b64enc | b64dec }}
strings: {{ .text | upper | trunc 6 | quote }} {{ splitList "," "a,b,c" | reverse | toStrings }} {{ "x" | repeat 3 }}
semver: {{ semverCompare ">=1.20.0-0" "v1.27.3" }} {{ (semver "1.2.3-beta.1").Prerelease }}
dict: {{ $d := dict "z" 1 "a" (list 1 "two" 3.5 true) }}{{ $d | toJson }} {{ keys $d | sortAlpha }}
