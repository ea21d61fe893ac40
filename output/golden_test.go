package output

import (
	"bytes"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// probeTime is the fixed start time of every test report.
var probeTime = time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)

const healthURL = "http://localhost:3000/api/monitor/health"

// num is a number as read from the document: raw is its JSON text.
func num(raw string, f float64) *expr.Value {
	return &expr.Value{Kind: expr.Number, Num: f, Raw: raw}
}

// str is a string as read from the document.
func str(s string) *expr.Value {
	v := expr.Value{Kind: expr.String, Str: s}
	v.Raw = v.JSON()
	return &v
}

func obs(subject string, v *expr.Value) []expr.Observation {
	return []expr.Observation{{Subject: subject, Path: subject, Value: *v}}
}

// Outcomes of checks.example.yaml's checks, as the probe fills them.

func statusOK() probe.Outcome {
	return probe.Outcome{Name: "status", Level: "critical", Expr: `status != "ok"`, State: probe.OK,
		Value: str("ok"), Observations: obs("status", str("ok")),
		Summary: `status="ok"`, Message: `status != "ok" (got "ok")`}
}

func goroutines(n string, f float64, s probe.State) probe.Outcome {
	o := probe.Outcome{Name: "goroutines", Level: "warning", Expr: "goroutines > 2000", State: s,
		Value: num(n, f), Observations: obs("goroutines", num(n, f)),
		Summary: "goroutines=" + n, Message: "goroutines > 2000 (got " + n + ")"}
	switch s {
	case probe.Warning:
		o.Summary += " > 2000"
	case probe.Critical:
		o.Level, o.Expr = "critical", "goroutines > 5000"
		o.Summary += " > 5000"
		o.Message = "goroutines > 5000 (got " + n + ")"
	}
	return o
}

func memoryOK(n string, f float64) probe.Outcome {
	return probe.Outcome{Name: "memory", Level: "warning", Expr: "memory.alloc_mb > 3072", State: probe.OK,
		Value: num(n, f), Observations: obs("memory.alloc_mb", num(n, f)),
		Summary: "memory.alloc_mb=" + n, Message: "memory.alloc_mb > 3072 (got " + n + ")"}
}

func latencyOK(t string, f float64) probe.Outcome {
	v := &expr.Value{Kind: expr.Number, Num: f}
	return probe.Outcome{Name: "latency", Level: "warning", Expr: "$time > 1s", State: probe.OK,
		Value: v, Observations: []expr.Observation{{Subject: "$time", Value: *v}},
		Summary: "$time=" + t, Message: "$time > 1s (got " + t + ")"}
}

func timeSize(t float64, size int) []probe.Perf {
	return []probe.Perf{
		{Label: "time", Value: t, UOM: "s", Warn: mustRange("~:1"), Crit: mustRange("~:5"), Min: "0"},
		{Label: "size", Value: float64(size), UOM: "B", Min: "0"},
	}
}

