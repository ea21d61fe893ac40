#compdef {{join .All " "}}
# zsh completion for {{.Name}}, generated from its command definition (make man).

{{.Fn}}() {
    local cmd= w prev=${words[CURRENT-1]}
{{- if .Sub}}
    for w in ${words[2,CURRENT-1]}; do
        case $w in ({{join .Sub "|"}}) cmd=$w; break ;; esac
    done
{{- end}}
    local -a opts files values
    case $cmd in
{{- range .Commands}}
    ({{if .Name}}{{.Name}}{{else}}""{{end}})
        opts=({{range $i, $o := .Options}}{{range $o.Names}} {{zsh . $o.Desc}}{{end}}{{end}} )
        files=({{join .Files " "}})
        values=({{join .Values " "}})
{{- range .Options}}{{if .Choices}}
        case $prev in ({{join .Names "|"}}) compadd -- {{join .Choices " "}}; return ;; esac
{{- end}}{{end}}
        ;;
{{- end}}
    esac
    if (( ${files[(Ie)$prev]} )); then
        _files
        return
    fi
    if (( ${values[(Ie)$prev]} )); then
        _message value
        return
    fi
    if [[ $PREFIX == -* ]]; then
        _describe option opts
        return
    fi
{{- if .Sub}}
    if [[ -z $cmd ]]; then
        local -a cmds=({{range .Commands}}{{if .Name}} {{zsh .Name .Desc}}{{end}}{{end}} )
        _describe command cmds
    fi
{{- end}}
    _files
}

{{.Fn}} "$@"
