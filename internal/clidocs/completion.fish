# fish completion for {{.Name}}, generated from its command definition (make man).
{{- $c := .FishNames}}{{$sub := join .Sub " "}}
{{- range .Commands}}{{if .Name}}
complete{{$c}} -n __fish_use_subcommand -f -a {{.Name}} -d {{fish .Desc}}
{{- end}}{{end}}
{{- range .Commands}}{{$cond := printf "__fish_seen_subcommand_from %s" .Name}}{{if not .Name}}{{$cond = printf "not __fish_seen_subcommand_from %s" $sub}}{{end}}
{{- range .Options}}
complete{{$c}} -n {{fish $cond}}{{range .Names}}{{if hasPrefix . "--"}} -l {{slice . 2}}{{else}} -s {{slice . 1}}{{end}}{{end}}
{{- if .File}} -r -F{{else if .Choices}} -x -a {{fish (join .Choices " ")}}{{else if .Value}} -x{{end}} -d {{fish .Desc}}
{{- end}}{{end}}
