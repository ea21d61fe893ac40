package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
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

// WriteHistory prints a summary of the runs, then one row per metric:
// count, min, max, average, first, last, trend and trend per hour, and with
// sparkline a sparkline of the values (at most 40 characters). For a file
// of four runs, one of which could not fetch the document:
//
//	4 runs from 2026-12-06T10:00:00Z to 2026-12-06T10:30:00Z (30m)
//	2 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; 1 with an error, left out of the metrics
//
//	      metric  count     min     max       avg   first    last    trend   per hour
//	  goroutines      3     856    2156      1404     856    2156    +1300    +2600/h
//	        size      3     112     112       112     112     112        0        0/h
//	        time      3  0.0032  0.0041  0.003733  0.0032  0.0039  +0.0007  +0.0014/h
//	1 of 5 lines skipped: not a jsonprobe JSON result
//
// The first line is "1 run at TIME" for a single run and "0 runs" for none;
// times are RFC 3339 in UTC, the span as historySpan writes it. All four
// states are always listed, in that order. Without any metric value the
// table is replaced by "no metric values", followed by ": every run had an
// error" or ": no jsonprobe JSON results" when that is why. The last line
// appears only when lines were skipped.
func WriteHistory(w io.Writer, h *History, sparkline bool) error {
	var b strings.Builder
	switch h.Runs {
	case 0:
		b.WriteString("0 runs\n")
	case 1:
		fmt.Fprintf(&b, "1 run at %s\n", h.First.UTC().Format(time.RFC3339))
	default:
		fmt.Fprintf(&b, "%d runs from %s to %s (%s)\n", h.Runs, h.First.UTC().Format(time.RFC3339),
			h.Last.UTC().Format(time.RFC3339), historySpan(h.Span()))
	}
	fmt.Fprintf(&b, "%d OK, %d WARNING, %d CRITICAL, %d UNKNOWN; %d with an error, left out of the metrics\n\n",
		h.States[probe.OK], h.States[probe.Warning], h.States[probe.Critical], h.States[probe.Unknown], h.Failed)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	var err error
	switch {
	case len(h.Series) > 0:
		err = writeSeries(w, h.Series, sparkline)
	case h.Runs == 0:
		_, err = io.WriteString(w, "no metric values: no jsonprobe JSON results\n")
	case h.Failed == h.Runs:
		_, err = io.WriteString(w, "no metric values: every run had an error\n")
	default:
		_, err = io.WriteString(w, "no metric values\n")
	}
	if err != nil {
		return err
	}
	if h.Skipped > 0 {
		_, err := fmt.Fprintf(w, "%d of %d lines skipped: not a jsonprobe JSON result\n", h.Skipped, h.Lines)
		return err
	}
	return nil
}

// writeSeries is WriteHistory's table of the metrics.
func writeSeries(w io.Writer, series []*Series, sparkline bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "metric\tcount\tmin\tmax\tavg\tfirst\tlast\ttrend\tper hour\t"
	if sparkline {
		header += "\t"
	}
	fmt.Fprintln(tw, header)
	for _, s := range series {
		row := fmt.Sprintf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", s.Label, s.Count, histNum(s.Min), histNum(s.Max),
			histNum(s.Avg()), histNum(s.First), histNum(s.Last), signed(s.Trend()), perHour(s.PerHour()))
		if sparkline {
			row += Sparkline(s.Values, 40) + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

// historySpan writes d to the second in days, hours, minutes and seconds,
// without the zero units at the end: 45s, 30m, 7h10m, 2h, 2h0m5s, 7d3h.
func historySpan(d time.Duration) string {
	d = d.Round(time.Second)
	var b strings.Builder
	if days := d / (24 * time.Hour); days > 0 {
		fmt.Fprintf(&b, "%dd", days)
		d -= days * 24 * time.Hour
		if d == 0 {
			return b.String()
		}
	}
	s := d.String() // 7h10m0s, 30m0s, 45s, 0s
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
	}
	b.WriteString(s)
	return b.String()
}

// histNum prints a value with four significant digits, and at least two
// decimals: 1408.25, 0.0032, 2156.
func histNum(f float64) string {
	decimals := 2
	if f != 0 && !math.IsInf(f, 0) && !math.IsNaN(f) {
		decimals = max(2, min(9, 3-int(math.Floor(math.Log10(math.Abs(f))))))
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

func signed(f float64) string {
	if f > 0 {
		return "+" + histNum(f)
	}
	return histNum(f)
}

func perHour(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return signed(f) + "/h"
}

// sparks are the eight heights of a sparkline.
var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as at most width characters, each the mean of its
// share of the values, scaled between their minimum and maximum.
func Sparkline(values []float64, width int) string {
	if len(values) == 0 || width <= 0 {
		return ""
	}
	n := min(width, len(values))
	points := make([]float64, n)
	for i := range n {
		from, to := i*len(values)/n, (i+1)*len(values)/n
		var sum float64
		for _, v := range values[from:to] {
			sum += v
		}
		points[i] = sum / float64(to-from)
	}
	lo, hi := points[0], points[0]
	for _, p := range points {
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	var b strings.Builder
	for _, p := range points {
		i := 0
		if hi > lo {
			i = int(math.Round((p - lo) / (hi - lo) * float64(len(sparks)-1)))
		}
		b.WriteRune(sparks[i])
	}
	return b.String()
}
