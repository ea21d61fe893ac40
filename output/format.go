package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/jsonprobe/jsonprobe/probe"
)

// Format is an output format of a run, as -o names it.
type Format struct {
	Name string
	// Write renders r. A format's text is silenced by -q on an OK run
	// unless it is a record (a JSON line, an exposition), which a log or a
	// collector wants whatever the state.
	Write func(w io.Writer, r *probe.Report, o FormatOptions) error
}

// FormatOptions are the choices of a run that a format may follow.
type FormatOptions struct {
	Quiet   bool     // -q: no text for an OK run
	Verbose bool     // -v: every check explained
	Exports []Export // values under metric names of their own
}

// Formats are the output formats, in the order the help lists them; the
// first is the default.
var Formats = []Format{
	{Name: "nagios", Write: func(w io.Writer, r *probe.Report, o FormatOptions) error {
		if o.Quiet && r.State == probe.OK {
			return nil
		}
		return Nagios(w, r, NagiosOptions{Verbose: o.Verbose})
	}},
	{Name: "json", Write: func(w io.Writer, r *probe.Report, _ FormatOptions) error { return JSON(w, r) }},
	// The push is the output (its sink sends it); cron mails only what
	// goes wrong, and -v shows the checks.
	{Name: "kuma", Write: func(w io.Writer, r *probe.Report, o FormatOptions) error {
		if !o.Verbose || o.Quiet && r.State == probe.OK {
			return nil
		}
		return Nagios(w, r, NagiosOptions{Verbose: true})
	}},
	{Name: "prometheus", Write: func(w io.Writer, r *probe.Report, o FormatOptions) error {
		return Prometheus(w, r, PrometheusOptions{Target: true, Exports: o.Exports})
	}},
}

// FormatNames are the names of the Formats, in order.
func FormatNames() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// FormatNamed is the format called name ("" for the default); the error
// lists the others.
func FormatNamed(name string) (Format, error) {
	if name == "" {
		return Formats[0], nil
	}
	for _, f := range Formats {
		if f.Name == name {
			return f, nil
		}
	}
	names := FormatNames()
	return Format{}, fmt.Errorf("--output %q: want %s or %s", name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}
