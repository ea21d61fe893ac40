package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

var t0 = time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)

// mustRange is the range s parses to.
func mustRange(s string) *probe.Range {
	r, err := probe.ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

// report is a run that read goroutines=g and memory.alloc_mb=256, with
// the check's state for the levels 2000 and 5000.
func report(i int, g float64) *probe.Report {
	st := probe.OK
	switch {
	case g > 5000:
		st = probe.Critical
	case g > 2000:
		st = probe.Warning
	}
	v := expr.Value{Kind: expr.Number, Num: g}
	return &probe.Report{
		Target: "http://app/health", Time: t0.Add(time.Duration(i) * 5 * time.Second), State: st,
		Outcomes: []probe.Outcome{{Name: "goroutines", Level: probe.LevelWarning, State: st, Value: &v}},
		Perf:     []probe.Perf{{Label: "goroutines", Value: g, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")}},
		Values:   []probe.PathValue{{Path: "goroutines", Name: "goroutines", Value: g}, {Path: "memory.alloc_mb", Name: "memory.alloc_mb", Value: 256}},
	}
}

func TestModelAndRender(t *testing.T) {
	m := NewModel("http://app/health", 5*time.Second, t0)
	for i, g := range []float64{1000, 1500, 2500, 6000} {
		m.Update(report(i, g))
	}
	require.Len(t, m.Rows, 2, "the check shows goroutines; memory.alloc_mb is a row of its own")
	g := m.Rows[0]
	assert.Equal(t, probe.Critical, g.State)
	assert.Equal(t, []float64{1000, 6000, 2750, 5000}, []float64{g.Min, g.Max, g.Avg(), g.Change()})
	assert.InDelta(t, 20000, g.Rate(), 1e-9, "5000 in 15 s is 20000 a minute")
	assert.Equal(t, t0.Add(15*time.Second), m.StateSince)

	lines := Render(m, Screen{Width: 80, Height: 24, Now: t0.Add(20 * time.Second)})
	text := strings.Join(lines, "\n")
	assert.Equal(t, "jsonprobe watch  http://app/health  10:30:20  every 5s  CRITICAL for 5s", lines[0])
	assert.Regexp(t, `(?m)^goroutines +CRITICAL +6000 +1000 +2750 +6000 +\+5000 +\+20000 ▁▁▃█$`, text)
	assert.Regexp(t, `(?m)^memory\.alloc_mb +256 +256 +256 +256 +0 +0 ▁▁▁▁$`, text)
	wide := strings.Join(Render(m, Screen{Width: 120, Height: 24, Now: t0}), "\n")
	assert.Regexp(t, `(?m)^goroutines .* ▁▁▃█ w2000 c5000$`, wide, "the levels where there is room")
	assert.Equal(t, "q quit  p pause  r probe now  ? help", lines[len(lines)-1])
	for _, l := range lines {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, l)
	}
	// Narrower: fewer columns, the sparkline stays.
	for _, l := range Render(m, Screen{Width: 60, Height: 20, Now: t0}) {
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 60, l)
	}
	// The sparkline grows with the samples, as wide as there is room.
	m.Update(report(4, 6000))
	assert.Contains(t, strings.Join(Render(m, Screen{Width: 80, Height: 24, Now: t0}), "\n"), " ▁▁▃██\n")
}

func TestRenderError(t *testing.T) {
	m := NewModel("http://app/health", time.Second, t0)
	m.Update(report(0, 1000))
	failed := &probe.Report{Target: "http://app/health", Time: t0.Add(time.Second), State: probe.Critical, Err: errors.New("GET http://app/health: connection refused")}
	m.Update(failed)
	text := strings.Join(Render(m, Screen{Width: 100, Height: 24, Now: t0.Add(2 * time.Second)}), "\n")
	assert.Contains(t, text, "last error: GET http://app/health: connection refused")
	assert.Regexp(t, `(?m)^goroutines +UNKNOWN +missing `, text, "the rows stay, not decided, their value missing")
}

func TestRenderColorAndSmallScreens(t *testing.T) {
	m := NewModel("http://app/health", time.Second, t0)
	for i := range 40 {
		r := report(i, 1000)
		r.Values = append(r.Values, probe.PathValue{Path: strings.Repeat("v", i%7+1), Name: strings.Repeat("v", i%7+1), Value: float64(i)})
		m.Update(r)
	}
	lines := Render(m, Screen{Width: 80, Height: 10, Color: true, Now: t0})
	assert.LessOrEqual(t, len(lines), 10)
	assert.Contains(t, lines[0], "\x1b[1m\x1b[32mOK\x1b[0m")
	assert.Contains(t, strings.Join(lines, "\n"), "more rows; a taller terminal shows them")
}

func TestLine(t *testing.T) {
	assert.Equal(t, "2026-12-06 10:30:05 WARNING goroutines=2500 memory.alloc_mb=256", Line(report(1, 2500)))
	failed := &probe.Report{Time: t0, State: probe.Critical, Err: errors.New("GET http://app/health: connection refused")}
	assert.Equal(t, `2026-12-06 10:30:00 CRITICAL error="GET http://app/health: connection refused"`, Line(failed))
}

// visible is a line's width on screen: its runes without colour codes.
func visible(s string) int {
	return utf8.RuneCountInString(regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(s, ""))
}

func TestRenderFitsEveryWidth(t *testing.T) {
	m := NewModel("https://a-long-host-name.example.com/api/monitor/health?x=1", time.Second, t0)
	for i, g := range []float64{1000, 268435456, 0.004} {
		r := report(i, g)
		r.Target = m.Target
		r.Values = append(r.Values, probe.PathValue{Path: "a.rather.long.path.to.a.value", Name: "a.rather.long.path.to.a.value", Value: g})
		m.Update(r)
	}
	for _, w := range []int{20, 30, 40, 50, 60, 80, 132, 200} {
		for _, help := range []bool{false, true} {
			lines := Render(m, Screen{Width: w, Height: 12, Color: true, Help: help, Now: t0})
			assert.LessOrEqual(t, len(lines), 12)
			for _, l := range lines {
				assert.LessOrEqual(t, visible(l), w, "width %d: %q", w, l)
			}
			assert.Contains(t, lines[0], "OK", "width %d: the state stays", w)
		}
	}
	wide := strings.Join(Render(m, Screen{Width: 132, Height: 24, Now: t0}), "\n")
	assert.Contains(t, wide, "a.rather.long.path.to.a.value", "a wide screen shows long names whole")
	assert.Contains(t, wide, "268.4M")
	assert.Contains(t, wide, " 0.004 ")
}

func TestRenderHelpShowsWithManyRows(t *testing.T) {
	m := NewModel("http://app/health", time.Second, t0)
	r := report(0, 1000)
	for i := range 30 {
		r.Values = append(r.Values, probe.PathValue{Path: fmt.Sprint("v", i), Name: fmt.Sprint("v", i), Value: 1})
	}
	m.Update(r)
	text := strings.Join(Render(m, Screen{Width: 80, Height: 24, Help: true, Now: t0}), "\n")
	assert.Contains(t, text, "q or Ctrl-C: quit")
	assert.Contains(t, text, "more rows")
}

// TestFloorLevels: a check that alerts below its level (free_mb < 100)
// colours the bars under it, not over it.
func TestFloorLevels(t *testing.T) {
	m := NewModel("http://app/health", time.Second, t0)
	for i, f := range []float64{500, 50} {
		st := probe.OK
		if f < 100 {
			st = probe.Critical
		}
		v := expr.Value{Kind: expr.Number, Num: f}
		m.Update(&probe.Report{Time: t0.Add(time.Duration(i) * time.Second), State: st,
			Outcomes: []probe.Outcome{{Name: "free", Level: probe.LevelCritical, State: st, Value: &v,
				Observations: []expr.Observation{{Subject: "free_mb", Path: "free_mb", Value: v}}}},
			Perf:   []probe.Perf{{Label: "free", Value: f, Crit: mustRange("100:")}},
			Values: []probe.PathValue{{Path: "free_mb", Name: "free", Value: f}}})
	}
	require.Len(t, m.Rows, 1, "the check shows its operand's value; no row of its own")
	assert.True(t, m.Rows[0].Below)
	line := Render(m, Screen{Width: 80, Height: 24, Color: true, Now: t0})[2]
	assert.Contains(t, line, "█\x1b[31m▁\x1b[0m", "the low bar is red, the high one not")
}

// TestViewKeys: the view's keys pause and resume the probes, show the
// help and quit, a quit once the probe in flight has ended; when the keys
// end, the view goes on without them.
func TestViewKeys(t *testing.T) {
	var out strings.Builder
	l := &viewLoop{view: &view{fd: -1, out: &out, keys: make(chan byte)},
		m: NewModel("http://app/health", time.Second, t0), o: Options{Interval: time.Second, Now: func() time.Time { return t0 }},
		results: make(chan probed, 1), next: time.NewTimer(time.Hour)}
	t.Cleanup(func() { l.next.Stop() })

	for _, k := range []byte{'p', '?'} {
		assert.False(t, l.key(k, true), "%q", k)
	}
	assert.True(t, l.s.Paused)
	assert.True(t, l.s.Help)
	assert.Contains(t, out.String(), "q or Ctrl-C: quit", "redrawn with the help")
	assert.False(t, l.key('p', true))
	assert.False(t, l.s.Paused)
	assert.False(t, l.key(0, false))
	assert.Nil(t, l.keys, "no more keys")

	for _, k := range []byte{'q', 3, 4} {
		assert.True(t, l.key(k, true), "%q quits", k)
	}
	cancelled := false
	l.running, l.cancelProbe = true, func() { cancelled = true }
	l.results <- probed{&probe.Report{}}
	assert.True(t, l.key('q', true))
	assert.True(t, cancelled, "the probe in flight is cancelled")
	assert.Empty(t, l.results, "and its result waited for")
}

// TestValueNames: values are named as the other outputs name them (a
// check's name, a metric's label, else the path), in the rows and the
// lines; the state file's history, kept by path, still fills their rows.
func TestValueNames(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "health.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":856,"memory":{"alloc_mb":256,"sys_mb":512}}`), 0o600))
	cfg := probe.NewConfig()
	cfg.Target = doc
	require.NoError(t, cfg.AddCheck("warning", "memory: memory.alloc_mb > 3072"))
	require.NoError(t, cfg.AddCheck("critical", "goroutines > 5000"))
	sys, err := probe.ParseMetric("memory.sys_mb=sys")
	require.NoError(t, err)
	cfg.Metrics = append(cfg.Metrics, sys)
	p, err := probe.Compile(cfg)
	require.NoError(t, err)
	rep := p.Run(context.Background(), "")
	require.NoError(t, rep.Err)

	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d OK memory=256 goroutines=856 sys=512$`, Line(rep))
	m := NewModel(doc, time.Second, t0)
	m.Prefill(map[string][]float64{"memory.sys_mb": {500, 510}})
	m.Update(rep)
	var names []string
	for _, r := range m.Rows {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"memory", "goroutines", "sys"}, names)
	assert.Equal(t, []float64{500, 510, 512}, m.Rows[2].Samples, "the history of memory.sys_mb")
}

