package output

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		width  int
		want   string
	}{
		{"rising", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 40, "▁▂▃▄▅▆▇█"},
		{"flat", []float64{5, 5, 5}, 40, "▁▁▁"},
		{"averaged into the width", []float64{0, 0, 10, 10}, 2, "▁█"},
		{"empty", nil, 40, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Sparkline(tt.values, tt.width))
		})
	}
}

func TestReadHistory(t *testing.T) {
	in := strings.Join([]string{
		`{"time":"2026-11-28T20:00:00Z","metrics":{"goroutines":856,"x":null}}`,
		`garbage`,
		`{"time":"2026-11-28T22:00:00Z","metrics":{"goroutines":2856}}`,
		``,
		`{"metrics":{"goroutines":1}}`,
	}, "\n")
	h, err := ReadHistory(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, 4, h.Lines)
	assert.Equal(t, 2, h.Skipped, "garbage and a line without time")
	require.Len(t, h.Series, 1, "null values are skipped")
	s := h.Series[0]
	assert.Equal(t, "goroutines", s.Label)
	assert.Equal(t, 2, s.Count)
	assert.Equal(t, 1856.0, s.Avg())
	assert.Equal(t, 2000.0, s.Trend())
	assert.Equal(t, 1000.0, s.PerHour())
}

// historyLines are the lines of a small history: two OK runs, a run whose
// fetch failed, and a CRITICAL run, ten minutes apart.
var historyLines = []string{
	`{"schema_version":1,"time":"2026-12-06T10:00:00Z","state":"OK","exit_code":0,"error":null,"metrics":{"goroutines":856,"time":0.0032,"size":112}}`,
	`{"schema_version":1,"time":"2026-12-06T10:10:00Z","state":"OK","exit_code":0,"error":null,"metrics":{"goroutines":1200,"time":0.0041,"size":112}}`,
	`{"schema_version":1,"time":"2026-12-06T10:20:00Z","state":"CRITICAL","exit_code":2,"error":"connection refused","metrics":{"time":0.001,"size":0}}`,
	`{"schema_version":1,"time":"2026-12-06T10:30:00Z","state":"CRITICAL","exit_code":2,"error":null,"metrics":{"goroutines":2156,"time":0.0039,"size":112}}`,
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestReadHistoryRuns checks what a history says about its runs: the
// counts per state, the failed runs and the time span, and which values
// reach the series.
func TestReadHistoryRuns(t *testing.T) {
	tests := []struct {
		name        string
		lines       []string
		runs        int
		states      [4]int // OK, WARNING, CRITICAL, UNKNOWN
		failed      int
		skipped     int
		first, last string
		values      map[string][]float64
	}{
		{
			name:  "a failed run is counted but adds no values",
			lines: historyLines,
			runs:  4, states: [4]int{2, 0, 2, 0}, failed: 1,
			first: "2026-12-06T10:00:00Z", last: "2026-12-06T10:30:00Z",
			values: map[string][]float64{
				"goroutines": {856, 1200, 2156},
				"size":       {112, 112, 112},
				"time":       {0.0032, 0.0041, 0.0039},
			},
		},
		{
			name: "only failed runs: no series",
			lines: []string{
				`{"time":"2026-12-06T10:00:00Z","state":"CRITICAL","error":"connection refused","metrics":{"time":0.001,"size":0}}`,
				`{"time":"2026-12-06T11:00:00Z","state":"UNKNOWN","error":"body is not JSON","metrics":{"time":0.001,"size":24}}`,
			},
			runs: 2, states: [4]int{0, 0, 1, 1}, failed: 2,
			first: "2026-12-06T10:00:00Z", last: "2026-12-06T11:00:00Z",
			values: map[string][]float64{},
		},
		{
			name: "any error that is not null fails the run",
			lines: []string{
				`{"time":"2026-12-06T10:00:00Z","state":"CRITICAL","error":"","metrics":{"time":0.001}}`,
				`{"time":"2026-12-06T10:01:00Z","state":"CRITICAL","error":{"code":7},"metrics":{"time":0.002}}`,
				`{"time":"2026-12-06T10:02:00Z","state":"OK","metrics":{"time":0.003}}`,
			},
			runs: 3, states: [4]int{1, 0, 2, 0}, failed: 2,
			first: "2026-12-06T10:00:00Z", last: "2026-12-06T10:02:00Z",
			values: map[string][]float64{"time": {0.003}},
		},
		{
			name: "a missing or strange state counts as UNKNOWN",
			lines: []string{
				`{"time":"2026-12-06T10:00:00Z","error":null,"metrics":{"x":1}}`,
				`{"time":"2026-12-06T10:01:00Z","state":"ok","error":null,"metrics":{"x":2}}`,
				`{"time":"2026-12-06T10:02:00Z","state":"WARNING","error":null,"metrics":{"x":3}}`,
			},
			runs: 3, states: [4]int{0, 1, 0, 2},
			first: "2026-12-06T10:00:00Z", last: "2026-12-06T10:02:00Z",
			values: map[string][]float64{"x": {1, 2, 3}},
		},
		{
			name: "the span runs from the earliest to the latest time, in UTC",
			lines: []string{
				`{"time":"2026-12-06T12:00:00+02:00","state":"OK","error":null,"metrics":{"x":1}}`,
				`{"time":"2026-12-06T09:00:00Z","state":"OK","error":null,"metrics":{"x":2}}`,
				`{"time":"2026-12-06T10:30:00Z","state":"OK","error":null,"metrics":{"x":3}}`,
			},
			runs: 3, states: [4]int{3, 0, 0, 0},
			first: "2026-12-06T09:00:00Z", last: "2026-12-06T10:30:00Z",
			values: map[string][]float64{"x": {1, 2, 3}},
		},
		{
			name: "lines that are not results are skipped, not runs",
			lines: []string{
				`not json`,
				`{"time":"2026-12-06T10:00:00Z","state":"OK","error":"x"}`,
				`{"state":"OK","error":null,"metrics":{"x":1}}`,
			},
			skipped: 3,
			values:  map[string][]float64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ReadHistory(strings.NewReader(strings.Join(tt.lines, "\n")))
			require.NoError(t, err)
			assert.Equal(t, len(tt.lines), h.Lines)
			assert.Equal(t, tt.runs, h.Runs)
			assert.Equal(t, tt.states, h.States)
			assert.Equal(t, tt.failed, h.Failed)
			assert.Equal(t, tt.skipped, h.Skipped)
			if tt.first == "" {
				assert.True(t, h.First.IsZero() && h.Last.IsZero(), "no runs, no span")
			} else {
				assert.Equal(t, at(tt.first), h.First)
				assert.Equal(t, at(tt.last), h.Last)
				assert.Equal(t, time.UTC, h.First.Location())
				assert.Equal(t, time.UTC, h.Last.Location())
			}
			values := map[string][]float64{}
			for _, s := range h.Series {
				assert.Equal(t, len(s.Values), s.Count, s.Label)
				values[s.Label] = s.Values
			}
			assert.Equal(t, tt.values, values)
		})
	}
}

