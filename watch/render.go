package watch

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// Screen is how a frame is drawn: its size, colour, and what the keys did.
type Screen struct {
	Width, Height int
	Color         bool // ANSI colours (not with NO_COLOR or TERM=dumb)
	Paused        bool
	Help          bool // the key help is open
	Now           time.Time
}

// ANSI colours of the states, and the reset.
const (
	reset = "\x1b[0m"
	bold  = "\x1b[1m"
	dim   = "\x1b[2m"
)

var stateColor = map[probe.State]string{
	probe.OK: "\x1b[32m", probe.Warning: "\x1b[33m", probe.Critical: "\x1b[31m", probe.Unknown: "\x1b[35m",
}

// bars are the sparkline's eight heights.
var bars = []rune("▁▂▃▄▅▆▇█")

// column widths of the table, before the sparkline.
const (
	nameWidth  = 15
	stateWidth = 8
	numWidth   = 7
	minSpark   = 6
)

// columns are the number columns; a narrow terminal drops the last in
// drop order and keeps the sparkline at least minSpark wide.
var columns = []struct {
	head string
	drop int // dropped first: highest
	cell func(r *Row) string
}{
	{"NOW", 0, func(r *Row) string {
		if r.Missing {
			return "missing"
		}
		return num(r.Value) + r.UOM
	}},
	{"MIN", 2, func(r *Row) string { return num(r.Min) }},
	{"AVG", 1, func(r *Row) string { return num(r.Avg()) }},
	{"MAX", 3, func(r *Row) string { return num(r.Max) }},
	{"CHANGE", 4, func(r *Row) string { return signed(r.Change()) }},
	{"/MIN", 5, func(r *Row) string { return signed(r.Rate()) }},
}

// layout is which columns a width shows, and the sparkline's width.
func layout(w int) (shown []int, spark int) {
	avail := w - (nameWidth + 1 + stateWidth + 1)
	n := max(0, min(len(columns), (avail-minSpark)/(numWidth+1)))
	for i, c := range columns {
		if c.drop < n {
			shown = append(shown, i)
		}
	}
	return shown, avail - n*(numWidth+1)
}

// Render draws m as the lines of one frame, each at most s.Width columns
// (colour codes aside) and at most s.Height lines: the header, the table,
// the last error, the footer. It is a pure function of its arguments.
func Render(m *Model, s Screen) []string {
	w := max(s.Width, 40)
	paint := func(code, text string) string {
		if !s.Color || code == "" {
			return text
		}
		return code + text + reset
	}
	var lines []string
	add := func(line string) { lines = append(lines, line) }

	state := m.State.String()
	if m.Probes == 0 {
		state = "…"
	}
	held := ""
	if m.Probes > 0 {
		held = " for " + short(s.Now.Sub(m.StateSince))
	}
	status := "every " + short(m.Interval)
	if s.Paused {
		status = "PAUSED"
	}
	// The target is cut, not the clock, the interval or the state.
	rest := fmt.Sprintf("  %s  %s  ", s.Now.Format("15:04:05"), status)
	room := w - len("jsonprobe watch  ") - len(rest) - utf8.RuneCountInString(state) - len(held)
	add("jsonprobe watch  " + fit(m.Target, room) + rest + paint(bold+stateColor[m.State], state) + held)

	shown, spark := layout(w)
	head := fmt.Sprintf("%-*s %-*s ", nameWidth, "CHECK / VALUE", stateWidth, "STATE")
	for _, i := range shown {
		head += fmt.Sprintf("%*s ", numWidth, columns[i].head)
	}
	add(paint(dim, head+fit("TREND", spark)))
	rowRoom := s.Height - 5 // header, table head, error, blank, footer
	for i, r := range m.Rows {
		if i >= rowRoom && rowRoom > 0 {
			add(fmt.Sprintf("… %d more rows; a taller terminal shows them", len(m.Rows)-i))
			break
		}
		add(renderRow(r, shown, spark, paint))
	}
	if m.LastErr != "" {
		add(paint(stateColor[probe.Critical], fit("last error: "+output.OneLine(m.LastErr), w)))
	} else {
		add("")
	}
	if s.Help {
		add(fit("q or Ctrl-C: quit   p: pause / resume   r: probe now   ?: close this help", w))
		add(fit(fmt.Sprintf("%d probes since %s; WARNING and CRITICAL levels are marked in the trend (w, c).", m.Probes, m.Started.Format("15:04:05")), w))
	}
	add(paint(dim, fit("q quit  p pause  r probe now  ? help", w)))
	if s.Height > 0 && len(lines) > s.Height {
		lines = append(lines[:s.Height-1], lines[len(lines)-1])
	}
	return lines
}

