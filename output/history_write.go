package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// WriteHistory prints a summary of the runs, then one row per series:
// count, min, max, average, first, last, trend, change in percent and
// trend per hour, and with sparkline a sparkline of the values (at most 40
// characters). For a file of four runs, one of which could not fetch the
// document:
//
//	4 runs from 2026-12-06T10:00:00Z to 2026-12-06T10:30:00Z (30m)
//	2 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; 1 with an error, left out of the metrics
//
//	      metric  count     min     max       avg   first    last    trend   change   per hour
//	  goroutines      3     856    2156      1404     856    2156    +1300  +151.9%    +2600/h
//	        size      3     112     112       112     112     112        0     0.0%        0/h
//	        time      3  0.0032  0.0041  0.003733  0.0032  0.0039  +0.0007   +21.9%  +0.0014/h
//	1 of 5 lines skipped: not a jsonprobe JSON result or watch line
//
// With a window, a first line says which ("window: the last 1h, since
// TIME" or "window: since TIME") and how many earlier runs it leaves out.
// The runs line is "1 run at TIME" for a single run and "0 runs" for none;
// times are RFC 3339 in UTC, the span as historySpan writes it. All four
// states are always listed, in that order. The change is "-" when the
// first value is 0; a per-hour trend drawn from less than a tenth of an
// hour, or from two samples, says so beside it: "+1309090.91/h (from 11s
// of data)". Without any value the table is replaced by "no metric
// values", followed by why when that is known. The last line appears only
// when lines were skipped.
func WriteHistory(w io.Writer, h *History, sparkline bool) error {
	var b strings.Builder
	writeRuns(&b, h)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	var err error
	switch {
	case len(h.Series) > 0:
		err = writeSeries(w, h.Series, sparkline)
	case h.Runs == 0 && h.Earlier > 0:
		_, err = io.WriteString(w, "no metric values: no runs in the window\n")
	case h.Runs == 0:
		_, err = io.WriteString(w, "no metric values: no jsonprobe JSON results or watch lines\n")
	case h.Failed == h.Runs:
		_, err = io.WriteString(w, "no metric values: every run had an error\n")
	default:
		_, err = io.WriteString(w, "no metric values\n")
	}
	if err != nil {
		return err
	}
	if h.Skipped > 0 {
		_, err := fmt.Fprintf(w, "%d of %d lines skipped: not a jsonprobe JSON result or watch line\n", h.Skipped, h.Lines)
		return err
	}
	return nil
}

// writeRuns is WriteHistory's head: the window, the runs and their states.
func writeRuns(b *strings.Builder, h *History) {
	switch {
	case h.Window.Last > 0:
		fmt.Fprintf(b, "window: the last %s, since %s; %s left out\n", historySpan(h.Window.Last),
			h.From.Format(time.RFC3339), plural(h.Earlier, "earlier run"))
	case !h.From.IsZero():
		fmt.Fprintf(b, "window: since %s; %s left out\n", h.From.Format(time.RFC3339), plural(h.Earlier, "earlier run"))
	}
	switch h.Runs {
	case 0:
		b.WriteString("0 runs\n")
	case 1:
		fmt.Fprintf(b, "1 run at %s\n", h.First.UTC().Format(time.RFC3339))
	default:
		fmt.Fprintf(b, "%d runs from %s to %s (%s)\n", h.Runs, h.First.UTC().Format(time.RFC3339),
			h.Last.UTC().Format(time.RFC3339), historySpan(h.Span()))
	}
	fmt.Fprintf(b, "%d OK, %d WARNING, %d CRITICAL, %d UNKNOWN; %d with an error, left out of the metrics\n\n",
		h.States[probe.OK], h.States[probe.Warning], h.States[probe.Critical], h.States[probe.Unknown], h.Failed)
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// writeSeries is WriteHistory's table of the series.
func writeSeries(w io.Writer, series []*Series, sparkline bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "metric\tcount\tmin\tmax\tavg\tfirst\tlast\ttrend\tchange\tper hour\t"
	if sparkline {
		header += "\t"
	}
	fmt.Fprintln(tw, header)
	for _, s := range series {
		row := fmt.Sprintf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", s.Label, s.Count, histNum(s.Min), histNum(s.Max),
			histNum(s.Avg()), histNum(s.First), histNum(s.Last), signed(s.Trend()), percent(s.Change()), perHour(s))
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

// percent writes a change in percent with one decimal: +20.0%, -3.5%, 0.0%;
// "-" for NaN.
func percent(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	switch {
	case s == "-0.0":
		s = "0.0"
	case f > 0 && s != "0.0":
		s = "+" + s
	}
	return s + "%"
}

// Below these a per-hour trend is an extrapolation worth a word: samples
// that span less than a tenth of the hour, or only two of them.
const (
	rateMinSpan    = time.Hour / 10
	rateMinSamples = 3
)

// perHour writes s's trend per hour, "-" when there is none, and says
// when it rests on too little data to stand for an hour.
func perHour(s *Series) string {
	f := s.PerHour()
	if math.IsNaN(f) {
		return "-"
	}
	rate := signed(f) + "/h"
	span, short, few := s.Span(), s.Span() < rateMinSpan, s.Count < rateMinSamples
	switch {
	case short && few:
		return fmt.Sprintf("%s (from %d samples in %s)", rate, s.Count, historySpan(span))
	case short:
		return fmt.Sprintf("%s (from %s of data)", rate, historySpan(span))
	case few:
		return fmt.Sprintf("%s (from %d samples)", rate, s.Count)
	}
	return rate
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
