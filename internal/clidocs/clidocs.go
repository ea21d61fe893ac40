//go:build gendocs

// Package clidocs writes a command's man page and its bash, zsh and fish
// completions from its urfave/cli definition: `make man` builds the
// commands with the gendocs tag (and without urfave_cli_no_docs, which
// leaves the man-page generator out of the shipped binaries) and runs them
// as `CMD man|bash|zsh|fish`. The man page is urfave/cli's; the
// completions need nothing at run time: the options, their values and the
// subcommands are written into them (completion.bash, .zsh, .fish).
package clidocs

import (
	"embed"
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"

	"github.com/urfave/cli/v2"
)

// Docs is what a command's pages are made of beyond its definition.
type Docs struct {
	App *cli.App
	// Sections are man-page sections (markdown, "# EXIT STATUS" …) after
	// the options and commands.
	Sections string
	// Choices are the values a flag takes, by its name, for completion;
	// "COMMAND NAME" for a subcommand's own.
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
	if kind == "man" {
		page, err := d.Man()
		if err == nil {
			_, err = io.WriteString(w, page)
		}
		return err
	}
	if scripts.Lookup("completion."+kind) == nil {
		return fmt.Errorf("want man, bash, zsh or fish, not %q", kind)
	}
	return scripts.ExecuteTemplate(w, "completion."+kind, d.model())
}

// Man is section 1 of the manual: urfave/cli's page, with the sections of
// d after its options and commands.
func (d Docs) Man() (string, error) {
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

//go:embed completion.*
var files embed.FS

// scripts are the completions' templates, over a model.
var scripts = template.Must(template.New("").Funcs(template.FuncMap{
	"join":      strings.Join,
	"hasPrefix": strings.HasPrefix,
	"zsh": func(name, desc string) string {
		return "'" + strings.ReplaceAll(name+":"+strings.ReplaceAll(desc, ":", `\:`), "'", `'\''`) + "'"
	},
	"fish": func(s string) string { return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'" },
}).ParseFS(files, "completion.*"))

// model is what the completions are written from: the command's names, its
// subcommands, and for each command (the root first) its options.
type model struct {
	Name, Fn string
	All      []string // every name the command is run by
	Sub      []string
	Commands []command
}

// FishNames are " -c NAME" for each name: fish loads a name's file
// (check_jsonprobe.fish is a link to this one).
func (m model) FishNames() string { return " -c " + strings.Join(m.All, " -c ") }

// command is the root ("" for its name) or a subcommand, with its options.
type command struct {
	Name, Desc           string
	Options              []option
	Names, Files, Values []string // of its options: all, taking a file, taking another value
}

// option is one flag as the completions see it.
type option struct {
	Names   []string // -u, --url
	Desc    string   // its usage's first clause
	Value   string   // the value's placeholder (FILE, URL …), "" for a switch
	File    bool
	Choices []string
}

func (d Docs) model() model {
	m := model{Name: d.App.Name, Fn: "_" + strings.ReplaceAll(d.App.Name, "-", "_"), All: append([]string{d.App.Name}, d.Also...)}
	m.Commands = []command{d.command("", "", d.App.VisibleFlags())}
	for _, c := range d.App.VisibleCommands() {
		m.Sub = append(m.Sub, c.Name)
		m.Commands = append(m.Commands, d.command(c.Name, c.Usage, c.VisibleFlags()))
	}
	return m
}

// command describes a command's flags for the completions.
func (d Docs) command(name, usage string, flags []cli.Flag) command {
	c := command{Name: name, Desc: firstClause(usage)}
	for _, f := range flags {
		df, ok := f.(cli.DocGenerationFlag)
		if !ok {
			continue
		}
		o := option{Desc: firstClause(strings.ReplaceAll(df.GetUsage(), "`", ""))}
		for _, n := range f.Names() {
			o.Names = append(o.Names, map[bool]string{true: "-", false: "--"}[len(n) == 1]+n)
		}
		c.Names = append(c.Names, o.Names...)
		if df.TakesValue() {
			o.Value = placeholder(df.GetUsage())
			o.File = strings.HasSuffix(o.Value, "FILE") || o.Value == "PATH"
			var ok bool
			if o.Choices, ok = d.Choices[name+" "+f.Names()[0]]; !ok {
				o.Choices = d.Choices[f.Names()[0]]
			}
			if o.File {
				c.Files = append(c.Files, o.Names...)
			} else {
				c.Values = append(c.Values, o.Names...)
			}
		}
		c.Options = append(c.Options, o)
	}
	return c
}

// placeholder is the `NAME` of a flag's usage, as urfave/cli's help shows
// it; VALUE when it has none.
func placeholder(usage string) string {
	if _, rest, ok := strings.Cut(usage, "`"); ok {
		if name, _, ok := strings.Cut(rest, "`"); ok {
			return name
		}
	}
	return "VALUE"
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