// TestWriteRun: what the lines write for a run: the log line; with
// Verbose, the Nagios long output indented under it; with Quiet, nothing
// for an OK run; with JSON, the one-shot probe's JSON line, an OK run's
// too.
func TestWriteRun(t *testing.T) {
	ok, warn := report(0, 1000), report(1, 2500)
	warn.Outcomes[0].Message = "goroutines > 2000 (got 2500)"
	for _, tc := range []struct {
		name string
		rep  *probe.Report
		o    Options
		want string
	}{
		{"line", warn, Options{}, "2026-12-06 10:30:05 WARNING goroutines=2500 memory.alloc_mb=256\n"},
		{"verbose", warn, Options{Verbose: true}, "2026-12-06 10:30:05 WARNING goroutines=2500 memory.alloc_mb=256\n  WARNING goroutines: goroutines > 2000 (got 2500)\n"},
		{"quiet ok", ok, Options{Quiet: true, Verbose: true}, ""},
		{"quiet warning", warn, Options{Quiet: true}, "2026-12-06 10:30:05 WARNING goroutines=2500 memory.alloc_mb=256\n"},
		{"json", warn, Options{JSON: true}, `"state":"WARNING"`},
		{"json quiet ok", ok, Options{JSON: true, Quiet: true}, `"state":"OK"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, writeRun(&b, tc.rep, tc.o))
			if !tc.o.JSON {
				assert.Equal(t, tc.want, b.String())
				return
			}
			assert.Contains(t, b.String(), tc.want)
			var obj map[string]any
			require.NoError(t, json.Unmarshal([]byte(b.String()), &obj), "one JSON object")
			assert.Equal(t, 1, strings.Count(b.String(), "\n"), "on one line")
		})
	}
}

// warningProbe is a compiled probe of a document at 2500 goroutines with
// a warning over 2000, and a file for a terminal: the view draws on it as
// on one whose size cannot be read.
func warningProbe(t *testing.T) (*probe.Probe, *os.File) {
	t.Helper()
	doc := filepath.Join(t.TempDir(), "health.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":2500}`), 0o600))
	cfg := probe.NewConfig()
	cfg.Target = doc
	require.NoError(t, cfg.AddCheck("warning", "goroutines > 2000"))
	p, err := probe.Compile(cfg)
	require.NoError(t, err)
	tty, err := os.Create(filepath.Join(t.TempDir(), "terminal"))
	require.NoError(t, err)
	t.Cleanup(func() { tty.Close() })
	return p, tty
}

