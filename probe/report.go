// Package probe is jsonprobe's engine: a validated Config (from a checks
// file with LoadConfig or ParseConfig, completed by flags), compiled once
// into an immutable *Probe, run as often as a front-end needs, each run the
// fetch of one JSON document and the evaluation of its checks into a
// Report. Rendering the Report is the output package's job:
//
//	cfg, err := probe.LoadConfig("checks.yaml", os.Getenv)
//	p, err := probe.Compile(cfg)              // once: validation, client, redactor
//	rep := p.Run(ctx, "")                      // as often as needed, concurrently
//	output.Nagios(os.Stdout, rep, output.NagiosOptions{})
//	os.Exit(int(rep.State))                    // in main only
//
// Compile's options give a test its client and clock, and a long-running
// front-end a MemoryStore for the window functions' history.
package probe

import (
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// State is a plugin state, valued as its exit code.
type State = expr.State

// The plugin states.
const (
	OK       = expr.OK
	Warning  = expr.Warning
	Critical = expr.Critical
	Unknown  = expr.Unknown
)

// Value is a value a check read from the document (see expr.Value).
type Value = expr.Value

// Range is a Nagios threshold range (see expr.Range): a perfdata item's
// warning or critical threshold.
type Range = expr.Range

// ParseRange parses a Nagios threshold range (see expr.ParseRange).
func ParseRange(s string) (*Range, error) { return expr.ParseRange(s) }

// Worst returns the more severe state in the order
// CRITICAL > WARNING > UNKNOWN > OK.
func Worst(a, b State) State { return expr.Worst(a, b) }

// Level says what an Outcome is: the level of a check's expression that
// it shows, or one of the outcomes that are no check's.
type Level string

// The levels of an Outcome.
const (
	LevelCritical Level = "critical" // a check's critical expression
	LevelWarning  Level = "warning"  // a check's warning expression
	LevelMetric   Level = "metric"   // a -m / metrics: range
	LevelHTTP     Level = "http"     // the HTTP status is not an expected one
	LevelState    Level = "state"    // a note on the state file; not a check
	LevelPush     Level = "push"     // a sink (a push, a file written) failed
)

// Outcome is the result of one check or one alerting metric.
type Outcome struct {
	Name  string // the check's name, e.g. "goroutines"
	Level Level  // which level decided: the expression shown, or what else the outcome is
	Expr  string // the expression shown, canonical; for metrics the path
	State State
	// Value is what the shown expression's first operand read, when it was
	// read; Observations has every operand the evaluation read.
	Value        *Value
	Observations []expr.Observation
	// Summary is the short form for the status line, e.g. "goroutines=2156 > 2000".
	Summary string
	// Message is the long-output form, e.g. "goroutines > 2000 (got 2156)".
	Message string
	// Err is why the check could not be decided, or nil.
	Err error
}

// Perf is one performance-data item: 'label'=value[uom];warn;crit;min;max.
type Perf struct {
	Label string
	Value float64
	UOM   string
	// Warn and Crit are the thresholds, nil when there is none: a metric's
	// ranges, or those of a check that is a plain comparison (goroutines >
	// 5000 is ~:5000). A metric's are its compiled probe's, shared by every
	// run: read them, never change them.
	Warn, Crit *Range
	Min, Max   string
}

// Report is everything one probe found out. Strings in it are already
// redacted: a Report can be printed as it is.
type Report struct {
	Target     string        // the target, secrets redacted
	Time       time.Time     // when the probe started
	Duration   time.Duration // how long the whole probe took
	FetchTime  time.Duration // how long the fetch took ($time)
	HTTPStatus int           // 0 when the target is not http(s) or was not reached
	Size       int           // body bytes read
	// Err is why the document could not be read or is not JSON; nil when it was.
	Err error
	// State is the worst of the outcomes' states, and the on_error state when
	// Err is set (UNKNOWN when Err is ErrInterrupted). It is the exit code.
	State    State
	Outcomes []Outcome // in the order of the checks file and flags
	Perf     []Perf    // checks' numeric values, then metrics, then time and size
	// Values are the numeric document values the checks, metrics and
	// front-ends read, each path once, in the order they are first read.
	Values []PathValue
	// Document is what a body that is not JSON was read as ("goroutine
	// profile"); "" for JSON. Parts are what it counts (its PartsNoun:
	// "stacks"), largest first, with their counts in the previous run
	// when a store kept them (PartsCompared).
	Document      string
	PartsNoun     string
	Parts         []PartCount
	PartsCompared bool
}

// PathValue is a numeric document value, its path, and its name: the name
// of the check whose value it is, a metric's label, or else the path (as
// its perfdata label is). Every output names a value by Name.
type PathValue struct {
	Path  string
	Name  string
	Value float64
}

// Add appends an outcome found after Run, such as a sink that failed,
// and folds its state into the Report's.
func (r *Report) Add(o Outcome) {
	r.Outcomes = append(r.Outcomes, o)
	r.State = Worst(r.State, o.State)
}

// Failing returns the outcomes that are not OK, worst first, in check order
// within a state.
func (r *Report) Failing() []Outcome {
	var out []Outcome
	for _, s := range []State{Critical, Warning, Unknown} {
		for _, o := range r.Outcomes {
			if o.State == s {
				out = append(out, o)
			}
		}
	}
	return out
}

// Sorted returns every outcome, worst first (CRITICAL, WARNING, UNKNOWN,
// OK), in check order within a state: the order of the long output.
func (r *Report) Sorted() []Outcome {
	out := r.Failing()
	for _, o := range r.Outcomes {
		if o.State == OK {
			out = append(out, o)
		}
	}
	return out
}

// Summary is the reason part of the status line: the fetch error if any, then
// the failing outcomes worst first ("goroutines=2156 > 2000, memory.alloc_mb:
// not found"), or "N checks OK".
func (r *Report) Summary() string {
	var parts []string
	failing := r.Failing()
	// The HTTP status first: it explains what follows, a body that is not
	// JSON included.
	for _, o := range failing {
		if o.Level == LevelHTTP {
			parts = append(parts, o.Summary)
		}
	}
	if r.Err != nil {
		parts = append(parts, r.Err.Error())
	}
	for _, o := range failing {
		if o.Level != LevelHTTP {
			parts = append(parts, o.Summary)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, ", ")
	}
	n := 0
	for _, o := range r.Outcomes {
		if o.Level != LevelState { // notes on the state file are not checks
			n++
		}
	}
	switch n {
	case 0:
		return "document is valid JSON, no checks"
	case 1:
		return "1 check OK"
	default:
		return strconv.Itoa(n) + " checks OK"
	}
}
