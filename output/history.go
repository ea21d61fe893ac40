package output

import (
	"io"
	"math"
	"time"
)

// Series is one value's figures over the runs of a history.
type Series struct {
	Label       string
	Count       int
	Min, Max    float64
	Sum         float64
	First, Last float64
	FirstTime   time.Time
	LastTime    time.Time
	Values      []float64 // in file order, for the sparkline
}

// Avg is the mean of the values.
func (s *Series) Avg() float64 { return s.Sum / float64(s.Count) }

// Trend is the last value minus the first.
func (s *Series) Trend() float64 { return s.Last - s.First }

// Change is the trend in percent of the first value, or NaN when the first
// value is 0.
func (s *Series) Change() float64 {
	if s.First == 0 {
		return math.NaN()
	}
	return s.Trend() / math.Abs(s.First) * 100
}

// PerHour is the trend per hour between the first and the last sample, or
// NaN when they are less than a second apart.
func (s *Series) PerHour() float64 {
	h := s.LastTime.Sub(s.FirstTime).Hours()
	if h*3600 < 1 {
		return math.NaN()
	}
	return s.Trend() / h
}

// Span is the time from the first sample to the last.
func (s *Series) Span() time.Duration { return s.LastTime.Sub(s.FirstTime) }

// Window is the part of a log that a History sums up: the runs at or after
// Since, or the runs in the Last duration up to the newest run, its start
// included. The zero Window is the whole log.
type Window struct {
	Since time.Time
	Last  time.Duration
}

// from is where w starts in a log whose newest run is at newest; zero for
// the whole log.
func (w Window) from(newest time.Time) time.Time {
	switch {
	case !w.Since.IsZero():
		return w.Since.UTC()
	case w.Last > 0:
		return newest.Add(-w.Last)
	}
	return time.Time{}
}

// History is what ReadHistory found in a log: the runs in the window, and
// the values of each series over the runs that read a document.
//
// A log holds the lines of `jsonprobe -o json` and of `jsonprobe watch`
// (when its output is not a terminal), in any mix. A JSON line is a run
// when it is an object with a "time" and a "metrics" object; a watch line
// when it starts with a time (2026-12-08 03:50:31, local time) and a state,
// and NAME=VALUE pairs are all that follow, with error="…" at the end for
// a run that could not read the document. Any other line is Skipped.
//
// A run that could not read its document (a JSON "error" that is not null,
// a watch line's error) is Failed: it counts in Runs, States, First and
// Last, but none of its values reach Series, not even time and size, so
// that a refused connection does not show up as a last value of 0 or a
// trend of -421200/h.
//
// A value is named as the line names it. Lines written before values were
// named by their checks name it by its path: where a JSON line shows which
// check's name a path now has, the values under the path join the check's
// series.
type History struct {
	Series  []*Series // in order of first appearance; values from runs without an error only
	Lines   int       // lines read, blank lines aside: runs (Earlier included) + Skipped
	Skipped int       // lines that are neither a JSON result nor a watch line
	Runs    int       // runs in the window, failed ones included
	// States counts the runs per state, indexed by probe.State (OK,
	// Warning, Critical, Unknown). A state that is missing or not one of
	// "OK", "WARNING", "CRITICAL" and "UNKNOWN" counts as UNKNOWN, as
	// anything unexpected is for a plugin.
	States [4]int
	Failed int // runs whose document could not be read
	// First and Last are the earliest and the latest run's time, in UTC
	// (the earliest and latest, not the first and last lines, so that a
	// file appended to out of order still has a span); zero without runs.
	First, Last time.Time
	// Window is the part of the log summed up and From its start in UTC
	// (zero for the whole log); Earlier counts the runs before From, left
	// out of everything above but Lines, and Newest is the latest run's
	// time in the whole log.
	Window  Window
	From    time.Time
	Earlier int
	Newest  time.Time
}

// Span is the time from the earliest run to the latest.
func (h *History) Span() time.Duration { return h.Last.Sub(h.First) }

// ReadHistory reads a log (from a file or standard input) and sums up all
// of it, as History describes. Lines that are not runs are counted, not
// silently dropped.
func ReadHistory(r io.Reader) (*History, error) {
	return ReadHistoryWindow(r, Window{})
}

// ReadHistoryWindow reads a log as ReadHistory does and sums up the runs in
// w; watch lines' times are local times.
func ReadHistoryWindow(r io.Reader, w Window) (*History, error) {
	l, err := readHistoryLog(r, time.Local)
	return l.summarize(w), err
}

// summarize sums up the runs of l in w.
func (l *historyLog) summarize(w Window) *History {
	h := &History{Lines: l.lines, Skipped: l.skipped, Window: w}
	for _, run := range l.runs {
		if run.time.After(h.Newest) {
			h.Newest = run.time
		}
	}
	h.From = w.from(h.Newest)
	byName := map[string]*Series{}
	for _, run := range l.runs {
		if !h.From.IsZero() && run.time.Before(h.From) {
			h.Earlier++
			continue
		}
		h.addRun(run)
		for _, v := range run.values {
			name, renamed := l.renamed[v.name]
			if !renamed {
				name = v.name
			} else if run.has(name) {
				continue // the line's own value of that name stands
			}
			s := byName[name]
			if s == nil {
				s = &Series{Label: name, Min: v.value, Max: v.value, First: v.value, FirstTime: run.time}
				byName[name] = s
				h.Series = append(h.Series, s)
			}
			s.add(v.value, run.time)
		}
	}
	return h
}

// addRun counts a run in the window.
func (h *History) addRun(run historyRun) {
	if h.Runs == 0 || run.time.Before(h.First) {
		h.First = run.time
	}
	if h.Runs == 0 || run.time.After(h.Last) {
		h.Last = run.time
	}
	h.Runs++
	h.States[run.state]++
	if run.failed {
		h.Failed++
	}
}

// has reports whether the run has a value of that name.
func (run historyRun) has(name string) bool {
	for _, v := range run.values {
		if v.name == name {
			return true
		}
	}
	return false
}

// add takes one more value, read at t.
func (s *Series) add(v float64, t time.Time) {
	s.Count++
	s.Sum += v
	s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
	s.Last, s.LastTime = v, t
	s.Values = append(s.Values, v)
}