// TestRunLines: JSON and Quiet ask for the lines, a terminal or not: the
// view is never drawn for them.
func TestRunLines(t *testing.T) {
	p, tty := warningProbe(t)
	for _, o := range []Options{{JSON: true}, {Quiet: true}} {
		var out strings.Builder
		o.Out, o.Terminal, o.Interval, o.For = &out, tty, 20*time.Millisecond, 70*time.Millisecond
		last, end, err := Run(context.Background(), p, o)
		require.NoError(t, err)
		assert.Equal(t, probe.Warning, last)
		assert.Equal(t, Done, end)
		assert.NotContains(t, out.String(), "\x1b", "no view")
		assert.Regexp(t, `^(\{"schema_version":1,.*"state":"WARNING".*\}\n|\d{4}-.* WARNING goroutines=2500\n)+$`, out.String())
	}
}

// TestRenderVerbose: with Verbose, each check's row has a line under it
// with what the probe found, or its expression when it was not decided;
// the rows that do not fit are counted with their lines.
func TestRenderVerbose(t *testing.T) {
	m := NewModel("http://app/health", time.Second, t0)
	r := report(0, 2500)
	r.Outcomes[0].Expr, r.Outcomes[0].Message = "goroutines > 2000", "goroutines > 2000 (got 2500)"
	m.Update(r)
	lines := Render(m, Screen{Width: 80, Height: 24, Verbose: true, Now: t0})
	require.Len(t, lines, 7)
	assert.Regexp(t, `^goroutines +WARNING +2500 `, lines[2])
	assert.Equal(t, "  goroutines > 2000 (got 2500)", lines[3])
	assert.Regexp(t, `^memory\.alloc_mb +256 `, lines[4], "a value has no line under it")
	assert.NotContains(t, strings.Join(Render(m, Screen{Width: 80, Height: 24, Now: t0}), "\n"), "(got 2500)", "not without Verbose")

	m.Update(&probe.Report{Time: t0.Add(time.Second), State: probe.Critical, Err: errors.New("connection refused")})
	assert.Equal(t, "  goroutines > 2000", Render(m, Screen{Width: 80, Height: 24, Verbose: true, Now: t0})[3], "not decided: the expression")

	lines = Render(m, Screen{Width: 80, Height: 6, Verbose: true, Now: t0})
	assert.Equal(t, "… 2 more rows; a taller terminal shows them", lines[2], "a check and its line, or neither")
}

