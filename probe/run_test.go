package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type panicTransport struct{}

func (panicTransport) RoundTrip(*http.Request) (*http.Response, error) { panic("boom") }

func TestRunRecoversPanic(t *testing.T) {
	cfg := NewConfig()
	cfg.Target = "http://127.0.0.1:1/health"
	rep := runOnce(t, context.Background(), cfg, WithClient(&http.Client{Transport: panicTransport{}}))
	assert.Equal(t, Unknown, rep.State)
	require.Error(t, rep.Err)
	assert.Equal(t, "internal error: boom", rep.Err.Error())
}

func serveJSON(t *testing.T, status int, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRunReport checks the Report's outcomes, perfdata and state for the
// example of docs/output.md and its variants.
func TestRunReport(t *testing.T) {
	doc := `{"status":"ok","goroutines":2156,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`
	cfg, err := LoadConfig("../checks.example.yaml", noEnv, IgnoreKeys("kuma"))
	require.NoError(t, err)
	clock := time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }

	tests := []struct {
		name       string
		status     int
		body       string
		wantState  State
		wantStates []State // per outcome, in check order
		wantPerf   []string
		wantErr    string
	}{
		{"warning", 200, doc, Warning, []State{OK, Warning, OK, OK},
			[]string{"goroutines ~:2000 ~:5000 ", "memory ~:3072 ~:4096 MB", "memory.sys_mb   MB", "memory.num_gc   c", "time ~:1 ~:5 s", "size   B"}, ""},
		{"500 still evaluated", 500, doc, Critical, []State{Critical, OK, Warning, OK, OK},
			[]string{"goroutines ~:2000 ~:5000 ", "memory ~:3072 ~:4096 MB", "memory.sys_mb   MB", "memory.num_gc   c", "time ~:1 ~:5 s", "size   B"}, ""},
		{"missing path", 200, `{"status":"ok","goroutines":1}`, Unknown, []State{OK, OK, Unknown, OK, Unknown, Unknown},
			[]string{"goroutines ~:2000 ~:5000 ", "time ~:1 ~:5 s", "size   B"}, ""},
		{"not JSON", 200, `<html>`, Critical, nil,
			[]string{"time ~:1 ~:5 s", "size   B"}, `body is not valid JSON (Content-Type "text/html; charset=utf-8"): starts with "<html>"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *cfg
			c.Target = serveJSON(t, tt.status, tt.body)
			rep := runOnce(t, context.Background(), &c, WithClock(now))
			assert.Equal(t, tt.wantState, rep.State)
			var states []State
			for _, o := range rep.Outcomes {
				states = append(states, o.State)
			}
			assert.Equal(t, tt.wantStates, states)
			var perf []string
			for _, p := range rep.Perf {
				perf = append(perf, p.Label+" "+rangeText(p.Warn)+" "+rangeText(p.Crit)+" "+p.UOM)
			}
			assert.Equal(t, tt.wantPerf, perf)
			if tt.wantErr != "" {
				require.Error(t, rep.Err)
				assert.Equal(t, tt.wantErr, rep.Err.Error())
			} else {
				assert.NoError(t, rep.Err)
			}
			assert.Equal(t, clock, rep.Time)
		})
	}
}

// TestRunReservedLabels: document paths named time and size keep their
// values apart from the fetch time and body size.
func TestRunReservedLabels(t *testing.T) {
	cfg := NewConfig()
	cfg.Target = serveJSON(t, 200, `{"time":50,"size":3}`)
	require.NoError(t, cfg.AddCheck("critical", "time > 100"))
	require.NoError(t, cfg.AddCheck("warning", "size > 1"))
	m, err := ParseMetric("size")
	require.NoError(t, err)
	cfg.Metrics = append(cfg.Metrics, m)
	rep := runOnce(t, context.Background(), cfg)
	var labels []string
	for _, p := range rep.Perf {
		labels = append(labels, p.Label)
	}
	assert.Equal(t, []string{"json.time", "json.size", "time", "size"}, labels)
	assert.Equal(t, 50.0, rep.Perf[0].Value)
	assert.Equal(t, "", rep.Perf[0].UOM)
	assert.Equal(t, float64(rep.Size), rep.Perf[3].Value)
	assert.Equal(t, "B", rep.Perf[3].UOM)

	_, err = ParseMetric("x=time")
	assert.EqualError(t, err, `metric "x=time": label "time" is the fetch's own; choose another`)
}

// TestRunPerfThresholds: the Report carries each perfdata item's ranges
// parsed, from the checks that are plain comparisons and from a metric's
// -m ranges, which fill the item of a check on the same path that has none.
func TestRunPerfThresholds(t *testing.T) {
	cfg := NewConfig()
	cfg.Target = serveJSON(t, 200, `{"goroutines":2156,"free_mb":500,"zero":1,"disk":3}`)
	for _, c := range [][2]string{
		{"warning", "goroutines > 2000"}, {"critical", "goroutines > 5000"},
		{"critical", "free_mb < 100"}, {"warning", "zero > -0"}, {"warning", "disk == 7"},
	} {
		require.NoError(t, cfg.AddCheck(c[0], c[1]))
	}
	m, err := ParseMetric("disk;10:20;@5:5")
	require.NoError(t, err)
	cfg.Metrics = append(cfg.Metrics, m)
	rep := runOnce(t, context.Background(), cfg)
	var got []string
	for _, p := range rep.Perf {
		for _, r := range []*Range{p.Warn, p.Crit} {
			require.True(t, r == nil || r.Valid(), "%s: %+v", p.Label, r)
		}
		got = append(got, p.Label+" "+rangeText(p.Warn)+" "+rangeText(p.Crit))
	}
	assert.Equal(t, []string{"goroutines ~:2000 ~:5000", "free_mb  100:", "zero ~:0 ", "disk 10:20 @5:5", "time  ", "size  "}, got)
	assert.Same(t, m.Crit, rep.Perf[3].Crit, "a metric's range is the compiled one")
}

// runOnce compiles cfg with opts and runs it once against its own target.
func runOnce(t testing.TB, ctx context.Context, cfg *Config, opts ...Option) *Report {
	t.Helper()
	p, err := Compile(cfg, opts...)
	require.NoError(t, err)
	return p.Run(ctx, "")
}

// TestValueNames: a value is named for the check whose subject it is, a
// metric's label, or else its path (json.time for the path time), as its
// perfdata item is.
func TestValueNames(t *testing.T) {
	doc := writeFile(t, "doc.json", []byte(`{"goroutines":7,"memory":{"alloc_mb":256,"sys_mb":512},"time":3,"q":1}`))
	cfg := testConfig(doc)
	for _, c := range []string{"memory: memory.alloc_mb > 3072", "goroutines > 5000", "time > 5", "ratio: memory.alloc_mb / memory.sys_mb > 0.9"} {
		require.NoError(t, cfg.AddCheck("critical", c))
	}
	m, err := ParseMetric("q=queue")
	require.NoError(t, err)
	cfg.Metrics = append(cfg.Metrics, m)
	p, err := Compile(cfg)
	require.NoError(t, err)
	rep := p.Run(context.Background(), "")
	require.NoError(t, rep.Err)
	names := map[string]string{}
	for _, v := range rep.Values {
		names[v.Path] = v.Name
	}
	assert.Equal(t, map[string]string{"memory.alloc_mb": "memory", "goroutines": "goroutines", "time": "json.time", "memory.sys_mb": "memory.sys_mb", "q": "queue"}, names)
}
