package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingHealth is a loopback health endpoint at 1234 goroutines, and
// how many requests it has had.
func countingHealth(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, healthDoc, 1234)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/health", &hits
}

// TestWatchTakesEveryOption: every option of the probe is watch's too,
// honoured or refused; the refused are the sinks, and watch's help, man
// page and completions (its visible options) leave them out.
func TestWatchTakesEveryOption(t *testing.T) {
	wf := watchFlags()
	var visible []string
	for _, f := range (&invocation{}).app().Command("watch").VisibleFlags() {
		visible = append(visible, f.Names()[0])
	}
	assert.Equal(t, []string{"notify", "on-change", "prom-file", "kuma-url", "kuma-warning-as"}, wf.refused)
	for _, f := range probeFlags().list {
		name := f.Names()[0]
		switch {
		case name == "help" || name == "version":
		case slices.Contains(wf.refused, name):
			assert.NotContains(t, visible, name, "a refused option is not shown")
		default:
			assert.Contains(t, visible, name, "watch honours --%s", name)
		}
	}
}

// TestWatchRefusesSinks: a sink on watch's command line is one UNKNOWN
// line that says why and what to run instead, exit 3, before any probe.
func TestWatchRefusesSinks(t *testing.T) {
	url, hits := countingHealth(t)
	for _, args := range [][]string{
		{"--notify", "http://127.0.0.1:1/hook"},
		{"--notify=wecom=http://127.0.0.1:1/hook"},
		{"--on-change", "true"},
		{"--prom-file", "/nonexistent/health.prom"},
		{"--kuma-url", "http://127.0.0.1:1/api/push/abc"},
		{"--kuma-url="},
		{"--kuma-warning-as", "down"},
	} {
		name, _, _ := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		t.Run(name, func(t *testing.T) {
			code, out, _ := runArgs(t, append([]string{"watch", "-i", "50ms", "--for", "120ms", "-c", "goroutines > 5000", url}, args...)...)
			assert.Equal(t, 3, code)
			assert.Equal(t, "JSONPROBE UNKNOWN - --"+name+": watch shows the probes and sends nothing; run the one-shot probe from cron for that (jsonprobe --"+name+" … -f FILE)\n", out)
		})
	}
	assert.Zero(t, hits.Load(), "no probe ran")
	_, help, _ := runArgs(t, "watch", "--help")
	require.Contains(t, help, "--plain")
	for _, name := range watchFlags().refused {
		assert.NotContains(t, help, "--"+name)
	}
}
