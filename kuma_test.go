package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/internal/kumatest"
)

const kumaToken = "kumaTok3n9zQ"

// pingRe finds the ping parameter, the one value that depends on timing.
var pingRe = regexp.MustCompile(`ping=([0-9.]+)`)

// stablePing replaces the ping value with P after checking that it is a
// positive number of milliseconds, as Kuma needs.
func stablePing(t *testing.T, query string) string {
	t.Helper()
	m := pingRe.FindStringSubmatch(query)
	require.NotNil(t, m, "no ping in %q", query)
	ms, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	assert.Greater(t, ms, 0.0, "ping is never 0")
	assert.Less(t, ms, 1e11)
	return pingRe.ReplaceAllString(query, "ping=P")
}

// TestKumaPush drives the probe with -o kuma (or --kuma-url next to another
// output) against the fake Kuma and asserts the exact query it received, the
// heartbeat Kuma would store, the exit code, and that the token is nowhere
// in stdout or stderr.
func TestKumaPush(t *testing.T) {
	health := func(n int) string { return serve(t, 200, "application/json", fmt.Sprintf(healthDoc, n)) }
	levels := []string{"-w", "goroutines > 2000", "-c", "goroutines > 5000"}
	refused := closedPort(t)
	kumaYAML := writeFile(t, "kuma.yaml", "kuma:\n  url_env: TEST_KUMA_URL\n  warning_as: down\n")

	tests := []struct {
		name       string
		args       func(kuma *kumatest.Receiver) []string
		env        func(kuma *kumatest.Receiver) map[string]string
		wantQuery  string // received, with the ping value as P
		wantUp     bool
		wantCode   int
		wantStdout string // prefix; "" means nothing printed
	}{
		{name: "ok", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(1234), "-o", "kuma", "--kuma-url", k.PushURL()}, levels...)
		}, wantQuery: "msg=OK+-+1+check+OK&ping=P&status=up", wantUp: true, wantCode: 0},
		{name: "warning pushes up by default", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(2156), "-o", "kuma", "--kuma-url", k.PushURL()}, levels...)
		}, wantQuery: "msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=P&status=up", wantUp: true, wantCode: 1},
		{name: "warning as down", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(2156), "-o", "kuma", "--kuma-url", k.PushURL(), "--kuma-warning-as", "down"}, levels...)
		}, wantQuery: "msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=P&status=down", wantCode: 1},
		{name: "warning as down from the checks file and url_env", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(2156), "-o", "kuma", "-f", kumaYAML}, levels...)
		}, env: func(k *kumatest.Receiver) map[string]string { return map[string]string{"TEST_KUMA_URL": k.PushURL()} },
			wantQuery: "msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=P&status=down", wantCode: 1},
		{name: "critical", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(5234), "-o", "kuma", "--kuma-url", k.PushURL()}, levels...)
		}, wantQuery: "msg=CRITICAL+-+goroutines%3D5234+%3E+5000&ping=P&status=down", wantCode: 2},
		{name: "unknown", args: func(k *kumatest.Receiver) []string {
			return []string{serve(t, 200, "application/json", `{}`), "-o", "kuma", "--kuma-url", k.PushURL(), "-c", "goroutines > 5000"}
		}, wantQuery: "msg=UNKNOWN+-+goroutines%3A+not+found&ping=P&status=down", wantCode: 3},
		{name: "unreachable target still pushes down", args: func(k *kumatest.Receiver) []string {
			return append([]string{refused, "-o", "kuma", "--kuma-url", k.PushURL()}, levels...)
		}, wantQuery: "msg=CRITICAL+-+GET+" + url.QueryEscape(refused) + "%3A+connection+refused&ping=P&status=down", wantCode: 2},
		{name: "nagios output and a push from the environment", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(1234)}, levels...)
		}, env: func(k *kumatest.Receiver) map[string]string {
			return map[string]string{"JSONPROBE_KUMA_URL": k.PushURL()}
		},
			wantQuery: "msg=OK+-+1+check+OK&ping=P&status=up", wantUp: true, wantCode: 0, wantStdout: "JSONPROBE OK - 1 check OK |"},
		{name: "push URL copied from the UI: query replaced", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(1234), "-o", "json", "--kuma-url", k.PushURL()}, levels...)
		}, wantQuery: "msg=OK+-+1+check+OK&ping=P&status=up", wantUp: true, wantCode: 0, wantStdout: `{"schema_version":1,`},
		{name: "trailing slash dropped", args: func(k *kumatest.Receiver) []string {
			return append([]string{health(1234), "-o", "kuma", "--kuma-url", k.URL + "/api/push/" + kumaToken + "/"}, levels...)
		}, wantQuery: "msg=OK+-+1+check+OK&ping=P&status=up", wantUp: true, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kuma := kumatest.Start(kumaToken)
			t.Cleanup(kuma.Close)
			if tt.env != nil {
				for k, v := range tt.env(kuma) {
					t.Setenv(k, v)
				}
			}
			code, stdout, stderr := runArgs(t, tt.args(kuma)...)
			assert.Equal(t, tt.wantCode, code, "stdout: %s\nstderr: %s", stdout, stderr)
			if tt.wantStdout == "" {
				assert.Empty(t, stdout)
			} else {
				assert.True(t, strings.HasPrefix(stdout, tt.wantStdout), stdout)
			}
			assert.Empty(t, stderr)
			beats := kuma.Beats()
			require.Len(t, beats, 1, "requests: %v", kuma.Requests())
			assert.Equal(t, tt.wantQuery, stablePing(t, beats[0].RawQuery))
			assert.Equal(t, tt.wantUp, beats[0].Up)
			assert.NotEqual(t, "[object Object]", beats[0].Msg)
			require.NotNil(t, beats[0].Ping, "Kuma stored a ping")
			assert.NotContains(t, stdout+stderr, kumaToken)
		})
	}
}