// examplePerf is the perfdata of the example in docs/output.md.
func examplePerf(g, alloc float64) []probe.Perf {
	return append([]probe.Perf{
		{Label: "goroutines", Value: g, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")},
		{Label: "memory.alloc_mb", Value: alloc, UOM: "MB", Warn: mustRange("~:3072"), Crit: mustRange("~:4096")},
		{Label: "memory.sys_mb", Value: 512, UOM: "MB"},
		{Label: "memory.num_gc", Value: 45, UOM: "c"},
	}, timeSize(0.004, 112)...)
}

type goldenCase struct {
	name    string // the golden files are testdata/<name>.nagios.golden and .json.golden
	report  *probe.Report
	verbose bool
}

func base(state probe.State, outcomes []probe.Outcome, perf []probe.Perf) *probe.Report {
	return &probe.Report{
		Target: healthURL, Time: probeTime, Duration: 4100 * time.Microsecond,
		FetchTime: 4 * time.Millisecond, HTTPStatus: 200, Size: 112,
		State: state, Outcomes: outcomes, Perf: perf,
	}
}

func goldenCases() []goldenCase {
	missing := &expr.EvalError{Kind: expr.ErrMissing, Subject: "memory.alloc_mb"}
	unknown := base(probe.Unknown, []probe.Outcome{
		{Name: "memory", Level: "warning", Expr: "memory.alloc_mb > 3072", State: probe.Unknown,
			Summary: "memory.alloc_mb: not found",
			Message: "memory.alloc_mb > 3072: path memory.alloc_mb not found", Err: missing},
		goroutines("1234", 1234, probe.OK),
	}, append([]probe.Perf{{Label: "goroutines", Value: 1234, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")}},
		timeSize(0.003, 40)...))
	unknown.Size, unknown.FetchTime, unknown.Duration = 40, 3*time.Millisecond, 3200*time.Microsecond

	refused := &probe.Report{
		Target: healthURL, Time: probeTime, Duration: 1500 * time.Microsecond, FetchTime: 1200 * time.Microsecond,
		Err:   errors.New(`get "` + healthURL + `": dial tcp 127.0.0.1:3000: connect: connection refused`),
		State: probe.Critical, Perf: timeSize(0.0012, 0),
	}

	http500 := base(probe.Critical, []probe.Outcome{
		{Name: "http", Level: "http", Expr: "$status in 2xx", State: probe.Critical,
			Value: num("500", 500), Summary: "http status 500", Message: "http status 500, want 2xx"},
		{Name: "status", Level: "critical", Expr: `status != "ok"`, State: probe.Critical,
			Value: str("degraded"), Observations: obs("status", str("degraded")),
			Summary: `status="degraded" != "ok"`, Message: `status != "ok" (got "degraded")`},
		goroutines("1234", 1234, probe.OK),
	}, append([]probe.Perf{{Label: "goroutines", Value: 1234, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")}},
		timeSize(0.021, 57)...))
	http500.HTTPStatus, http500.Size, http500.Duration = 500, 57, 21*time.Millisecond

	labels := base(probe.OK, []probe.Outcome{statusOK()}, append([]probe.Perf{
		{Label: "disk free", Value: 12.5, UOM: "GB"},
		{Label: "it's", Value: 1},
		{Label: "a=b", Value: 2},
		{Label: "x|y", Value: 3},
		{Label: "mémoire", Value: 4, UOM: "MB"},
		{Label: "'quoted'", Value: 5},
		{Label: "new\nline", Value: 6},
		{Label: "", Value: 7},
		{Label: "nan", Value: math.NaN()},
		{Label: "inf", Value: math.Inf(1)},
		{Label: "big", Value: 1e21},
		{Label: "tiny", Value: 1.5e-7},
		{Label: "negative", Value: -0.25, Warn: mustRange("@-1:1"), Crit: mustRange("10"), Min: "-5", Max: "5"},
		{Label: "neg_zero", Value: math.Copysign(0, -1)},
		{Label: "pct", Value: 99.5, UOM: "%", Min: "0", Max: "100"},
		{Label: "bad_fields", Value: 1, UOM: "M;B", Warn: &probe.Range{Start: math.NaN()}, Crit: &probe.Range{Start: 1000, End: 1}, Min: "1e3", Max: "x"},
		{Label: "services.#(status==\"down\")#.name", Value: 0},
	}, timeSize(0.004, 112)...))

	notJSONErr := errors.New("body is not JSON: invalid character '<' looking for beginning of value\r\n<html>a|b</html>")
	hostile := base(probe.Critical, []probe.Outcome{
		{Name: "name|with\npipe", Level: "critical", Expr: `status == "a|b"`, State: probe.Critical,
			Value:        str("a|b\nJSONPROBE OK - fake | x=1\r\nmore\u2028\xff\"<&>"),
			Observations: obs("status", str("a|b\nJSONPROBE OK - fake | x=1\r\nmore\u2028\xff\"<&>")),
			Summary:      "status=\"a|b\nJSONPROBE OK - fake | x=1\" == \"a|b\"",
			Message:      "status == \"a|b\" (got \"a|b\nJSONPROBE OK - fake | x=1\r\nmore\u2028\xff\")\n"},
		{Name: "object", Level: "warning", Expr: "len(memory) > 10", State: probe.OK,
			Value:   &expr.Value{Kind: expr.Object, Raw: "{\n  \"alloc_mb\": 256,\n  \"tag\": \"x|y\"\n}"},
			Summary: "len(memory)=2", Message: "len(memory) > 10 (got 2)"},
		{Name: "huge", Level: "warning", Expr: "big > 1", State: probe.OK,
			Value:   num("123456789012345678901234567890", 1.2345678901234568e29),
			Summary: "big=123456789012345678901234567890", Message: "big > 1 (got 123456789012345678901234567890)"},
	}, timeSize(0.004, 112))
	hostile.Target = "http://user:***@example.com/health?a=1&b=|"

	notJSON := &probe.Report{
		Target: "/var/lib/app/health.json", Time: probeTime, Duration: 300 * time.Microsecond,
		FetchTime: 100 * time.Microsecond, Size: 24, Err: notJSONErr, State: probe.Critical,
		Perf: timeSize(0.0001, 24),
	}

	verbose := base(probe.Critical, []probe.Outcome{
		statusOK(),
		{Name: "memory", Level: "critical", Expr: "memory.alloc_mb > 4096", State: probe.Critical,
			Value:        num("4200", 4200),
			Observations: obs("memory.alloc_mb", num("4200", 4200)),
			Summary:      "memory.alloc_mb=4200 > 4096", Message: "memory.alloc_mb > 4096 (got 4200)"},
		{Name: "cache", Level: "warning", Expr: "exists(cache) && cache.hit_ratio < 0.5", State: probe.Unknown,
			Observations: []expr.Observation{{Subject: "exists(cache)", Value: expr.Value{Kind: expr.Bool, Bool: true}}},
			Summary:      "cache.hit_ratio: got object, want number",
			Message:      "exists(cache) && cache.hit_ratio < 0.5: cache.hit_ratio: got object, want number",
			Err:          &expr.EvalError{Kind: expr.ErrType, Subject: "cache.hit_ratio", Got: "object", Want: "number"}},
		goroutines("2156", 2156, probe.Warning),
		latencyOK("0.004", 0.004),
	}, examplePerf(2156, 4200))

	var many []probe.Outcome
	for i := range 30 {
		name := "service_" + string(rune('a'+i%26)) + strings.Repeat("x", i%3)
		many = append(many, probe.Outcome{Name: name, Level: "critical", Expr: name + `.status != "up"`,
			State: probe.Critical, Value: str("down"),
			Summary: name + `.status="down" != "up"`, Message: name + `.status != "up" (got "down")`})
	}

	return []goldenCase{
		{name: "ok", report: base(probe.OK, []probe.Outcome{
			statusOK(), goroutines("1234", 1234, probe.OK), memoryOK("256", 256),
		}, examplePerf(1234, 256))},
		{name: "warning", report: base(probe.Warning, []probe.Outcome{
			statusOK(), goroutines("2156", 2156, probe.Warning), memoryOK("256", 256), latencyOK("0.004", 0.004),
		}, examplePerf(2156, 256))},
		{name: "critical", report: base(probe.Critical, []probe.Outcome{
			statusOK(), goroutines("5234", 5234, probe.Critical),
			{Name: "memory", Level: "warning", Expr: "memory.alloc_mb > 3072", State: probe.Warning,
				Value: num("3500", 3500), Observations: obs("memory.alloc_mb", num("3500", 3500)),
				Summary: "memory.alloc_mb=3500 > 3072", Message: "memory.alloc_mb > 3072 (got 3500)"},
			latencyOK("0.004", 0.004),
		}, examplePerf(5234, 3500))},
		{name: "unknown_missing", report: unknown},
		{name: "fetch_refused", report: refused},
		{name: "not_json", report: notJSON, verbose: true},
		{name: "http_500", report: http500},
		{name: "labels", report: labels},
		{name: "hostile_strings", report: hostile, verbose: true},
		{name: "verbose", report: verbose, verbose: true},
		{name: "no_checks", report: base(probe.OK, nil, timeSize(0.002, 112))},
		{name: "long_summary", report: base(probe.Critical, many, timeSize(0.004, 112))},
	}
}

// TestGolden renders every case in both formats and compares the result
// with testdata/<name>.{nagios,json}.golden; -update rewrites them.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var nagios, js bytes.Buffer
			require.NoError(t, Nagios(&nagios, tc.report, NagiosOptions{Verbose: tc.verbose}))
			require.NoError(t, JSON(&js, tc.report))
			checkGolden(t, filepath.Join("testdata", tc.name+".nagios.golden"), nagios.Bytes())
			checkGolden(t, filepath.Join("testdata", tc.name+".json.golden"), js.Bytes())
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./output -update to create it")
	assert.Equal(t, string(want), string(got))
}

// forEachGolden runs check on every golden file matching pattern, as a
// subtest named for the file.
func forEachGolden(t *testing.T, pattern string, check func(t *testing.T, data []byte)) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 8, "golden files missing; run go test ./output -update")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			check(t, data)
		})
	}
}
