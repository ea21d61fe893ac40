package output

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/jsonprobe/jsonprobe/probe"
)

// PrometheusOptions changes what Prometheus writes.
type PrometheusOptions struct {
	// Target adds target="<the report's target>" to every series: for the
	// textfile collector (-o prometheus, --prom-file), where no scrape
	// tells the series apart. The exporter's /probe leaves it out, as
	// blackbox_exporter does: Prometheus adds instance by relabeling.
	Target bool
	// Exports are the values that have a metric name of their own (the
	// checks file's prometheus:); every other value is jsonprobe_value.
	Exports []Export
}

// The metric names are a contract: dashboards and alert rules use them.
const (
	// PrometheusContentType is the text exposition format's media type.
	PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

	stateHelp = "0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN"
)

// Prometheus writes r in the Prometheus text exposition format:
// probe_success (1 when the state is OK or WARNING), probe_duration_seconds,
// probe_http_status_code, probe_http_content_length, jsonprobe_state,
// jsonprobe_check_state{check} for each check and alerting metric, the
// warning and critical thresholds of plain comparisons
// (jsonprobe_check_warning_threshold{check}, …_critical_threshold), and each
// numeric value read as jsonprobe_value{path} or under its export's name.
func Prometheus(w io.Writer, r *probe.Report, opts PrometheusOptions) error {
	p := promWriter{w: bufio.NewWriter(w)}
	if opts.Target {
		p.base = `target="` + escapeLabel(r.Target) + `"`
	}
	success := 0.0
	if r.State == probe.OK || r.State == probe.Warning {
		success = 1
	}
	p.family("probe_success", "Whether the probe succeeded: 1 when its state is OK or WARNING, 0 when CRITICAL or UNKNOWN.", series{v: success})
	p.family("probe_duration_seconds", "How long the probe took, in seconds.", series{v: r.Duration.Seconds()})
	p.family("probe_http_status_code", "The HTTP status code of the response; 0 when there was none.", series{v: float64(r.HTTPStatus)})
	p.family("probe_http_content_length", "The bytes of the response body read.", series{v: float64(r.Size)})
	p.family("jsonprobe_state", "The probe's state: "+stateHelp+".", series{v: float64(r.State)})
	states, warn, crit := checkSeries(r)
	p.family("jsonprobe_check_state", "Each check's state: "+stateHelp+".", states...)
	p.family("jsonprobe_check_warning_threshold", "The warning threshold of a check that is a plain comparison.", warn...)
	p.family("jsonprobe_check_critical_threshold", "The critical threshold of a check that is a plain comparison.", crit...)
	exported := make(map[string]Export, len(opts.Exports))
	for _, e := range opts.Exports {
		exported[e.Path] = e
	}
	var values []series
	for _, v := range r.Values {
		if e, ok := exported[v.Path]; ok {
			help := e.Help
			if help == "" {
				help = "The document value at " + v.Path + "."
			}
			p.family(e.Name, help, series{v: v.Value})
		}
		// Also under its export's own name: the rules and dashboards that
		// select jsonprobe_value by path go on matching.
		name := v.Name
		if name == "" {
			name = v.Path
		}
		values = append(values, series{label: `name="` + escapeLabel(name) + `",path="` + escapeLabel(v.Path) + `"`, v: v.Value})
	}
	p.family("jsonprobe_value", "A numeric value the checks read from the document: name is its check's name (or its path), path its path.", values...)
	return p.w.Flush()
}

// series is one sample of a family: its own label pair (or none) and value.
type series struct {
	label string
	v     float64
}

// checkSeries are the per-check families: each check's and alerting
// metric's state, and the thresholds its perfdata item carries. A name
// given twice (two unnamed -w on one path) is one series with the worse
// state, since a family may not repeat a label set.
func checkSeries(r *probe.Report) (states, warn, crit []series) {
	index := map[string]int{}
	for _, o := range r.Outcomes {
		switch o.Level {
		case probe.LevelCritical, probe.LevelWarning, probe.LevelMetric:
		default:
			continue
		}
		if i, ok := index[o.Name]; ok {
			states[i].v = float64(probe.Worst(probe.State(states[i].v), o.State))
			continue
		}
		index[o.Name] = len(states)
		label := `check="` + escapeLabel(o.Name) + `"`
		states = append(states, series{label: label, v: float64(o.State)})
		for _, pf := range r.Perf {
			if pf.Label != o.Name {
				continue
			}
			if t, ok := Threshold(pf.Warn); ok {
				warn = append(warn, series{label: label, v: t})
			}
			if t, ok := Threshold(pf.Crit); ok {
				crit = append(crit, series{label: label, v: t})
			}
			break
		}
	}
	return states, warn, crit
}

// Threshold is the one finite bound of a Nagios range ("~:5000" → 5000,
// "10:" → 10, "@5:5" → 5): the line a graph draws (a Perf item's Warn or
// Crit). A range with two different finite bounds has no single threshold,
// nor has a nil range or one that no text parses to.
func Threshold(rg *probe.Range) (float64, bool) {
	if rg == nil || !rg.Valid() {
		return 0, false
	}
	switch {
	case math.IsInf(rg.Start, -1) && !math.IsInf(rg.End, 0):
		return rg.End, true
	case math.IsInf(rg.End, 1) && !math.IsInf(rg.Start, 0):
		return rg.Start, true
	case rg.Start == rg.End:
		return rg.Start, true
	}
	return 0, false
}

// promWriter writes families; base is the label pair every series gets.
type promWriter struct {
	w    *bufio.Writer
	base string
}

// family writes # HELP, # TYPE gauge and the series; nothing when there is
// no series.
func (p promWriter) family(name, help string, ss ...series) {
	if len(ss) == 0 {
		return
	}
	p.w.WriteString("# HELP " + name + " " + escapeHelp(help) + "\n# TYPE " + name + " gauge\n")
	for _, s := range ss {
		p.w.WriteString(name)
		labels := p.base
		if s.label != "" {
			if labels != "" {
				labels += ","
			}
			labels += s.label
		}
		if labels != "" {
			p.w.WriteString("{" + labels + "}")
		}
		p.w.WriteString(" " + promFloat(s.v) + "\n")
	}
}

// promFloat is v as the exposition format writes it: NaN, +Inf, -Inf, or
// the shortest decimal.
func promFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)

func escapeLabel(s string) string { return labelEscaper.Replace(s) }
func escapeHelp(s string) string  { return helpEscaper.Replace(s) }
