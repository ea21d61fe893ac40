package output

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadHistoryWindow: a window keeps the runs from its start on (the
// start included) and counts the ones before it.
func TestReadHistoryWindow(t *testing.T) {
	tests := []struct {
		name             string
		lines            []string
		window           Window
		from             string // "" for the whole log
		runs, earlier    int
		first, last      string
		goroutines       []float64
		failed, newestAt int
	}{
		{
			name: "the whole log", lines: historyLines,
			runs: 4, failed: 1, first: "2026-12-06T10:00:00Z", last: "2026-12-06T10:30:00Z",
			goroutines: []float64{856, 1200, 2156},
		},
		{
			name: "the last 20m: from 20 minutes before the newest run", lines: historyLines, window: Window{Last: 20 * time.Minute},
			from: "2026-12-06T10:10:00Z", runs: 3, earlier: 1, failed: 1, first: "2026-12-06T10:10:00Z", last: "2026-12-06T10:30:00Z",
			goroutines: []float64{1200, 2156},
		},
		{
			name: "since a time", lines: historyLines, window: Window{Since: at("2026-12-06T10:15:00Z")},
			from: "2026-12-06T10:15:00Z", runs: 2, earlier: 2, failed: 1, first: "2026-12-06T10:20:00Z", last: "2026-12-06T10:30:00Z",
			goroutines: []float64{2156},
		},
		{
			name: "since a time in another zone", lines: historyLines, window: Window{Since: at("2026-12-06T12:30:00+02:00")},
			from: "2026-12-06T10:30:00Z", runs: 1, earlier: 3, first: "2026-12-06T10:30:00Z", last: "2026-12-06T10:30:00Z",
			goroutines: []float64{2156},
		},
		{
			name: "since after every run", lines: historyLines, window: Window{Since: at("2026-12-06T11:00:00Z")},
			from: "2026-12-06T11:00:00Z", earlier: 4,
		},
		{
			name:  "the newest run is the latest, not the last line",
			lines: []string{historyLines[3], historyLines[0], historyLines[1]}, window: Window{Last: 25 * time.Minute},
			from: "2026-12-06T10:05:00Z", runs: 2, earlier: 1, first: "2026-12-06T10:10:00Z", last: "2026-12-06T10:30:00Z",
			goroutines: []float64{2156, 1200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := readLines(t, cst, tt.window, tt.lines...)
			assert.Equal(t, len(tt.lines), h.Lines)
			assert.Equal(t, tt.window, h.Window)
			if tt.from == "" {
				assert.True(t, h.From.IsZero())
			} else {
				assert.Equal(t, at(tt.from), h.From)
			}
			assert.Equal(t, tt.runs, h.Runs)
			assert.Equal(t, tt.earlier, h.Earlier)
			assert.Equal(t, tt.failed, h.Failed)
			assert.Equal(t, at("2026-12-06T10:30:00Z"), h.Newest)
			if tt.runs > 0 {
				assert.Equal(t, at(tt.first), h.First)
				assert.Equal(t, at(tt.last), h.Last)
			}
			assert.Equal(t, tt.goroutines, seriesValues(h)["goroutines"])
		})
	}
}

// TestSeriesChange: the change is the trend in percent of the first
// value, whatever its sign, and none from 0.
func TestSeriesChange(t *testing.T) {
	tests := []struct {
		name        string
		first, last float64
		want        string
	}{
		{"growth", 1000, 1200, "+20.0%"},
		{"fall", 1000, 800, "-20.0%"},
		{"flat", 256, 256, "0.0%"},
		{"too small to show", 100000, 100001, "0.0%"},
		{"from a negative value, up", -10, -5, "+50.0%"},
		{"from a negative value, down", -10, -15, "-50.0%"},
		{"from 0", 0, 5, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Series{First: tt.first, Last: tt.last}
			assert.Equal(t, tt.want, percent(s.Change()))
		})
	}
	assert.True(t, math.IsNaN((&Series{First: 0, Last: 5}).Change()))
}

// TestWriteHistoryRateNotes: a per-hour trend drawn from less than a tenth
// of an hour, or from two samples, says what it rests on.
func TestWriteHistoryRateNotes(t *testing.T) {
	base := at("2026-12-08T03:50:00Z")
	tests := []struct {
		name   string
		offset []time.Duration // of each sample after base
		want   string          // the per-hour cell
	}{
		{"two samples 11s apart", []time.Duration{0, 11 * time.Second}, "+1309090.91/h (from 2 samples in 11s)"},
		{"three samples in 11s", []time.Duration{0, 5 * time.Second, 11 * time.Second}, "+1309090.91/h (from 11s of data)"},
		{"just under a tenth of an hour", []time.Duration{0, time.Minute, 5*time.Minute + 59*time.Second}, "+40111.42/h (from 5m59s of data)"},
		{"a tenth of an hour", []time.Duration{0, time.Minute, 6 * time.Minute}, "+40000/h"},
		{"two samples an hour apart", []time.Duration{0, time.Hour}, "+4000/h (from 2 samples)"},
		{"one sample", []time.Duration{0}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Series{Label: "goroutines"}
			for i, d := range tt.offset {
				v := 1000.0
				if i == len(tt.offset)-1 && i > 0 {
					v = 5000
				}
				if i == 0 {
					s.Min, s.Max, s.First, s.FirstTime = v, v, v, base
				}
				s.add(v, base.Add(d))
			}
			assert.Equal(t, tt.want, perHour(s))
			var b strings.Builder
			require.NoError(t, writeSeries(&b, []*Series{s}, false))
			assert.Contains(t, b.String(), tt.want+"\n", "the row ends with the cell")
		})
	}
}

// TestWriteHistoryWindow: a window is said first, with the runs it leaves
// out.
func TestWriteHistoryWindow(t *testing.T) {
	tests := []struct {
		name   string
		window Window
		want   string
	}{
		{
			name:   "the last 20m",
			window: Window{Last: 20 * time.Minute},
			want: `window: the last 20m, since 2026-12-06T10:10:00Z; 1 earlier run left out
3 runs from 2026-12-06T10:10:00Z to 2026-12-06T10:30:00Z (20m)
1 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; 1 with an error, left out of the metrics

      metric  count     min     max    avg   first    last    trend  change                    per hour
  goroutines      2    1200    2156   1678    1200    2156     +956  +79.7%    +2868/h (from 2 samples)
        size      2     112     112    112     112     112        0    0.0%        0/h (from 2 samples)
        time      2  0.0039  0.0041  0.004  0.0041  0.0039  -0.0002   -4.9%  -0.0006/h (from 2 samples)
`,
		},
		{
			name:   "since a time after every run",
			window: Window{Since: at("2026-12-06T11:00:00Z")},
			want: `window: since 2026-12-06T11:00:00Z; 4 earlier runs left out
0 runs
0 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN; 0 with an error, left out of the metrics

no metric values: no runs in the window
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := readLines(t, cst, tt.window, historyLines...)
			var b strings.Builder
			require.NoError(t, WriteHistory(&b, h, false))
			assert.Equal(t, tt.want, b.String())
		})
	}
}
