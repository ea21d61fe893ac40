package output

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cst is the zone the watch lines of these tests were written in.
var cst = time.FixedZone("CST", 8*3600)

// readLines sums up lines as a log whose watch lines were written in loc.
func readLines(t *testing.T, loc *time.Location, w Window, lines ...string) *History {
	t.Helper()
	l, err := readHistoryLog(strings.NewReader(strings.Join(lines, "\n")), loc)
	require.NoError(t, err)
	return l.summarize(w)
}

// seriesValues is each series' values by its label.
func seriesValues(h *History) map[string][]float64 {
	values := map[string][]float64{}
	for _, s := range h.Series {
		values[s.Label] = s.Values
	}
	return values
}

// TestReadHistoryWatchLines: the lines jsonprobe watch writes off a
// terminal are runs, alone or among JSON lines; their times are local.
func TestReadHistoryWatchLines(t *testing.T) {
	tests := []struct {
		name                string
		lines               []string
		runs, failed, skips int
		states              [4]int
		first, last         string
		values              map[string][]float64
	}{
		{
			name: "the guide's log form",
			lines: []string{
				`2026-12-08 03:50:31 OK goroutines=1234 memory=256`,
				`2026-12-08 03:51:01 WARNING goroutines=2100 memory=260`,
			},
			runs: 2, states: [4]int{1, 1, 0, 0},
			first: "2026-12-07T19:50:31Z", last: "2026-12-07T19:51:01Z",
			values: map[string][]float64{"goroutines": {1234, 2100}, "memory": {256, 260}},
		},
		{
			name: "a failed probe counts, its values do not",
			lines: []string{
				`2026-12-08 03:50:31 OK goroutines=1234`,
				`2026-12-08 03:51:01 CRITICAL error="GET http://app/health: connection \"refused\""`,
			},
			runs: 2, failed: 1, states: [4]int{1, 0, 1, 0},
			first: "2026-12-07T19:50:31Z", last: "2026-12-07T19:51:01Z",
			values: map[string][]float64{"goroutines": {1234}},
		},
		{
			name: "names with spaces and =, negative and decimal values; not finite ones left out",
			lines: []string{
				`2026-12-08 03:50:31 CRITICAL goroutine leak=12.5 items.#(name=="a b").n=-3 x=NaN y=+Inf`,
				`2026-12-08 03:50:41 UNKNOWN`,
			},
			runs: 2, states: [4]int{0, 0, 1, 1},
			first: "2026-12-07T19:50:31Z", last: "2026-12-07T19:50:41Z",
			values: map[string][]float64{"goroutine leak": {12.5}, `items.#(name=="a b").n`: {-3}},
		},
		{
			name: "watch -v: the checks' indented lines go with their probe's",
			lines: []string{
				`2026-12-08 03:50:31 WARNING goroutines=2100`,
				`    WARNING goroutines: goroutines > 2000 (got 2100)`,
				"\tOK status: status != \"ok\" (got \"ok\")",
			},
			runs: 1, states: [4]int{0, 1, 0, 0},
			first: "2026-12-07T19:50:31Z", last: "2026-12-07T19:50:31Z",
			values: map[string][]float64{"goroutines": {2100}},
		},
		{
			name: "mixed with JSON lines",
			lines: []string{
				`{"time":"2026-12-07T19:50:00Z","state":"OK","error":null,"metrics":{"goroutines":1000}}`,
				`2026-12-08 03:50:31 OK goroutines=1234`,
			},
			runs: 2, states: [4]int{2, 0, 0, 0},
			first: "2026-12-07T19:50:00Z", last: "2026-12-07T19:50:31Z",
			values: map[string][]float64{"goroutines": {1000, 1234}},
		},
		{
			name: "lines of neither form are skipped",
			lines: []string{
				`[2026-12-08 03:50:31] Goroutines: 1234, Memory: 256MB`,
				`2026-12-08 03:50:31 ok goroutines=1`,
				`2026-12-08 03:50:31 OK goroutines`,
				`2026-12-08 03:50:31 OK goroutines=1 trailing`,
				`2026-12-08 03:50:31 OK goroutines=x`,
				`2026-12-08 03:50:31 OK =5`,
				`2026-12-08 03:50:31 OK error="unterminated`,
				`2026-12-08 03:50:31OK goroutines=1`,
				`2026-13-08 03:50:31 OK goroutines=1`,
				`2026-12-08`,
				`JSONPROBE OK - 4 checks OK | goroutines=7`,
			},
			skips:  11,
			values: map[string][]float64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := readLines(t, cst, Window{}, tt.lines...)
			assert.Equal(t, len(tt.lines), h.Lines)
			assert.Equal(t, tt.skips, h.Skipped)
			assert.Equal(t, tt.runs, h.Runs)
			assert.Equal(t, tt.failed, h.Failed)
			assert.Equal(t, tt.states, h.States)
			if tt.runs > 0 {
				assert.Equal(t, at(tt.first), h.First)
				assert.Equal(t, at(tt.last), h.Last)
			}
			assert.Equal(t, tt.values, seriesValues(h))
		})
	}
}

