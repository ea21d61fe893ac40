// Package watch is jsonprobe's live terminal view: a loop over one compiled
// probe (probe.Probe.Run every interval, never two at once), a model of what
// the runs found (a row per check and per value, with the session's min,
// average, max, change, rate and recent samples), and a renderer of that
// model to a screen of a given size, or to one log line per probe when the
// output is not a terminal.
package watch

import (
	"math"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// maxSamples is how many recent values a row keeps for its sparkline: more
// than any terminal is wide.
const maxSamples = 512

// Model is what the view shows: built by Update from each run's Report.
type Model struct {
	Target     string // redacted, from the Report
	Interval   time.Duration
	Started    time.Time   // when the view started
	Last       time.Time   // the last probe's time
	State      probe.State // the last probe's
	StateSince time.Time   // since when the state has been State
	Probes     int
	LastErr    string // the last probe's error, "" when it had none
	Rows       []*Row
	index      map[string]*Row // by name, and by path for a check's operand
	history    map[string][]float64
}

// Row is one check or one document value, named as every output names
// it: a check by its name, a value by its PathValue.Name.
type Row struct {
	Name     string
	Check    bool        // a check (or alerting metric), with a State
	State    probe.State // a check's, at the last probe
	Has      bool        // a value has been read at all
	Value    float64     // the last value read
	Missing  bool        // the last probe did not read it
	UOM      string
	Min, Max float64
	sum      float64
	n        int
	First    float64   // the first value of the session
	FirstAt  time.Time // and when it was read
	LastAt   time.Time
	Samples  []float64 // oldest first, at most maxSamples
	// Warn and Crit are the check's levels when it is a plain comparison;
	// Below says that it alerts below them (a floor: free_mb < 100).
	Warn, Crit *float64
	Below      bool
	// Expr is a check's expression; Message what the last probe found of
	// it, as the long output words it ("" when it was not decided).
	Expr, Message string
	path          string // a check's operand, whose value it shows
}

// Avg is the session's average of the row's values.
func (r *Row) Avg() float64 {
	if r.n == 0 {
		return math.NaN()
	}
	return r.sum / float64(r.n)
}

// Change is the last value less the first; Rate the change per minute.
func (r *Row) Change() float64 { return r.Value - r.First }

// Rate is the change per minute since the first value.
func (r *Row) Rate() float64 {
	d := r.LastAt.Sub(r.FirstAt).Minutes()
	if d <= 0 {
		return math.NaN()
	}
	return r.Change() / d
}

// NewModel is the view before its first probe.
func NewModel(target string, interval time.Duration, started time.Time) *Model {
	return &Model{Target: target, Interval: interval, Started: started, State: probe.Unknown, index: map[string]*Row{}}
}

// row returns the row named name, made on first use with the history of
// the path called history.
func (m *Model) row(name string, check bool, history string) *Row {
	r := m.index[name]
	if r == nil {
		r = &Row{Name: name, Check: check}
		m.index[name] = r
		m.Rows = append(m.Rows, r)
		m.prefill(r, history)
	}
	return r
}

// Prefill keeps the history the state file already holds (path → values,
// oldest first) for the rows of those paths, made as the probes read them.
func (m *Model) Prefill(history map[string][]float64) { m.history = history }

// prefill gives r the history of path, once.
func (m *Model) prefill(r *Row, path string) {
	if vs, ok := m.history[path]; ok && len(r.Samples) == 0 {
		r.Samples = append(r.Samples, vs[max(0, len(vs)-maxSamples):]...)
		delete(m.history, path)
	}
}

// Update folds one run's Report into the model.
func (m *Model) Update(rep *probe.Report) {
	m.updateProbe(rep)
	seen := map[*Row]bool{}
	for _, o := range rep.Outcomes {
		switch o.Level {
		case probe.LevelCritical, probe.LevelWarning, probe.LevelMetric:
		default:
			if o.State != probe.OK && m.LastErr == "" {
				m.LastErr = o.Summary
			}
			continue
		}
		seen[m.updateCheck(o, rep)] = true
	}
	for _, v := range rep.Values {
		if r := m.index[v.Path]; r != nil && seen[r] {
			continue // the check whose operand it is shows it
		}
		r := m.row(v.Name, false, v.Path) // the state file keeps values by path
		seen[r] = true
		r.add(v.Value, rep.Time)
	}
	for _, r := range m.Rows {
		if !seen[r] {
			r.Missing = true
			if r.Check {
				r.State, r.Message = probe.Unknown, "" // not decided this time
			}
		}
	}
}

// updateProbe takes what the Report says of the probe as a whole: its
// time, target, state and error.
func (m *Model) updateProbe(rep *probe.Report) {
	if m.Probes == 0 || rep.State != m.State {
		m.StateSince = rep.Time
	}
	m.Probes++
	m.Target, m.Last, m.State = rep.Target, rep.Time, rep.State
	m.LastErr = ""
	if rep.Err != nil {
		m.LastErr = rep.Err.Error()
	}
}

// updateCheck folds a check's (or alerting metric's) outcome into its row,
// with the unit and levels of its perfdata item, and returns the row.
func (m *Model) updateCheck(o probe.Outcome, rep *probe.Report) *Row {
	r := m.row(o.Name, true, o.Name)
	r.Check, r.State, r.Expr, r.Message = true, o.State, o.Expr, o.Message
	if r.path == "" && len(o.Observations) > 0 && o.Observations[0].Path != "" {
		// The check shows its operand's value: that path has no row of
		// its own, and its history is the check's.
		r.path = o.Observations[0].Path
		m.index[r.path] = r
		m.prefill(r, r.path)
	}
	f, ok := 0.0, false
	if o.Value != nil {
		f, ok = o.Value.Float()
	}
	if ok {
		r.add(f, rep.Time)
	} else {
		r.Missing = true
		if m.LastErr == "" && o.Err != nil {
			m.LastErr = o.Name + ": " + o.Err.Error()
		}
	}
	for _, pf := range rep.Perf {
		if pf.Label == o.Name {
			r.UOM = pf.UOM
			var wBelow, cBelow bool
			r.Warn, wBelow = level(pf.Warn)
			r.Crit, cBelow = level(pf.Crit)
			r.Below = wBelow || cBelow
			break
		}
	}
	return r
}

// level is a perfdata range's threshold, and whether it alerts below it
// ("100:", from free_mb < 100) rather than above ("~:5000").
func level(rg *probe.Range) (*float64, bool) {
	t, ok := output.Threshold(rg)
	if !ok {
		return nil, false
	}
	return &t, !rg.Inside && math.IsInf(rg.End, 1)
}

// add records a value read at t.
func (r *Row) add(f float64, t time.Time) {
	if !r.Has {
		r.Min, r.Max, r.First, r.FirstAt = f, f, f, t
	}
	r.Has, r.Missing = true, false
	r.Value, r.LastAt = f, t
	r.Min, r.Max = math.Min(r.Min, f), math.Max(r.Max, f)
	r.sum += f
	r.n++
	r.Samples = append(r.Samples, f)
	if len(r.Samples) > maxSamples {
		r.Samples = r.Samples[1:]
	}
}
