package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// Series is one metric's values over a JSON-lines history (-o json >> FILE).
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

// PerHour is the trend per hour between the first and the last sample, or
// NaN when they are less than a second apart.
func (s *Series) PerHour() float64 {
	h := s.LastTime.Sub(s.FirstTime).Hours()
	if h*3600 < 1 {
		return math.NaN()
	}
	return s.Trend() / h
}

// History is what ReadHistory found in a file: the runs, and the values of
// each metric over the runs that read a document.
//
// A line is a run (a jsonprobe JSON result) when it is a JSON object with
// a "time" and a "metrics" object; any other line is Skipped. A run whose
// "error" is not null (the document could not be fetched or parsed) is
// Failed: it counts in Runs, States, First and Last, but none of its
// metrics reach Series, not even time and size, so that a refused
// connection does not show up as a last value of 0 or a trend of -421200/h.
type History struct {
	Series  []*Series // in order of first appearance; values from runs without an error only
	Lines   int       // lines read, blank lines aside: Runs + Skipped
	Skipped int       // lines that are not a jsonprobe JSON result
	Runs    int       // jsonprobe JSON results, failed ones included
	// States counts the runs per "state", indexed by probe.State (OK,
	// Warning, Critical, Unknown). A state that is missing or not one of
	// "OK", "WARNING", "CRITICAL" and "UNKNOWN" counts as UNKNOWN, as
	// anything unexpected is for a plugin.
	States [4]int
	Failed int // runs whose "error" is not null
	// First and Last are the earliest and the latest run's time, in UTC
	// (the earliest and latest, not the first and last lines, so that a
	// file appended to out of order still has a span); zero without runs.
	First, Last time.Time
}

// Span is the time from the earliest run to the latest.
func (h *History) Span() time.Duration { return h.Last.Sub(h.First) }

// historyLine is the part of a JSON result that a history needs.
type historyLine struct {
	Time    time.Time           `json:"time"`
	State   string              `json:"state"`
	Error   any                 `json:"error"` // nil for null or absent: any other value is an error
	Metrics map[string]*float64 `json:"metrics"`
}

// historyState is the state a line's "state" names; anything else is
// Unknown.
func historyState(s string) probe.State {
	for _, st := range []probe.State{probe.OK, probe.Warning, probe.Critical} {
		if s == st.String() {
			return st
		}
	}
	return probe.Unknown
}

// ReadHistory reads the JSON lines that `-o json` writes (from a file or
// standard input) and gathers the runs and each metric's values, as
// History describes. Lines that are not such a result are counted, not
// silently dropped; null values (a number that was not finite) are skipped.
func ReadHistory(r io.Reader) (*History, error) {
	h := &History{}
	byLabel := map[string]*Series{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		h.Lines++
		var hl historyLine
		if err := json.Unmarshal([]byte(line), &hl); err != nil || hl.Time.IsZero() || hl.Metrics == nil {
			h.Skipped++
			continue
		}
		t := hl.Time.UTC()
		if h.Runs == 0 || t.Before(h.First) {
			h.First = t
		}
		if h.Runs == 0 || t.After(h.Last) {
			h.Last = t
		}
		h.Runs++
		h.States[historyState(hl.State)]++
		if hl.Error != nil {
			// What a failed run measured (the time to a refused
			// connection, a size of 0) is not a value of the metric.
			h.Failed++
			continue
		}
		// Labels in a stable order: the JSON object's own order is lost.
		labels := make([]string, 0, len(hl.Metrics))
		for l := range hl.Metrics {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			v := hl.Metrics[l]
			if v == nil {
				continue
			}
			s := byLabel[l]
			if s == nil {
				s = &Series{Label: l, Min: *v, Max: *v, First: *v, FirstTime: hl.Time}
				byLabel[l] = s
				h.Series = append(h.Series, s)
			}
			s.Count++
			s.Sum += *v
			s.Min, s.Max = math.Min(s.Min, *v), math.Max(s.Max, *v)
			s.Last, s.LastTime = *v, hl.Time
			s.Values = append(s.Values, *v)
		}
	}
	if err := sc.Err(); err != nil {
		return h, fmt.Errorf("reading history: %w", err)
	}
	return h, nil
}
