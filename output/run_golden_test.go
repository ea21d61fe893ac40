package output

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// runChecks is the checks file of the Run goldens: names, levels, a metric,
// arithmetic, a fact and a size.
const runChecks = `
checks:
  - { name: status, critical: status != "ok" }
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - { name: memory, warning: memory.alloc_mb > 3072, critical: memory.alloc_mb > 4096, uom: MB }
  - { name: heap share, warning: memory.alloc_mb / memory.sys_mb > 0.9 }
  - { name: latency, warning: $time > 1s }
  - { name: body, critical: $size > 1MiB }
metrics:
  - { path: memory.num_gc, uom: c }
`

// runPortRe finds the loopback port, the one part of a target that changes
// from run to run.
var runPortRe = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// TestRunGolden pins the whole way from a fetch to the outputs: an
// httptest endpoint, probe.Compile and Run with a fixed clock, then the
// Nagios text (with -v), the JSON line and the Kuma message, compared with
// testdata/run/<name>.golden, and the Prometheus exposition with
// <name>.prom.golden (-update rewrites them).
func TestRunGolden(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name, body string
		status     int
	}{
		{"ok", `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"sys_mb":512,"num_gc":45}}`, 200},
		{"warning", `{"status":"ok","goroutines":2156,"memory":{"alloc_mb":500,"sys_mb":512,"num_gc":45}}`, 200},
		{"critical", `{"status":"degraded","goroutines":6000,"memory":{"alloc_mb":4500,"sys_mb":8192,"num_gc":45}}`, 200},
		{"missing", `{"status":"ok","memory":{"sys_mb":0,"num_gc":45}}`, 200},
		{"http_500", `{"status":"down","goroutines":10,"memory":{"alloc_mb":1,"sys_mb":2,"num_gc":0}}`, 500},
		{"not_json", `<html>oops</html>`, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			checkRunGolden(t, tc.name, srv.URL+"/health", srv.Client(), t0)
		})
	}
	t.Run("refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		url := "http://" + ln.Addr().String() + "/health"
		require.NoError(t, ln.Close())
		checkRunGolden(t, "refused", url, &http.Client{}, t0)
	})
}

func checkRunGolden(t *testing.T, name, url string, client *http.Client, t0 time.Time) {
	t.Helper()
	cfg, err := probe.ParseConfig([]byte("url: "+url+"\n"+runChecks), ".", func(string) string { return "" })
	require.NoError(t, err)
	p, err := probe.Compile(cfg, probe.WithClient(client), probe.WithClock(func() time.Time { return t0 }))
	require.NoError(t, err)
	rep := p.Run(context.Background(), "")
	var out bytes.Buffer
	require.NoError(t, Nagios(&out, rep, NagiosOptions{Verbose: true}))
	out.WriteString("--- json\n")
	require.NoError(t, JSON(&out, rep))
	out.WriteString("--- kuma msg\n" + kumaMsg(rep) + "\n")
	got := runPortRe.ReplaceAll(out.Bytes(), []byte("127.0.0.1:PORT"))
	checkGolden(t, filepath.Join("testdata", "run", name+".golden"), got)
	// The exporter's /probe answer for the same run.
	var prom bytes.Buffer
	require.NoError(t, Prometheus(&prom, rep, PrometheusOptions{}))
	checkGolden(t, filepath.Join("testdata", "run", name+".prom.golden"), prom.Bytes())
}