// TestReadHistoryWatchLinesLocal: ReadHistory reads a watch line's time as
// the local time that watch wrote it in.
func TestReadHistoryWatchLinesLocal(t *testing.T) {
	h, err := ReadHistory(strings.NewReader(`2026-12-08 03:50:31 OK goroutines=1234`))
	require.NoError(t, err)
	want, err := time.ParseInLocation(watchStamp, "2026-12-08 03:50:31", time.Local)
	require.NoError(t, err)
	assert.True(t, want.Equal(h.First), "%s is not %s", h.First, want)
}

// renamedLine is a JSON line of a run whose check "memory" reads
// memory.alloc_mb: newer lines name the value for the check.
func renamedLine(at string, v string) string {
	return `{"time":"` + at + `","state":"OK","error":null,` +
		`"checks":[{"name":"memory","level":"warning","expr":"memory.alloc_mb > 3072","state":"OK","value":` + v + `,"message":""}],` +
		`"metrics":{"memory":` + v + `,"time":0.001}}`
}

// TestReadHistoryRenamed: a log written across the change of names (a
// check's value under its path before, under the check's name after) has
// one series per value, named for the check, where a JSON line tells which
// path the check reads.
func TestReadHistoryRenamed(t *testing.T) {
	older := `{"time":"2026-12-06T10:00:00Z","state":"OK","error":null,` +
		`"checks":[{"name":"memory","level":"warning","expr":"memory.alloc_mb > 3072","state":"OK","value":250,"message":""}],` +
		`"metrics":{"memory.alloc_mb":250,"time":0.002}}`
	tests := []struct {
		name   string
		lines  []string
		values map[string][]float64
	}{
		{
			name:   "older JSON lines keyed by the path",
			lines:  []string{older, renamedLine("2026-12-06T10:10:00Z", "256")},
			values: map[string][]float64{"memory": {250, 256}, "time": {0.002, 0.001}},
		},
		{
			name:   "watch lines keyed by the path, the name learnt after them",
			lines:  []string{`2026-12-06 18:00:00 OK memory.alloc_mb=250`, renamedLine("2026-12-06T10:10:00Z", "256")},
			values: map[string][]float64{"memory": {250, 256}, "time": {0.001}},
		},
		{
			name:   "a line that has both keeps its own value of the name",
			lines:  []string{renamedLine("2026-12-06T10:10:00Z", "256"), `2026-12-06 18:20:00 OK memory=257 memory.alloc_mb=999`},
			values: map[string][]float64{"memory": {256, 257}, "time": {0.001}},
		},
		{
			name:   "older lines alone keep their keys",
			lines:  []string{older},
			values: map[string][]float64{"memory.alloc_mb": {250}, "time": {0.002}},
		},
		{
			name: "no rename where the check's value is not the metric's",
			lines: []string{older, `{"time":"2026-12-06T10:10:00Z","state":"OK","error":null,` +
				`"checks":[{"name":"memory","expr":"memory.alloc_mb > 3072","value":256}],"metrics":{"memory":512}}`},
			values: map[string][]float64{"memory.alloc_mb": {250}, "memory": {512}, "time": {0.002}},
		},
		{
			name: "no rename where the check tests more than a path",
			lines: []string{older, `{"time":"2026-12-06T10:10:00Z","state":"OK","error":null,` +
				`"checks":[{"name":"memory","expr":"memory.alloc_mb / memory.sys_mb > 0.9","value":256}],"metrics":{"memory":256}}`},
			values: map[string][]float64{"memory.alloc_mb": {250}, "memory": {256}, "time": {0.002}},
		},
		{
			name: "no rename where the line has the path's value too",
			lines: []string{older, `{"time":"2026-12-06T10:10:00Z","state":"OK","error":null,` +
				`"checks":[{"name":"memory","expr":"memory.alloc_mb > 3072","value":256}],"metrics":{"memory":256,"memory.alloc_mb":256}}`},
			values: map[string][]float64{"memory.alloc_mb": {250, 256}, "memory": {256}, "time": {0.002}},
		},
		{
			name: "strange checks cost nothing",
			lines: []string{older, `{"time":"2026-12-06T10:10:00Z","state":"OK","error":null,"checks":"x","metrics":{"memory":256}}`,
				`{"time":"2026-12-06T10:20:00Z","state":"OK","error":null,"checks":[{"name":"memory","expr":"((","value":"256"}],"metrics":{"memory":256}}`},
			values: map[string][]float64{"memory.alloc_mb": {250}, "memory": {256, 256}, "time": {0.002}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := readLines(t, cst, Window{}, tt.lines...)
			assert.Equal(t, 0, h.Skipped)
			assert.Equal(t, tt.values, seriesValues(h))
		})
	}
}