func renderRow(r *Row, shown []int, spark int, paint func(code, text string) string) string {
	state, code := "", ""
	if r.Check {
		state, code = r.State.String(), stateColor[r.State]
	}
	line := fmt.Sprintf("%-*s %s ", nameWidth, fit(r.Name, nameWidth), paint(code, fmt.Sprintf("%-*s", stateWidth, state)))
	for _, i := range shown {
		cell := ""
		if r.Has {
			cell = columns[i].cell(r)
		}
		line += fmt.Sprintf("%*s ", numWidth, fit(cell, numWidth))
	}
	return line + sparkline(r, spark, paint)
}

// sparkline draws the last width samples on one scale for the session and
// the levels, each bar in the colour of the level it passes; the levels
// follow as w2000 c5000 where there is room.
func sparkline(r *Row, width int, paint func(code, text string) string) string {
	if width <= 0 || len(r.Samples) == 0 {
		return ""
	}
	marks := ""
	if r.Warn != nil {
		marks += " w" + num(*r.Warn)
	}
	if r.Crit != nil {
		marks += " c" + num(*r.Crit)
	}
	n := min(len(r.Samples), width)
	if n+len(marks) > width {
		marks = "" // the bars first; colour still marks the levels
	}
	vs := r.Samples[len(r.Samples)-n:]
	// One scale for the whole session and the levels, so that a flat
	// stretch at a high value stays high.
	lo, hi := vs[0], vs[0]
	for _, v := range r.Samples {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, l := range []*float64{r.Warn, r.Crit} {
		if l != nil {
			lo, hi = math.Min(lo, *l), math.Max(hi, *l)
		}
	}
	var b strings.Builder
	for _, v := range vs {
		i := 0
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(bars)-1))
		}
		bar := string(bars[max(0, min(i, len(bars)-1))])
		switch {
		case r.Crit != nil && passes(v, *r.Crit, r):
			bar = paint(stateColor[probe.Critical], bar)
		case r.Warn != nil && passes(v, *r.Warn, r):
			bar = paint(stateColor[probe.Warning], bar)
		}
		b.WriteString(bar)
	}
	return b.String() + paint(dim, marks)
}

// passes reports whether v is past level, on the side the check alerts:
// above it for a ceiling (the common "> level"), below it for a floor.
func passes(v, level float64, r *Row) bool {
	if r.Crit != nil && r.Warn != nil && *r.Crit < *r.Warn {
		return v < level // a floor: critical below warning
	}
	return v > level
}

// fit cuts s to n columns, with … when cut.
func fit(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n-1]) + "…"
}

// num writes f short: integers and numbers of 1000 or more without
// decimals, others with 2.
func num(f float64) string {
	switch {
	case math.IsNaN(f):
		return "-"
	case f == math.Trunc(f) && math.Abs(f) < 1e15, math.Abs(f) >= 1000:
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

func signed(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	if f > 0 {
		return "+" + num(f)
	}
	return num(f)
}

// short writes d as 5s, 2m10s, 1h5m.
func short(d time.Duration) string {
	if d > 0 && d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// Line is the pipe mode's line for one run: the time, the state, and each
// value read as path=value, in the guide's log form
// (2026-12-06 10:30:00 OK goroutines=856 memory.alloc_mb=256), then
// error="…" when the document could not be read.
func Line(rep *probe.Report) string {
	var b strings.Builder
	b.WriteString(rep.Time.Format("2006-01-02 15:04:05"))
	b.WriteString(" " + rep.State.String())
	for _, v := range rep.Values {
		b.WriteString(" " + v.Path + "=" + strconv.FormatFloat(v.Value, 'f', -1, 64))
	}
	if rep.Err != nil {
		b.WriteString(" error=" + strconv.Quote(output.OneLine(rep.Err.Error())))
	}
	return b.String()
}
