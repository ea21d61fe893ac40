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

// History is what ReadHistory found in a file.
type History struct {
	Series  []*Series // in order of first appearance
	Lines   int       // lines read
	Skipped int       // lines that are not a jsonprobe JSON result
}

// historyLine is the part of a JSON result that a history needs.
type historyLine struct {
	Time    time.Time           `json:"time"`
	Metrics map[string]*float64 `json:"metrics"`
}

// ReadHistory reads the JSON lines that `-o json` writes and gathers each
// metric's values. Lines that are not such a result are counted, not
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

// WriteHistory prints one row per metric: count, min, max, average, first,
// last, trend and trend per hour, and with sparkline a sparkline of the
// values (at most 40 characters).
func WriteHistory(w io.Writer, h *History, sparkline bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "metric\tcount\tmin\tmax\tavg\tfirst\tlast\ttrend\tper hour\t"
	if sparkline {
		header += "\t"
	}
	fmt.Fprintln(tw, header)
	for _, s := range h.Series {
		row := fmt.Sprintf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", s.Label, s.Count, histNum(s.Min), histNum(s.Max),
			histNum(s.Avg()), histNum(s.First), histNum(s.Last), signed(s.Trend()), perHour(s.PerHour()))
		if sparkline {
			row += Sparkline(s.Values, 40) + "\t"
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if h.Skipped > 0 {
		_, err := fmt.Fprintf(w, "%d of %d lines skipped: not a jsonprobe JSON result\n", h.Skipped, h.Lines)
		return err
	}
	return nil
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
