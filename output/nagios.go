package output

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// NagiosOptions changes what Nagios writes.
type NagiosOptions struct {
	// Verbose adds, after the long output, how the probe went (target, HTTP
	// status, size, timings) and every value each check read: the -v of
	// the monitoring-plugins guidelines.
	Verbose bool
}

// statusPrefix begins every status line: "JSONPROBE <STATE> - ".
func statusPrefix(state probe.State) string { return "JSONPROBE " + state.String() + " - " }

// StatusLine writes a status line without perfdata or long output,
// "JSONPROBE <STATE> - <text>", for what is not a probe's report: a usage
// error, an internal error, the --check-config summary. The text goes
// through OneLine.
func StatusLine(w io.Writer, state probe.State, text string) error {
	_, err := io.WriteString(w, statusPrefix(state)+OneLine(text)+"\n")
	return err
}

// Nagios writes r as Nagios plugin output: the status line, then long output.
//
// The status line is "JSONPROBE <STATE> - <summary> | <perfdata>", the
// " | <perfdata>" left out when there is none. The long output has one line
// per outcome, worst first, "<STATE> <name>: <message>", preceded by
// "<STATE> fetch: <error>" when the document could not be read:
//
//	JSONPROBE WARNING - goroutines=2156 > 2000 | goroutines=2156;~:2000;~:5000 time=0.004s;~:1;~:5;0 size=112B;;;0
//	WARNING goroutines: goroutines > 2000 (got 2156)
//	OK status: status != "ok" (got "ok")
//
// Text never holds a "|" (written "¦" instead) nor a line break, so the
// cores find the perfdata after the first line's single "|" and nowhere
// else; see cleanText. Lines end in "\n".
func Nagios(w io.Writer, r *probe.Report, opt NagiosOptions) error {
	if r == nil {
		return errors.New("write nagios output: no report")
	}
	var b strings.Builder
	b.WriteString(statusPrefix(r.State))
	b.WriteString(cleanText(r.Summary(), maxSummary))
	if perf := PerfData(r.Perf); perf != "" {
		b.WriteString(" | ")
		b.WriteString(perf)
	}
	b.WriteByte('\n')

	if r.Err != nil {
		// The state of a fetch error is the on_error state, which is the
		// report's state: nothing else can be evaluated without a document.
		line(&b, r.State.String()+" fetch: "+r.Err.Error())
	}
	sorted := r.Sorted()
	for _, o := range sorted {
		msg := o.Message
		if msg == "" {
			msg = o.Expr
		}
		line(&b, o.State.String()+" "+outcomeName(o)+": "+msg)
	}
	writeParts(&b, r.PartsNoun+" grown since the previous run:", r.Grew(maxParts))

	if opt.Verbose {
		writeVerbose(&b, r, sorted)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write nagios output: %w", err)
	}
	return nil
}

// writeVerbose writes the -v explanation: the probe's facts, then each
// outcome with the values its evaluation read and its error.
func writeVerbose(b *strings.Builder, r *probe.Report, sorted []probe.Outcome) {
	line(b, "target: "+r.Target)
	if r.HTTPStatus > 0 {
		line(b, "http status: "+strconv.Itoa(r.HTTPStatus))
	}
	line(b, "size: "+strconv.Itoa(r.Size)+" bytes")
	line(b, "fetch time: "+seconds(r.FetchTime))
	line(b, "duration: "+seconds(r.Duration))
	if r.Document != "" {
		line(b, "document: "+r.Document)
		writeParts(b, "largest "+r.PartsNoun+":", r.Largest(maxParts))
	}
	for _, o := range sorted {
		head := "check " + outcomeName(o) + ": " + o.State.String()
		if o.Level != "" || o.Expr != "" {
			head += " (" + string(o.Level) + ": " + o.Expr + ")"
		}
		line(b, head)
		seen := map[string]bool{}
		for _, obs := range o.Observations {
			// Both levels read the same operand: each value once.
			if l := "  " + obs.Subject + " = " + obs.Value.String(); !seen[l] {
				seen[l] = true
				line(b, l)
			}
		}
		if o.Err != nil {
			line(b, "  error: "+o.Err.Error())
		}
	}
}

// maxParts is how many of a document's parts (a profile's stacks) the
// outputs name: the largest, and those that grew most.
const maxParts = 5

// writeParts writes parts under head, indented; nothing when there are
// none.
func writeParts(b *strings.Builder, head string, parts []string) {
	if len(parts) == 0 {
		return
	}
	line(b, head)
	for _, p := range parts {
		line(b, "  "+p)
	}
}

// line writes s as one cleaned line of long output. Its indent is kept.
func line(b *strings.Builder, s string) {
	indent := s[:len(s)-len(strings.TrimLeft(s, " "))]
	b.WriteString(indent)
	b.WriteString(cleanText(s, maxLine))
	b.WriteByte('\n')
}

// outcomeName is the outcome's name, or its expression when it has none.
func outcomeName(o probe.Outcome) string {
	if o.Name != "" {
		return o.Name
	}
	return o.Expr
}

// seconds formats d in seconds to the microsecond, e.g. "0.004123s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Round(time.Microsecond).Seconds(), 'f', -1, 64) + "s"
}
