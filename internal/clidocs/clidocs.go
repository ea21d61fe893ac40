//go:build gendocs

// Package clidocs writes a command's man page and its bash, zsh and fish
// completions from its urfave/cli definition: `make man` builds the
// commands with the gendocs tag (and without urfave_cli_no_docs, which
// leaves the man-page generator out of the shipped binaries) and runs them
// as `CMD man|bash|zsh|fish`.
package clidocs

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// Docs is what a command's pages are made of beyond its definition.
type Docs struct {
	App *cli.App
	// Sections are man-page sections (markdown, "# EXIT STATUS" …) after
	// the options and commands.
	Sections string
	// Choices are the values a flag takes, by its name, for completion.
	Choices map[string][]string
	// Also are other names the command is run by (check_jsonprobe), for
	// the completions.
	Also []string
}

// Main answers `CMD man|bash|zsh|fish` with that page of docs() on
// stdout, exiting 1 when it cannot be made; for any other arguments it says
// false and the command runs as usual.
func Main(args []string, docs func() Docs) bool {
	if len(args) != 2 || (args[1] != "man" && args[1] != "bash" && args[1] != "zsh" && args[1] != "fish") {
		return false
	}
	d := docs()
	if err := d.Write(os.Stdout, args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", d.App.Name, err)
		os.Exit(1)
	}
	return true
}

// Write writes the page kind names (man, bash, zsh, fish) to w.
func (d Docs) Write(w io.Writer, kind string) error {
	var s string
	var err error
	switch kind {
	case "man":
		s, err = d.man()
	case "bash":
		s = d.bash()
	case "zsh":
		s = d.zsh()
	case "fish":
		s = d.fish()
	default:
		return fmt.Errorf("want man, bash, zsh or fish, not %q", kind)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s)
	return err
}

// man is section 1 of the manual: urfave/cli's page, with the sections
// of d after its options and commands.
func (d Docs) man() (string, error) {
	saved := cli.MarkdownDocTemplate
	defer func() { cli.MarkdownDocTemplate = saved }()
	cli.MarkdownDocTemplate = saved + "\n" + d.Sections
	page, err := d.App.ToManWithSection(1)
	// urfave/cli writes each option as if its value defaulted to "" and
	// its synopsis as [--x]=[value]: the usage names the value (FILE, DUR)
	// and the default when there is one.
	page = strings.NewReplacer(`\fP="": `, `\fP: `, `]=[value]`, `] VALUE`).Replace(page)
	return page, err
}

// option is one flag as the completions see it.
type option struct {
	names   []string // -u, --url
	usage   string
	value   string // the value's placeholder (FILE, URL …), "" for a switch
	choices []string
}

func (o option) file() bool {
	return strings.HasSuffix(o.value, "FILE") || o.value == "PATH"
}

// command is the root or a subcommand, with its options.
type command struct {
	name, usage string
	options     []option
	files       bool // its arguments are files (or URLs)
}

// subcommands are the names of cmds after the root.
func subcommands(cmds []command) []string {
	var out []string
	for _, c := range cmds[1:] {
		out = append(out, c.name)
	}
	return out
}

// label is c's pattern in a shell's case: its name, "" for the root.
func (c command) label() string {
	if c.name == "" {
		return `""`
	}
	return c.name
}

// valued are the names of c's options that take a file, and of those that
// take another value.
func (c command) valued() (files, values []string) {
	for _, o := range c.options {
		switch {
		case o.file():
			files = append(files, o.names...)
		case o.value != "":
			values = append(values, o.names...)
		}
	}
	return files, values
}

func (d Docs) commands() []command {
	root := command{options: d.options(d.App.VisibleFlags()), files: true}
	cmds := []command{root}
	for _, c := range d.App.VisibleCommands() {
		cmds = append(cmds, command{name: c.Name, usage: c.Usage, options: d.options(c.VisibleFlags()), files: c.ArgsUsage != ""})
	}
	return cmds
}

