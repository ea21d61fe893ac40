package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoLeakUsage(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantFirst string
	}{
		{"--leak without --serve", []string{"demo", "--leak", "100/s"}, `JSONPROBE UNKNOWN - --leak "100/s": needs --serve, which keeps the endpoint up`},
		{"a rate without its interval", []string{"demo", "--serve", "--leak", "100"}, `JSONPROBE UNKNOWN - --leak: rate "100": want goroutines per interval, as 100/s or 600/m`},
		{"a rate over the cap", []string{"demo", "--serve", "--leak", "20001/s"}, `JSONPROBE UNKNOWN - --leak: rate "20001/s": want goroutines per interval, as 100/s or 600/m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(t, tt.args...)
			assert.Equal(t, 3, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.Equal(t, tt.wantFirst, firstLine(stdout))
		})
	}
}

// startDemo runs `jsonprobe demo --serve` with more arguments until the
// test ends, when it stops it by cancelling the context as Ctrl-C does, and
// returns the lines it printed up to the one that says how to stop it.
func startDemo(t *testing.T, args ...string) []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"jsonprobe", "demo", "--serve"}, args...), pw, io.Discard)
		_ = pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, 0, code)
		case <-time.After(10 * time.Second):
			t.Error("demo --serve did not stop after cancel")
		}
	})
	var lines []string
	r := bufio.NewReader(pr)
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "the lines so far: %q", lines)
		lines = append(lines, strings.TrimSpace(line))
		if strings.Contains(line, "press Ctrl-C to stop") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return lines
}

// byLabel are lines under the label before their first ": ".
func byLabel(lines []string) map[string]string {
	m := map[string]string{}
	for _, line := range lines {
		label, rest, _ := strings.Cut(line, ": ")
		m[label] = rest
	}
	return m
}

// TestDemoServe starts `demo --serve`, probes the URL it prints first, and
// stops it (startDemo's cleanup).
func TestDemoServe(t *testing.T) {
	lines := startDemo(t)
	url := strings.TrimPrefix(lines[0], "jsonprobe demo endpoint: ")
	require.Regexp(t, `^http://127\.0\.0\.1:[0-9]+/api/monitor/health$`, url)

	code, stdout, _ := runArgs(t, url, "-c", `status != "ok"`, "-w", "goroutines > 100000")
	assert.Equal(t, 0, code, stdout)
	assert.True(t, strings.HasPrefix(stdout, "JSONPROBE OK - 2 checks OK | goroutines="), stdout)
}

// demoGet GETs url and returns its body.
func demoGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	return string(body)
}

// demoGoroutines is the count of the demo's health document at url.
func demoGoroutines(t *testing.T, url string) int {
	t.Helper()
	var doc struct{ Goroutines int }
	require.NoError(t, json.Unmarshal([]byte(demoGet(t, url)), &doc))
	return doc.Goroutines
}

// TestDemoServeLeak: demo --serve prints the profile's URL and a leak
// command that works; the profile then names the leaking function.
func TestDemoServeLeak(t *testing.T) {
	lines := byLabel(startDemo(t))
	require.Regexp(t, `^http://127\.0\.0\.1:[0-9]+/api/monitor/health$`, lines["jsonprobe demo endpoint"])
	root := strings.TrimSuffix(lines["jsonprobe demo endpoint"], "/api/monitor/health")
	assert.Equal(t, root+"/debug/pprof/goroutine?debug=1", lines["goroutine profile"])
	assert.Contains(t, lines, "goroutine leak profile", "said whether the build has it")
	assert.Equal(t, "jsonprobe watch "+root+"/api/monitor/health -w 'goroutines > 2000' -c 'goroutines > 5000'", lines["watch"])
	leak := lines["leak"]
	require.True(t, strings.HasPrefix(leak, "curl -X POST '"+root+"/leak?n=3000' starts 3000 goroutines that never end"), leak)

	resp, err := http.Post(root+"/leak?n=2", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, demoGet(t, lines["goroutine profile"]), "demo.leakyWorker+")
}

// TestDemoServeLeakRate: --leak leaks steadily until the demo stops.
func TestDemoServeLeakRate(t *testing.T) {
	lines := byLabel(startDemo(t, "--leak", "1/5ms"))
	assert.Contains(t, lines, "leaking 1 goroutine every 5ms, at most 20000; press Ctrl-C to stop")
	url := lines["jsonprobe demo endpoint"]
	before := demoGoroutines(t, url)
	var last int
	require.Eventually(t, func() bool {
		// Not demoGoroutines: this runs outside the test's goroutine.
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var doc struct{ Goroutines int }
		if json.NewDecoder(resp.Body).Decode(&doc) != nil {
			return false
		}
		last = doc.Goroutines
		return last >= before+3
	}, 10*time.Second, 5*time.Millisecond, "the count grows by the rate: %d, then %d", before, last)
}