func TestReadHistorySeriesSkipFailedRuns(t *testing.T) {
	h, err := ReadHistory(strings.NewReader(strings.Join(historyLines, "\n")))
	require.NoError(t, err)
	require.Len(t, h.Series, 3)
	byLabel := map[string]*Series{}
	for _, s := range h.Series {
		byLabel[s.Label] = s
	}
	tm := byLabel["time"]
	assert.Equal(t, 0.0032, tm.Min, "the failed run's 0.001 is left out")
	assert.Equal(t, 0.0039, tm.Last)
	assert.Equal(t, at("2026-12-06T10:30:00Z"), tm.LastTime)
	size := byLabel["size"]
	assert.Equal(t, 112.0, size.Min, "the failed run's size 0 is left out")
	assert.Equal(t, 0.0, size.Trend())
}

func TestWriteHistory(t *testing.T) {
	tests := []struct {
		name      string
		lines     []string
		sparkline bool
		want      string
	}{
		{
			name:  "failed run",
			lines: append(append([]string{}, historyLines...), "garbage"),
			want: `4 runs from 2026-12-06T10:00:00Z to 2026-12-06T10:30:00Z (30m)
2 OK, 0 WARNING, 2 CRITICAL, 0 UNKNOWN; 1 with an error, left out of the metrics

      metric  count     min     max       avg   first    last    trend   change   per hour
  goroutines      3     856    2156      1404     856    2156    +1300  +151.9%    +2600/h
        size      3     112     112       112     112     112        0     0.0%        0/h
        time      3  0.0032  0.0041  0.003733  0.0032  0.0039  +0.0007   +21.9%  +0.0014/h
1 of 5 lines skipped: not a jsonprobe JSON result or watch line
`,
		},
		{
			name:      "one run, sparkline",
			lines:     historyLines[:1],
			sparkline: true,
			want: `1 run at 2026-12-06T10:00:00Z
1 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN; 0 with an error, left out of the metrics

      metric  count     min     max     avg   first    last  trend  change  per hour   
  goroutines      1     856     856     856     856     856      0    0.0%         -  ▁
        size      1     112     112     112     112     112      0    0.0%         -  ▁
        time      1  0.0032  0.0032  0.0032  0.0032  0.0032      0    0.0%         -  ▁
`,
		},
		{
			name:  "only failed runs",
			lines: historyLines[2:3],
			want: `1 run at 2026-12-06T10:20:00Z
0 OK, 0 WARNING, 1 CRITICAL, 0 UNKNOWN; 1 with an error, left out of the metrics

no metric values: every run had an error
`,
		},
		{
			name:  "no runs",
			lines: []string{"garbage"},
			want: `0 runs
0 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN; 0 with an error, left out of the metrics

no metric values: no jsonprobe JSON results or watch lines
1 of 1 lines skipped: not a jsonprobe JSON result or watch line
`,
		},
		{
			name:  "runs without metrics",
			lines: []string{`{"time":"2026-12-06T10:00:00Z","state":"OK","error":null,"metrics":{"x":null}}`},
			want: `1 run at 2026-12-06T10:00:00Z
1 OK, 0 WARNING, 0 CRITICAL, 0 UNKNOWN; 0 with an error, left out of the metrics

no metric values
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ReadHistory(strings.NewReader(strings.Join(tt.lines, "\n")))
			require.NoError(t, err)
			var b strings.Builder
			require.NoError(t, WriteHistory(&b, h, tt.sparkline))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

func TestHistorySpan(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"zero", 0, "0s"},
		{"seconds", 45 * time.Second, "45s"},
		{"minutes", 30 * time.Minute, "30m"},
		{"hours and minutes", 7*time.Hour + 10*time.Minute, "7h10m"},
		{"whole hours", 2 * time.Hour, "2h"},
		{"seconds kept after hours", 2*time.Hour + 5*time.Second, "2h0m5s"},
		{"days", 7*24*time.Hour + 3*time.Hour, "7d3h"},
		{"fractions rounded", 90*time.Second + 400*time.Millisecond, "1m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, historySpan(tt.d))
		})
	}
}

// FuzzReadHistory checks that any input gives a history whose counts add
// up: every line a run or skipped, every run in one state, and values only
// from runs without an error; JSON and watch lines alike.
func FuzzReadHistory(f *testing.F) {
	f.Add(strings.Join(historyLines, "\n"))
	f.Add("garbage\n\n" + historyLines[2])
	f.Add(`{"time":"2026-12-06T10:00:00Z","state":"ok","error":{},"metrics":{"x":null}}`)
	f.Add("2026-12-08 03:50:31 OK goroutines=1234 memory=256\n2026-12-08 03:51:01 CRITICAL error=\"refused\"")
	f.Add("2026-12-08 03:50:31 OK memory.alloc_mb=250\n" + renamedLine("2026-12-08T03:51:00Z", "256"))
	f.Fuzz(func(t *testing.T, in string) {
		h, err := ReadHistory(strings.NewReader(in))
		if err != nil {
			return // a line over the scanner's limit
		}
		assert.Equal(t, h.Lines, h.Runs+h.Skipped)
		assert.Equal(t, h.Runs, h.States[0]+h.States[1]+h.States[2]+h.States[3])
		assert.LessOrEqual(t, h.Failed, h.Runs)
		assert.False(t, h.Last.Before(h.First))
		for _, s := range h.Series {
			assert.Equal(t, len(s.Values), s.Count)
			assert.LessOrEqual(t, s.Count, h.Runs-h.Failed)
		}
		var b strings.Builder
		assert.NoError(t, WriteHistory(&b, h, true))
	})
}