func (d Docs) options(flags []cli.Flag) []option {
	var out []option
	for _, f := range flags {
		df, ok := f.(cli.DocGenerationFlag)
		if !ok {
			continue
		}
		o := option{usage: df.GetUsage()}
		for _, n := range f.Names() {
			if len(n) == 1 {
				o.names = append(o.names, "-"+n)
			} else {
				o.names = append(o.names, "--"+n)
			}
		}
		if df.TakesValue() {
			o.value = placeholder(o.usage)
			if o.value == "" {
				o.value = "VALUE"
			}
			o.choices = d.Choices[f.Names()[0]]
		}
		o.usage = strings.ReplaceAll(o.usage, "`", "")
		out = append(out, o)
	}
	return out
}

// placeholder is the `NAME` of a flag's usage, as urfave/cli's help shows
// it.
func placeholder(usage string) string {
	i := strings.IndexByte(usage, '`')
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(usage[i+1:], '`')
	if j < 0 {
		return ""
	}
	return usage[i+1 : i+1+j]
}

// bash is a completion function that needs nothing at run time: the
// options, their values and the subcommands are in it.
func (d Docs) bash() string {
	name := d.App.Name
	fn := "_" + strings.ReplaceAll(name, "-", "_")
	var b strings.Builder
	fmt.Fprintf(&b, "# bash completion for %s, generated from its command definition (make man).\n", name)
	fmt.Fprintf(&b, "%s() {\n", fn)
	b.WriteString("    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n")
	// --output=VALUE: bash splits at "=" (COMP_WORDBREAKS), so the value
	// is the word after "=", the option the one before it.
	b.WriteString(`    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
`)
	cmds := d.commands()
	sub := subcommands(cmds)
	if len(sub) > 0 {
		b.WriteString("    for ((i = 1; i < COMP_CWORD; i++)); do\n")
		fmt.Fprintf(&b, "        case ${COMP_WORDS[i]} in %s) cmd=${COMP_WORDS[i]}; break ;; esac\n", strings.Join(sub, "|"))
		b.WriteString("    done\n")
	}
	b.WriteString("    local opts= files= values=\n    case $cmd in\n")
	for _, c := range cmds {
		var opts []string
		for _, o := range c.options {
			opts = append(opts, o.names...)
		}
		files, values := c.valued()
		fmt.Fprintf(&b, "    %s)\n        opts=%q\n        files=%q\n        values=%q\n", c.label(), strings.Join(opts, " "), " "+strings.Join(files, " ")+" ", " "+strings.Join(values, " ")+" ")
		var choices []string
		for _, o := range c.options {
			if len(o.choices) > 0 {
				choices = append(choices, fmt.Sprintf("            %s) mapfile -t COMPREPLY < <(compgen -W %q -- \"$cur\"); return ;;\n", strings.Join(o.names, "|"), strings.Join(o.choices, " ")))
			}
		}
		if len(choices) > 0 {
			b.WriteString("        case $prev in\n" + strings.Join(choices, "") + "        esac\n")
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString("    esac\n")
	// One candidate a line (mapfile), and -o filenames: a file name
	// with spaces is one candidate, quoted as bash quotes it.
	b.WriteString(`    if [[ $files == *" $prev "* ]]; then
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
`)
	words := ""
	if len(sub) > 0 {
		words = fmt.Sprintf("[[ -z $cmd ]] && compgen -W %q -- \"$cur\"; ", strings.Join(sub, " "))
	}
	fmt.Fprintf(&b, "    mapfile -t COMPREPLY < <(%scompgen -f -- \"$cur\")\n}\n", words)
	fmt.Fprintf(&b, "complete -F %s %s\n", fn, strings.Join(append([]string{name}, d.Also...), " "))
	return b.String()
}

// zsh is the completion function for zsh's fpath (#compdef), with the
// options described.
func (d Docs) zsh() string {
	name := d.App.Name
	fn := "_" + strings.ReplaceAll(name, "-", "_")
	var b strings.Builder
	fmt.Fprintf(&b, "#compdef %s\n# zsh completion for %s, generated from its command definition (make man).\n\n", strings.Join(append([]string{name}, d.Also...), " "), name)
	fmt.Fprintf(&b, "%s() {\n    local cmd= w prev=${words[CURRENT-1]}\n", fn)
	cmds := d.commands()
	sub := subcommands(cmds)
	if len(sub) > 0 {
		fmt.Fprintf(&b, "    for w in ${words[2,CURRENT-1]}; do\n        case $w in (%s) cmd=$w; break ;; esac\n    done\n", strings.Join(sub, "|"))
	}
	b.WriteString("    local -a opts files values\n    case $cmd in\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "    (%s)\n", c.label())
		var opts []string
		for _, o := range c.options {
			for _, n := range o.names {
				opts = append(opts, zshQuote(n+":"+strings.ReplaceAll(firstClause(o.usage), ":", `\:`)))
			}
		}
		files, values := c.valued()
		fmt.Fprintf(&b, "        opts=(%s)\n        files=(%s)\n        values=(%s)\n", strings.Join(opts, " "), strings.Join(files, " "), strings.Join(values, " "))
		for _, o := range c.options {
			if len(o.choices) > 0 {
				fmt.Fprintf(&b, "        case $prev in (%s) compadd -- %s; return ;; esac\n", strings.Join(o.names, "|"), strings.Join(o.choices, " "))
			}
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString(`    esac
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
`)
	if len(sub) > 0 {
		var descs []string
		for _, c := range cmds[1:] {
			descs = append(descs, zshQuote(c.name+":"+strings.ReplaceAll(firstClause(c.usage), ":", `\:`)))
		}
		fmt.Fprintf(&b, "    if [[ -z $cmd ]]; then\n        local -a cmds=(%s)\n        _describe command cmds\n    fi\n", strings.Join(descs, " "))
	}
	fmt.Fprintf(&b, "    _files\n}\n\n%s \"$@\"\n", fn)
	return b.String()
}

// fish is the completions for fish's vendor_completions.d: the
// subcommands, and each command's options with their values (files for a
// FILE, the choices, or none).
func (d Docs) fish() string {
	name := d.App.Name
	// Every line for each name the command is run by: fish loads a
	// name's file (check_jsonprobe.fish is a link to this one).
	cs := ""
	for _, n := range append([]string{name}, d.Also...) {
		cs += " -c " + n
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# fish completion for %s, generated from its command definition (make man).\n", name)
	cmds := d.commands()
	sub := subcommands(cmds)
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "complete%s -n __fish_use_subcommand -f -a %s -d %s\n", cs, c.name, fishQuote(firstClause(c.usage)))
	}
	for _, c := range cmds {
		cond := "__fish_seen_subcommand_from " + c.name
		if c.name == "" {
			cond = "not __fish_seen_subcommand_from " + strings.Join(sub, " ")
		}
		for _, o := range c.options {
			fmt.Fprintf(&b, "complete%s -n %s", cs, fishQuote(cond))
			for _, n := range o.names {
				if strings.HasPrefix(n, "--") {
					fmt.Fprintf(&b, " -l %s", n[2:])
				} else {
					fmt.Fprintf(&b, " -s %s", n[1:])
				}
			}
			switch {
			case o.file():
				b.WriteString(" -r -F")
			case len(o.choices) > 0:
				fmt.Fprintf(&b, " -x -a %s", fishQuote(strings.Join(o.choices, " ")))
			case o.value != "":
				b.WriteString(" -x")
			}
			fmt.Fprintf(&b, " -d %s\n", fishQuote(firstClause(o.usage)))
		}
	}
	return b.String()
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// firstClause is a usage up to its first " (" or "; ", for a one-line
// description.
func firstClause(s string) string {
	for _, sep := range []string{" (", "; "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// CheckMan renders the man page with man(1) as a reader sees it, 80
// columns wide, into dir: the text (without bold and underline), and what
// man and groff warned (empty when the page is clean).
func (d Docs) CheckMan(dir string) (text, warnings string, err error) {
	page, err := d.man()
	if err != nil {
		return "", "", err
	}
	file := filepath.Join(dir, d.App.Name+".1")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		return "", "", err
	}
	var out, errs bytes.Buffer
	cmd := exec.Command("man", "--warnings", "-l", file)
	cmd.Env = append(os.Environ(), "MANWIDTH=80", "MAN_KEEP_FORMATTING=0", "LC_ALL=C.UTF-8")
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		return "", "", fmt.Errorf("man: %w: %s", err, errs.String())
	}
	// Bold and underline as the pager gets them (overstrikes), dropped.
	text = regexp.MustCompile(".\b").ReplaceAllString(out.String(), "")
	return text, errs.String(), nil
}

// Missing are the options and subcommands of the definition that text
// (the rendered page) does not name.
func (d Docs) Missing(text string) []string {
	text = Flat(text)
	var out []string
	for _, c := range d.commands() {
		if c.name != "" && !strings.Contains(text, c.name) {
			out = append(out, c.name)
		}
		for _, o := range c.options {
			for _, n := range o.names {
				if !strings.Contains(text, n) {
					out = append(out, strings.TrimSpace(c.name+" "+n))
				}
			}
		}
	}
	return out
}

// Complete runs the bash completion function in bash for the words of
// line (a trailing space: a new, empty word), in an empty folder, and
// returns its candidates.
func (d Docs) Complete(line string) ([]string, error) {
	empty, err := os.MkdirTemp("", "clidocs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(empty)
	return d.CompleteIn(empty, line)
}

// CompleteIn is Complete in the folder dir, one candidate a line. "=" is
// a word of its own, as bash's COMP_WORDBREAKS makes it.
func (d Docs) CompleteIn(dir, line string) ([]string, error) {
	script := d.bash() + `
read -ra COMP_WORDS <<< "$LINE"
[[ $LINE == *" " ]] && COMP_WORDS+=("")
[[ ${COMP_WORDS[-1]} == "" && ${COMP_WORDS[-2]} == = ]] && unset 'COMP_WORDS[-1]' # "--output=": the word is "="
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$LINE COMP_POINT=${#LINE}
COMPREPLY=()
` + "_" + strings.ReplaceAll(d.App.Name, "-", "_") + ` "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
`
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "LINE="+strings.ReplaceAll(line, "=", " = "))
	return candidates(cmd, dir)
}

// candidates runs a shell's completion in dir: one candidate a line, a
// tab before its description (fish's), if any.
func candidates(cmd *exec.Cmd, dir string) ([]string, error) {
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", cmd.Path, err, out)
	}
	got := []string{}
	for l := range strings.Lines(string(out)) {
		if c, _, _ := strings.Cut(strings.TrimSuffix(l, "\n"), "\t"); c != "" {
			got = append(got, c)
		}
	}
	return got, nil
}

// Flat is a rendered page on one line: words split at a line's end by
// hyphenation joined, runs of spaces one space, for a search.
func Flat(text string) string {
	text = regexp.MustCompile("\u2010\n\\s*").ReplaceAllString(text, "")
	return strings.Join(strings.Fields(text), " ")
}

// FishComplete runs fish's completion of line (fish -c complete -C) with
// the generated completions sourced, in the folder dir: the candidates,
// without their descriptions.
func (d Docs) FishComplete(dir, line string) ([]string, error) {
	file := filepath.Join(dir, ".completions.fish")
	if err := os.WriteFile(file, []byte(d.fish()), 0o600); err != nil {
		return nil, err
	}
	defer os.Remove(file)
	return candidates(exec.Command("fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, file, line), dir)
}