// TestKumaPushFailures: every failed push is retried twice, reported on
// stderr with Kuma's own msg and the token redacted, and exits 3.
func TestKumaPushFailures(t *testing.T) {
	health := serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 1234))
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!DOCTYPE html><html></html>"))
	}))
	t.Cleanup(html.Close)
	down := closedPort(t)
	downBase := strings.TrimSuffix(down, "/health")

	tests := []struct {
		name       string
		pushURL    func(k *kumatest.Receiver) string
		delay      time.Duration
		timeout    string
		wantStderr string
		wantTries  int
	}{
		{"unknown token", func(k *kumatest.Receiver) string { return k.URL + "/api/push/wrong" + kumaToken },
			0, "5", "jsonprobe: kuma push to http://127.0.0.1:PORT/api/push/*** failed after 3 attempts: HTTP 404: Monitor not found or not active.", 3},
		{"receiver down", func(*kumatest.Receiver) string { return downBase + "/api/push/" + kumaToken },
			0, "5", "jsonprobe: kuma push to http://127.0.0.1:PORT/api/push/*** failed after 3 attempts: connection refused", 0},
		{"receiver slow past the deadline", func(k *kumatest.Receiver) string { return k.PushURL() },
			10 * time.Second, "1", "jsonprobe: kuma push to http://127.0.0.1:PORT/api/push/*** failed after 1 attempt: timed out", 1},
		{"HTML answer", func(*kumatest.Receiver) string { return html.URL + "/api/push/" + kumaToken },
			0, "5", `jsonprobe: kuma push to http://127.0.0.1:PORT/api/push/*** failed after 3 attempts: HTTP 200 without {"ok":true}: not a Kuma push answer (is it the monitor's push URL?)`, 0},
	}
	portRe := regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kuma := kumatest.Start(kumaToken)
			kuma.Delay = tt.delay
			t.Cleanup(kuma.Close)
			start := time.Now()
			code, stdout, stderr := runArgs(t, health, "-c", "goroutines > 5000", "-o", "kuma", "-t", tt.timeout, "--kuma-url", tt.pushURL(kuma))
			elapsed := time.Since(start)
			assert.Equal(t, 3, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tt.wantStderr, portRe.ReplaceAllString(strings.TrimSpace(stderr), "127.0.0.1:PORT"))
			assert.Len(t, kuma.Requests(), tt.wantTries)
			assert.Empty(t, kuma.Beats())
			assert.NotContains(t, stdout+stderr, kumaToken)
			assert.Less(t, elapsed, 8*time.Second, "bounded by the -t deadline plus backoff")
		})
	}
}

func TestKumaConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"-o kuma without URL", []string{"-o", "kuma", "x.json"}, "JSONPROBE UNKNOWN - -o kuma needs the push URL: --kuma-url, JSONPROBE_KUMA_URL or kuma.url_env in the checks file"},
		{"not a push URL", []string{"--kuma-url", "http://kuma.example/dashboard", "x.json"}, "JSONPROBE UNKNOWN - kuma url http://kuma.example/dashboard: want a Push monitor URL ending in /api/push/TOKEN"},
		{"bad warning-as", []string{"--kuma-warning-as", "maybe", "x.json"}, `JSONPROBE UNKNOWN - --kuma-warning-as "maybe": want up or down`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, _ := runArgs(t, tt.args...)
			assert.Equal(t, 3, code)
			assert.Equal(t, tt.want, firstLine(stdout))
		})
	}
}

// TestKumaPushFailureOneRule: a failed push is an UNKNOWN outcome of the
// report under every output, folded into its state like a check's, so the
// printed state, the JSON state and the exit code agree (-o kuma -v never
// prints WARNING and exits 3).
func TestKumaPushFailureOneRule(t *testing.T) {
	down := strings.TrimSuffix(closedPort(t), "/health") + "/api/push/" + kumaToken
	tests := []struct {
		name       string
		goroutines int
		output     []string
		wantCode   int
		wantFirst  string // prefix of stdout's first line
	}{
		{"OK probe, -o kuma -v", 10, []string{"-o", "kuma", "-v"}, 3, "JSONPROBE UNKNOWN - kuma push to "},
		{"WARNING probe, -o kuma -v", 2500, []string{"-o", "kuma", "-v"}, 1, "JSONPROBE WARNING - goroutines=2500 > 2000, kuma push to "},
		{"WARNING probe, nagios", 2500, nil, 1, "JSONPROBE WARNING - goroutines=2500 > 2000, kuma push to "},
		{"CRITICAL probe, nagios", 6000, nil, 2, "JSONPROBE CRITICAL - goroutines=6000 > 5000, kuma push to "},
		{"OK probe, json", 10, []string{"-o", "json"}, 3, `{"schema_version":1,`},
		{"WARNING probe, json", 2500, []string{"-o", "json"}, 1, `{"schema_version":1,`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			health := serve(t, 200, "application/json", fmt.Sprintf(healthDoc, tt.goroutines))
			args := append([]string{health, "-w", "goroutines > 2000", "-c", "goroutines > 5000", "-t", "2", "--kuma-url", down}, tt.output...)
			code, stdout, stderr := runArgs(t, args...)
			assert.Equal(t, tt.wantCode, code, stdout)
			assert.True(t, strings.HasPrefix(firstLine(stdout), tt.wantFirst), stdout)
			assert.Contains(t, stderr, "kuma push to ")
			assert.NotContains(t, stdout+stderr, kumaToken)
			if len(tt.output) > 0 && tt.output[1] == "json" {
				states := []string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}
				assert.Contains(t, stdout, `"state":"`+states[tt.wantCode]+`","exit_code":`+strconv.Itoa(tt.wantCode))
				assert.Contains(t, stdout, `"name":"kuma","level":"push"`)
			} else {
				assert.Contains(t, stdout, "\nUNKNOWN kuma: kuma push to ")
			}
		})
	}
}
