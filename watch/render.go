package watch

import (
	"fmt"
	"io"
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
	Verbose       bool // each check's expression and finding under its row
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

// layout is how wide the name column is, which number columns a width
// shows, and how wide the sparkline is.
type layout struct {
	w     int
	name  int
	nums  []int
	spark int
}

// newLayout fits the table to w: the name column as wide as the longest
// name up to twice the minimum where there is room, then the number
// columns while the sparkline keeps minSpark.
func newLayout(w int, rows []*Row) layout {
	l := layout{w: w, name: nameWidth}
	longest := 0
	for _, r := range rows {
		longest = max(longest, utf8.RuneCountInString(r.Name))
	}
	if extra := (w - 80) / 2; extra > 0 {
		l.name = min(max(nameWidth, longest), nameWidth+extra, 2*nameWidth)
	}
	avail := w - (l.name + 1 + stateWidth + 1)
	n := max(0, min(len(columns), (avail-minSpark)/(numWidth+1)))
	for i, c := range columns {
		if c.drop < n {
			l.nums = append(l.nums, i)
		}
	}
	l.spark = max(0, avail-n*(numWidth+1))
	return l
}

// row draws one row; on a screen too narrow for the table, the name and
// the state only.
func (l layout) row(r *Row, paint func(code, text string) string) string {
	state, code := "", ""
	if r.Check {
		state, code = r.State.String(), stateColor[r.State]
	}
	if l.w < l.name+1+stateWidth+1+minSpark {
		cell := ""
		if r.Has {
			cell = columns[0].cell(r)
		}
		return fit(strings.TrimSpace(r.Name+" "+state+" "+cell), l.w)
	}
	line := fmt.Sprintf("%-*s %s ", l.name, fit(r.Name, l.name), paint(code, fmt.Sprintf("%-*s", stateWidth, state)))
	for _, i := range l.nums {
		cell := ""
		if r.Has {
			cell = columns[i].cell(r)
		}
		line += fmt.Sprintf("%*s ", numWidth, fit(cell, numWidth))
	}
	return line + sparkline(r, l.spark, paint)
}

// Render draws m as the lines of one frame, each at most s.Width columns
// (colour codes aside) and at most s.Height lines: the header, the table,
// the last error, the footer. It is a pure function of its arguments.
func Render(m *Model, s Screen) []string {
	w := max(s.Width, 20)
	paint := func(code, text string) string {
		if !s.Color || code == "" {
			return text
		}
		return code + text + reset
	}
	var lines []string
	add := func(line string) { lines = append(lines, line) }

	add(header(m, s, w, paint))
	layout := newLayout(w, m.Rows)
	if w >= layout.name+1+stateWidth+1+minSpark {
		head := fmt.Sprintf("%-*s %-*s ", layout.name, fit("CHECK / VALUE", layout.name), stateWidth, "STATE")
		for _, i := range layout.nums {
			head += fmt.Sprintf("%*s ", numWidth, columns[i].head)
		}
		add(paint(dim, fit(head+fit("TREND", layout.spark), w)))
	}
	extra := 4 // table head, error, blank, footer
	if s.Help {
		extra += 2
	}
	lines = append(lines, rows(m, s, layout, s.Height-1-extra, paint)...)
	if m.LastErr != "" {
		add(paint(stateColor[probe.Critical], fit("last error: "+output.OneLine(m.LastErr), w)))
	} else {
		add("")
	}
	if s.Help {
		add(fit("q or Ctrl-C: quit   p: pause / resume   r: probe now   ?: close this help", w))
		add(fit(fmt.Sprintf("%d probes since %s; the trend's bars past a level are in its colour.", m.Probes, m.Started.Format("15:04:05")), w))
	}
	add(paint(dim, fit("q quit  p pause  r probe now  ? help", w)))
	if s.Height > 0 && len(lines) > s.Height {
		lines = append(lines[:s.Height-1], lines[len(lines)-1])
	}
	return lines
}

// rows are the table's lines, at most room of them when the screen has a
// height: a line per row, and with Verbose a line under each check's with
// its expression and what it found; the rows that do not fit are counted.
func rows(m *Model, s Screen, l layout, room int, paint func(code, text string) string) []string {
	var lines []string
	for i, r := range m.Rows {
		detail := ""
		if s.Verbose && r.Check {
			detail = r.Message
			if detail == "" {
				detail = r.Expr // not decided: the expression alone
			}
			detail = paint(dim, fit("  "+output.OneLine(detail), l.w))
		}
		need := 1
		if detail != "" {
			need = 2
		}
		if s.Height > 0 && len(lines)+need > room {
			return append(lines, fit(fmt.Sprintf("… %d more rows; a taller terminal shows them", len(m.Rows)-i), l.w))
		}
		lines = append(lines, l.row(r, paint))
		if detail != "" {
			lines = append(lines, detail)
		}
	}
	return lines
}

// header is the first line: the target (cut first), the clock, the
// interval, the state and how long it has held; on a narrow screen the
// parts go in that order, the state stays.
func header(m *Model, s Screen, w int, paint func(code, text string) string) string {
	state := m.State.String()
	held := ""
	if m.Probes == 0 {
		state = "…"
	} else {
		held = " for " + short(s.Now.Sub(m.StateSince))
	}
	status := "every " + short(m.Interval)
	if s.Paused {
		status = "PAUSED"
	}
	parts := []string{"  " + s.Now.Format("15:04:05"), "  " + status, "  "}
	for {
		fixed := len("jsonprobe watch  ") + len(strings.Join(parts, "")) + utf8.RuneCountInString(state) + len(held)
		if room := w - fixed; room >= 12 {
			return "jsonprobe watch  " + fit(m.Target, room) + strings.Join(parts, "") + paint(bold+stateColor[m.State], state) + held
		}
		if len(parts) == 1 { // the state first, then what fits
			return paint(bold+stateColor[m.State], state) + fit(held+"  "+m.Target, w-utf8.RuneCountInString(state))
		}
		parts = parts[1:] // the clock, then the interval
	}
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
	if r.Below {
		return v < level
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

// num writes f in at most numWidth columns: integers and numbers of 1000
// or more without decimals, others with 2 (3 significant digits below 1),
// and k, M, G, T where the digits would not fit.
func num(f float64) string {
	a := math.Abs(f)
	var s string
	switch {
	case math.IsNaN(f):
		return "-"
	case math.IsInf(f, 0):
		return strconv.FormatFloat(f, 'f', 0, 64)
	case a != 0 && a < 1:
		s = strconv.FormatFloat(f, 'g', 3, 64)
	case f == math.Trunc(f), a >= 1000:
		s = strconv.FormatFloat(f, 'f', 0, 64)
	default:
		s = strconv.FormatFloat(f, 'f', 2, 64)
	}
	for _, u := range []struct {
		unit string
		size float64
	}{{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}} {
		if len(s) <= numWidth-1 { // room for a sign
			break
		}
		s = strconv.FormatFloat(f/u.size, 'f', 1, 64) + u.unit
	}
	return s
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

// writeRun writes what the pipe mode writes for one run: its Line, with
// Verbose followed by the Nagios long output indented under it, none for
// an OK run with Quiet; with JSON, the one-shot probe's -o json line.
func writeRun(w io.Writer, rep *probe.Report, o Options) error {
	switch {
	case o.JSON:
		return output.JSON(w, rep)
	case o.Quiet && rep.State == probe.OK:
		return nil
	}
	text := Line(rep) + "\n"
	if o.Verbose {
		var nagios strings.Builder
		if err := output.Nagios(&nagios, rep, output.NagiosOptions{}); err != nil {
			return err
		}
		// The long output is all but the status line, whose text is one
		// line.
		_, long, _ := strings.Cut(nagios.String(), "\n")
		for l := range strings.Lines(long) {
			text += "  " + l
		}
	}
	_, err := io.WriteString(w, text)
	return err
}

// Line is the pipe mode's line for one run: the time, the state, and each
// value read as name=value, named as the other outputs name it, in the
// guide's log form (2026-12-06 10:30:00 OK goroutines=856 memory=256),
// then error="…" when the document could not be read.
func Line(rep *probe.Report) string {
	var b strings.Builder
	b.WriteString(rep.Time.Format("2006-01-02 15:04:05"))
	b.WriteString(" " + rep.State.String())
	for _, v := range rep.Values {
		b.WriteString(" " + v.Name + "=" + strconv.FormatFloat(v.Value, 'f', -1, 64))
	}
	if rep.Err != nil {
		b.WriteString(" error=" + strconv.Quote(output.OneLine(rep.Err.Error())))
	}
	return b.String()
}
