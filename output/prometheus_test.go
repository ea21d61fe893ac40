package output

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// TestGoldenPrometheus renders every golden case as the textfile
// collector's exposition (a target label on every series) and compares it
// with testdata/<name>.prom.golden; -update rewrites them.
func TestGoldenPrometheus(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, Prometheus(&b, tc.report, PrometheusOptions{Target: true}))
			checkGolden(t, filepath.Join("testdata", tc.name+".prom.golden"), b.Bytes())
		})
	}
}

// TestThreshold: the one line a graph draws for a range, or none.
func TestThreshold(t *testing.T) {
	tests := []struct {
		name string
		rg   *probe.Range
		want float64
		ok   bool
	}{
		{"above", mustRange("~:5000"), 5000, true},
		{"below", mustRange("100:"), 100, true},
		{"inside, above", mustRange("@5:"), 5, true},
		{"one point", mustRange("@5:5"), 5, true},
		{"two bounds", mustRange("10:20"), 0, false},
		{"no bound", mustRange("~:"), 0, false},
		{"unset", nil, 0, false},
		{"NaN end", &probe.Range{Start: math.Inf(-1), End: math.NaN()}, 0, false},
		{"infinite start", &probe.Range{Start: math.Inf(1), End: math.Inf(1)}, 0, false},
		{"infinite end", &probe.Range{Start: math.Inf(-1), End: math.Inf(-1)}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Threshold(tt.rg)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPrometheus pins the families one by one.
func TestPrometheus(t *testing.T) {
	rep := &probe.Report{
		Target: `http://h/x?q="a\b"`, Duration: 1500 * time.Millisecond, HTTPStatus: 200, Size: 84,
		State: probe.Warning,
		Outcomes: []probe.Outcome{
			{Name: "goroutines", Level: probe.LevelWarning, State: probe.Warning},
			{Name: "goroutines", Level: probe.LevelCritical, State: probe.OK},
			{Name: "heap share", Level: probe.LevelWarning, State: probe.OK},
			{Name: "disk", Level: probe.LevelMetric, State: probe.OK},
			{Name: "http", Level: probe.LevelHTTP, State: probe.Critical},
			{Name: "state", Level: probe.LevelState, State: probe.OK},
		},
		Perf: []probe.Perf{
			{Label: "goroutines", Value: 2156, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")},
			{Label: "heap share", Value: 0.9},
			{Label: "disk", Value: 3, Warn: mustRange("10:20"), Crit: mustRange("@5:5")},
		},
		Values: []probe.PathValue{
			{Path: "goroutines", Value: 2156},
			{Path: "memory.alloc_mb", Name: "memory", Value: 256},
			{Path: `we"ird\path`, Value: math.Inf(1)},
			{Path: "nan", Value: math.NaN()},
		},
	}
	tests := []struct {
		name string
		opts PrometheusOptions
		want []string // lines that must be there, in this order
		not  []string // text that must not
	}{
		{
			name: "probe's own",
			want: []string{
				"# HELP probe_success Whether the probe succeeded: 1 when its state is OK or WARNING, 0 when CRITICAL or UNKNOWN.",
				"# TYPE probe_success gauge",
				"probe_success 1",
				"probe_duration_seconds 1.5",
				"probe_http_status_code 200",
				"probe_http_content_length 84",
				"jsonprobe_state 1",
				`jsonprobe_check_state{check="goroutines"} 1`,
				`jsonprobe_check_state{check="heap share"} 0`,
				`jsonprobe_check_state{check="disk"} 0`,
				`jsonprobe_check_warning_threshold{check="goroutines"} 2000`,
				`jsonprobe_check_critical_threshold{check="goroutines"} 5000`,
				`jsonprobe_check_critical_threshold{check="disk"} 5`,
				`jsonprobe_value{name="goroutines",path="goroutines"} 2156`,
				`jsonprobe_value{name="memory",path="memory.alloc_mb"} 256`,
				`jsonprobe_value{name="we\"ird\\path",path="we\"ird\\path"} +Inf`,
				`jsonprobe_value{name="nan",path="nan"} NaN`,
			},
			not: []string{`check="http"`, `check="state"`, "target=", `jsonprobe_check_warning_threshold{check="disk"}`, `{check="heap share"} 0.9`},
		},
		{
			name: "target label and exports",
			opts: PrometheusOptions{Target: true, Exports: []Export{
				{Path: "goroutines", Name: "oneapi_goroutines", Help: "Goroutines of oneapi."},
				{Path: "memory.alloc_mb", Name: "oneapi_memory_mb"},
			}},
			want: []string{
				`probe_success{target="http://h/x?q=\"a\\b\""} 1`,
				`jsonprobe_check_state{target="http://h/x?q=\"a\\b\"",check="goroutines"} 1`,
				"# HELP oneapi_goroutines Goroutines of oneapi.",
				"# TYPE oneapi_goroutines gauge",
				`oneapi_goroutines{target="http://h/x?q=\"a\\b\""} 2156`,
				"# HELP oneapi_memory_mb The document value at memory.alloc_mb.",
				`oneapi_memory_mb{target="http://h/x?q=\"a\\b\""} 256`,
				// Exported values stay jsonprobe_value too, so that rules
				// that select it by path go on matching.
				`jsonprobe_value{target="http://h/x?q=\"a\\b\"",name="goroutines",path="goroutines"} 2156`,
				`jsonprobe_value{target="http://h/x?q=\"a\\b\"",name="memory",path="memory.alloc_mb"} 256`,
				`jsonprobe_value{target="http://h/x?q=\"a\\b\"",name="nan",path="nan"} NaN`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, Prometheus(&b, rep, tt.opts))
			got := b.String()
			rest := got
			for _, line := range tt.want {
				i := strings.Index(rest, line+"\n")
				require.GreaterOrEqual(t, i, 0, "want line %q in order in\n%s", line, got)
				rest = rest[i+len(line):]
			}
			for _, s := range tt.not {
				assert.NotContains(t, got, s)
			}
		})
	}
}

// TestPrometheusFailedProbe: a probe that could not read its target still
// answers every family it can, probe_success 0 first.
func TestPrometheusFailedProbe(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Prometheus(&b, &probe.Report{Target: "http://h/", State: probe.Critical}, PrometheusOptions{}))
	assert.Equal(t, `# HELP probe_success Whether the probe succeeded: 1 when its state is OK or WARNING, 0 when CRITICAL or UNKNOWN.
# TYPE probe_success gauge
probe_success 0
# HELP probe_duration_seconds How long the probe took, in seconds.
# TYPE probe_duration_seconds gauge
probe_duration_seconds 0
# HELP probe_http_status_code The HTTP status code of the response; 0 when there was none.
# TYPE probe_http_status_code gauge
probe_http_status_code 0
# HELP probe_http_content_length The bytes of the response body read.
# TYPE probe_http_content_length gauge
probe_http_content_length 0
# HELP jsonprobe_state The probe's state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
# TYPE jsonprobe_state gauge
jsonprobe_state 2
`, b.String())
}
