# bash completion for {{.Name}}, generated from its command definition (make man).
{{.Fn}}() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i
    # --output=VALUE: bash splits at "=" (COMP_WORDBREAKS), so the value
    # is the word after "=", the option the one before it.
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
{{- if .Sub}}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in {{join .Sub "|"}}) cmd=${COMP_WORDS[i]}; break ;; esac
    done
{{- end}}
    local opts= files= values=
    case $cmd in
{{- range .Commands}}
    {{if .Name}}{{.Name}}{{else}}""{{end}})
        opts={{printf "%q" (join .Names " ")}}
        files={{printf "%q" (printf " %s " (join .Files " "))}}
        values={{printf "%q" (printf " %s " (join .Values " "))}}
        case $prev in
{{- range .Options}}{{if .Choices}}
            {{join .Names "|"}}) mapfile -t COMPREPLY < <(compgen -W {{printf "%q" (join .Choices " ")}} -- "$cur"); return ;;
{{- end}}{{end}}
        esac
        ;;
{{- end}}
    esac
    # One candidate a line (mapfile), and -o filenames: a file name with
    # spaces is one candidate, quoted as bash quotes it.
    if [[ $files == *" $prev "* ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
    fi
    if [[ $values == *" $prev "* ]]; then
        COMPREPLY=()
        return
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
        return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <({{if .Sub}}[[ -z $cmd ]] && compgen -W {{printf "%q" (join .Sub " ")}} -- "$cur"; {{end}}compgen -f -- "$cur")
}
complete -F {{.Fn}} {{join .All " "}}
