//go:build gendocs

// Package doccheck reads a command's generated pages as their readers do,
// for the tests: the man page through man(1), the completions through
// bash and fish.
package doccheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/internal/clidocs"
)

// CheckMan renders the man page with man(1) as a reader sees it, 80
// columns wide, into dir: the text (without bold and underline), and what
// man and groff warned (empty when the page is clean).
func CheckMan(d clidocs.Docs, dir string) (text, warnings string, err error) {
	page, err := d.Man()
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

// Missing are the options and subcommands of d's command that text (the
// rendered page) does not name.
func Missing(d clidocs.Docs, text string) []string {
	text = Flat(text)
	var out []string
	missing := func(cmd string, flags []cli.Flag) {
		for _, f := range flags {
			for _, n := range f.Names() {
				n = map[bool]string{true: "-", false: "--"}[len(n) == 1] + n
				if !strings.Contains(text, n) {
					out = append(out, strings.TrimSpace(cmd+" "+n))
				}
			}
		}
	}
	missing("", d.App.VisibleFlags())
	for _, c := range d.App.VisibleCommands() {
		if !strings.Contains(text, c.Name) {
			out = append(out, c.Name)
		}
		missing(c.Name, c.VisibleFlags())
	}
	return out
}

// Complete runs the bash completion function in bash for the words of
// line (a trailing space: a new, empty word), in an empty folder, and
// returns its candidates.
func Complete(d clidocs.Docs, line string) ([]string, error) {
	empty, err := os.MkdirTemp("", "clidocs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(empty)
	return CompleteIn(d, empty, line)
}

// CompleteIn is Complete in the folder dir, one candidate a line. "=" is
// a word of its own, as bash's COMP_WORDBREAKS makes it.
func CompleteIn(d clidocs.Docs, dir, line string) ([]string, error) {
	var bash strings.Builder
	if err := d.Write(&bash, "bash"); err != nil {
		return nil, err
	}
	script := bash.String() + `
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
func FishComplete(d clidocs.Docs, dir, line string) ([]string, error) {
	var fish strings.Builder
	if err := d.Write(&fish, "fish"); err != nil {
		return nil, err
	}
	file := filepath.Join(dir, ".completions.fish")
	if err := os.WriteFile(file, []byte(fish.String()), 0o600); err != nil {
		return nil, err
	}
	defer os.Remove(file)
	return candidates(exec.Command("fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, file, line), dir)
}