// TestSparklineUsesTheWidth: the sparkline takes every column the table
// leaves, one cell per probe, the newest last: at 130 columns 57 cells
// once there are as many probes, as at 80 the 7 that are left there.
func TestSparklineUsesTheWidth(t *testing.T) {
	m := NewModel("http://app/health", 5*time.Second, t0)
	for i := range 600 {
		m.Update(report(i, float64(1000+i%100)))
	}
	bars := regexp.MustCompile(`[▁▂▃▄▅▆▇█]+$`)
	for w, cells := range map[int]int{80: 7, 100: 27, 130: 57, 200: 127} {
		for _, line := range Render(m, Screen{Width: w, Height: 24, Now: t0})[2:4] {
			assert.Equal(t, w, utf8.RuneCountInString(line), "%d columns: %q", w, line)
			assert.Equal(t, cells, utf8.RuneCountInString(bars.FindString(line)), "%d columns: %q", w, line)
		}
	}
	m = NewModel("http://app/health", 5*time.Second, t0)
	for i := range 7 {
		m.Update(report(i, 1000))
	}
	assert.Regexp(t, ` ▁{7} w2000 c5000$`, Render(m, Screen{Width: 130, Height: 24, Now: t0})[2], "7 probes: 7 cells, and the levels after them")
}

// TestViewColor: the view draws in colour when Color is set (not with
// NO_COLOR or TERM=dumb), and without any otherwise.
func TestViewColor(t *testing.T) {
	p, tty := warningProbe(t)
	for _, color := range []bool{true, false} {
		var out strings.Builder
		_, end, err := Run(context.Background(), p, Options{Out: &out, Terminal: tty, Color: color, Interval: time.Hour, For: 100 * time.Millisecond})
		require.NoError(t, err)
		require.Equal(t, Done, end)
		require.Contains(t, out.String(), "goroutines ", "the view was drawn")
		assert.Equal(t, color, strings.Contains(out.String(), stateColor[probe.Warning]+"WARNING"), "colour %v: %q", color, out.String())
	}
}
