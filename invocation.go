// One run of the command: what it may touch (passed in, so that tests run
// it in process), and the rendering every subcommand shares.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// newInvocation is a run on the process's stdin and environment.
func newInvocation(stdout, stderr io.Writer) *invocation {
	return &invocation{stdin: os.Stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
}

// invocation is one run of the command and what it may touch.
type invocation struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	code           int
	flags          *flagSet // the root command's options, parsed
	watchFlags     *flagSet // watch's
	// signalsHandled is closed once SIGINT and SIGTERM cancel the run's
	// context (nil: the caller's context is all there is).
	signalsHandled <-chan struct{}
}

// awaitSignals waits until a signal would end the run with a report rather
// than kill the process: called before the probe fetches and before the
// demo starts.
func (inv *invocation) awaitSignals() {
	if inv.signalsHandled != nil {
		<-inv.signalsHandled
	}
}

// render writes the report in format f; a failed write (a closed pipe)
// is said on stderr and does not change the exit code. -q silences only
// the text of an OK run: a JSON line or an exposition is always written,
// so that a history built with -o json >> FILE has no holes.
func (inv *invocation) render(rep *probe.Report, f output.Format, o output.FormatOptions) {
	if err := f.Write(inv.stdout, rep, o); err != nil {
		fmt.Fprintf(inv.stderr, "jsonprobe: writing output: %v\n", err)
	}
}
