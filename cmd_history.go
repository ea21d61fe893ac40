// jsonprobe history: the summary of a -o json history.
package main

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/output"
)

// history prints the per-metric summary of a JSON-lines history file.
func (inv *invocation) history(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("history: give one FILE, written by jsonprobe -o json >> FILE")
	}
	var data io.Reader = inv.stdin
	if name := c.Args().First(); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return usagef("history %q: %s", name, strings.TrimPrefix(err.Error(), "open "+name+": "))
		}
		defer f.Close()
		data = f
	}
	h, err := output.ReadHistory(data)
	if err != nil {
		return usageError{err}
	}
	if h.Runs == 0 {
		return usagef("history %q: no jsonprobe JSON results in %d lines", c.Args().First(), h.Lines)
	}
	if err := output.WriteHistory(inv.stdout, h, c.Bool("sparkline") || isTerminal(inv.stdout)); err != nil {
		fmt.Fprintf(inv.stderr, "jsonprobe: writing output: %v\n", err)
	}
	return nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
