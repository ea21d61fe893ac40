package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/output"
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

// TestWatchCheckConfig: --check-config checks what watch would run (the
// checks file, the target, its own options) and exits at once, 0 or 3,
// without a request; never a probe every interval.
func TestWatchCheckConfig(t *testing.T) {
	url, hits := countingHealth(t)
	checks := writeFile(t, "health.yaml", "url: "+url+"\nchecks:\n  - { name: goroutines, critical: goroutines > 5000 }\nmetrics:\n  - { path: memory.sys_mb }\n")
	bad := writeFile(t, "bad.yaml", "checks:\n  - { name: goroutines, critical: goroutines >> 5000 }\n")
	// --for bounds the watch should --check-config be ignored.
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"valid", []string{"-f", checks, "-i", "50ms"}, 0, "JSONPROBE OK - config valid: 1 check, 1 metric, target " + url + ", timeout 10s, every 50ms, for 300ms"},
		{"bad checks file", []string{"-f", bad, url}, 3, `JSONPROBE UNKNOWN - config "` + bad + `": line 2: check "goroutines": expression "goroutines >> 5000": unexpected ">" at column 13`},
		{"no target", []string{"-c", "goroutines > 5000"}, 3, "JSONPROBE UNKNOWN - watch: no target: "},
		{"bad interval", []string{"-f", checks, "-i", "soon"}, 3, "JSONPROBE UNKNOWN - --interval: "},
		{"refused format", []string{"-f", checks, "-o", "kuma"}, 3, "JSONPROBE UNKNOWN - -o kuma: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _ := runArgs(t, append([]string{"watch", "--check-config", "--for", "300ms"}, tc.args...)...)
			assert.Equal(t, tc.code, code, out)
			assert.True(t, strings.HasPrefix(out, tc.want), "%q", out)
			assert.Equal(t, 1, strings.Count(out, "\n"), "one line: %q", out)
		})
	}
	// The notes of the one-shot probe's --check-config too.
	code, out, _ := runArgs(t, "watch", "--check-config", "--for", "300ms", "-f", writeFile(t, "none.yaml", "url: "+url+"\n"))
	assert.Equal(t, 0, code, out)
	assert.Regexp(t, `^JSONPROBE OK - config valid: 0 checks, 0 metrics, .*\nnote: no checks: `, out)
	assert.Zero(t, hits.Load(), "no network")
}

// TestWatchOutput: -o json writes the one-shot probe's JSON line for each
// probe; -o kuma and -o prometheus are refused with why; every format of
// the probe is one that watch writes or refuses.
func TestWatchOutput(t *testing.T) {
	url, _ := countingHealth(t)
	code, out, _ := runArgs(t, "watch", "-o", "json", "-q", "-i", "50ms", "--for", "220ms", "-c", "goroutines > 5000", url)
	assert.Equal(t, 0, code, out)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.GreaterOrEqual(t, len(lines), 2, "a line per probe, OK ones too with -q: %q", out)
	for _, l := range lines {
		var run struct {
			State   string             `json:"state"`
			Metrics map[string]float64 `json:"metrics"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &run), l)
		assert.Equal(t, "OK", run.State)
		assert.Equal(t, 1234.0, run.Metrics["goroutines"])
	}
	for _, f := range output.FormatNames() {
		assert.True(t, slices.Contains(watchFormats, f) != (watchRefusals[f] != ""), "-o %s: written or refused", f)
	}
	for _, tc := range []struct{ format, want string }{
		{"kuma", "JSONPROBE UNKNOWN - -o kuma: watch pushes nothing to Uptime Kuma; run the one-shot probe from cron for that (jsonprobe -o kuma --kuma-url URL -f FILE)\n"},
		{"prometheus", "JSONPROBE UNKNOWN - -o prometheus: watch writes no exposition; Prometheus scrapes jsonprobe serve, or reads the file of jsonprobe --prom-file FILE run from cron\n"},
		{"xml", "JSONPROBE UNKNOWN - --output \"xml\": want nagios or json\n"},
	} {
		code, out, _ := runArgs(t, "watch", "-o", tc.format, "-i", "50ms", "--for", "120ms", url)
		assert.Equal(t, 3, code)
		assert.Equal(t, tc.want, out)
	}
}
