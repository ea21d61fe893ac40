package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/urfave/cli/v2"
)

const healthDoc = `{"status":"ok","goroutines":%d,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`

// serve starts a loopback endpoint that answers every request with status
// and body.
func serve(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/api/monitor/health"
}

// closedPort returns a loopback URL on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/health"
}

// blocking returns an endpoint that answers only after the client gave up.
func blocking(t *testing.T) string {
	url, _ := blockingArrival(t)
	return url
}

// blockingArrival is blocking, with a channel that receives once for each
// request that has reached the endpoint.
func blockingArrival(t *testing.T) (url string, arrived <-chan struct{}) {
	t.Helper()
	ch := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case ch <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv.URL, ch
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"jsonprobe"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestRunStates asserts the exit code and first output line for every row of
// the state table of docs/output.md.
func TestRunStates(t *testing.T) {
	levels := []string{"-w", "goroutines > 2000", "-c", "goroutines > 5000"}
	tests := []struct {
		name      string
		args      func(t *testing.T) []string
		wantCode  int
		wantFirst string // prefix of the first stdout line
	}{
		{"ok", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 1234))}, levels...)
		}, 0, "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time="},
		{"warning", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 2156))}, levels...)
		}, 1, "JSONPROBE WARNING - goroutines=2156 > 2000 | goroutines=2156;~:2000;~:5000 time="},
		{"critical", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 5234))}, levels...)
		}, 2, "JSONPROBE CRITICAL - goroutines=5234 > 5000 | goroutines=5234;~:2000;~:5000 time="},
		{"connection refused", func(t *testing.T) []string {
			return append([]string{closedPort(t)}, levels...)
		}, 2, "JSONPROBE CRITICAL - GET http://127.0.0.1:"},
		{"timeout", func(t *testing.T) []string {
			return append([]string{blocking(t), "-t", "0.3"}, levels...)
		}, 2, "JSONPROBE CRITICAL - GET http://127.0.0.1:"},
		{"500 with a JSON body", func(t *testing.T) []string {
			return append([]string{serve(t, 500, "application/json", fmt.Sprintf(healthDoc, 5234))}, levels...)
		}, 2, "JSONPROBE CRITICAL - HTTP 500 (expected 2xx), goroutines=5234 > 5000 |"},
		{"200 with HTML", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "text/html", "<!DOCTYPE html><html><body>Bad gateway</body></html>")}, levels...)
		}, 2, `JSONPROBE CRITICAL - body is not valid JSON (Content-Type "text/html"): starts with "<!DOCTYPE html><html><body>Bad gateway</…" |`},
		{"truncated JSON", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", `{"status":"ok","goroutines":12`)}, levels...)
		}, 2, `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"status\":\"ok\",\"goroutines\":12" |`},
		{"empty body", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", "")}, levels...)
		}, 2, "JSONPROBE CRITICAL - empty body, expected JSON |"},
		{"oversize body", func(t *testing.T) []string {
			return append([]string{serve(t, 200, "application/json", `{"pad":"`+strings.Repeat("x", 2048)+`"}`), "--max-body", "1KiB"}, levels...)
		}, 2, "JSONPROBE CRITICAL - GET http://127.0.0.1:"},
		{"on-error unknown", func(t *testing.T) []string {
			return append([]string{closedPort(t), "--on-error", "unknown"}, levels...)
		}, 3, "JSONPROBE UNKNOWN - GET http://127.0.0.1:"},
		{"missing path", func(t *testing.T) []string {
			return []string{serve(t, 200, "application/json", `{"status":"ok"}`), "-c", "goroutines > 5000"}
		}, 3, "JSONPROBE UNKNOWN - goroutines: not found | time="},
		{"wrong type", func(t *testing.T) []string {
			return []string{serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 1)), "-c", "memory > 4096"}
		}, 3, "JSONPROBE UNKNOWN - memory: got object, want number | time="},
		{"on-missing critical", func(t *testing.T) []string {
			return []string{serve(t, 200, "application/json", `{}`), "-c", "goroutines > 5000", "--on-missing", "critical"}
		}, 2, "JSONPROBE CRITICAL - goroutines: not found |"},
		{"bad expression", func(t *testing.T) []string {
			return []string{"http://127.0.0.1:1/", "-c", "goroutines >> 5000"}
		}, 3, `JSONPROBE UNKNOWN - -c: expression "goroutines >> 5000": unexpected ">" at column 13, expected a value`},
		{"bad YAML", func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "bad.yaml", "url: http://x\nchecks:\n  - name: a\n   critical: x > 1\n")}
		}, 3, `JSONPROBE UNKNOWN - config "`},
		{"unknown YAML key", func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "c.yaml", "url: http://x\ntimout: 5s\n")}
		}, 3, `JSONPROBE UNKNOWN - config "`},
		{"bad expression in YAML", func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "c.yaml", "url: http://x\nchecks:\n  - name: g\n    critical: goroutines >> 5000\n")}
		}, 3, `JSONPROBE UNKNOWN - config "`},
		{"unknown flag", func(t *testing.T) []string { return []string{"--frobnicate"} }, 3, "JSONPROBE UNKNOWN - flag provided but not defined: -frobnicate"},
		{"bad timeout", func(t *testing.T) []string { return []string{"-t", "soon", "x.json"} }, 3, `JSONPROBE UNKNOWN - timeout "soon": want seconds (10) or a duration (10s, 1m)`},
		{"no target", func(t *testing.T) []string { return []string{"-c", "a > 1"} }, 3, "JSONPROBE UNKNOWN - no target"},
		{"two targets", func(t *testing.T) []string { return []string{"a.json", "b.json"} }, 3, "JSONPROBE UNKNOWN - one TARGET expected, got 2: a.json b.json"},
		{"bad output", func(t *testing.T) []string { return []string{"-o", "xml", "a.json"} }, 3, `JSONPROBE UNKNOWN - --output "xml": want nagios, json, kuma or prometheus`},
		{"bad on-error", func(t *testing.T) []string { return []string{"--on-error", "fatal", "a.json"} }, 3, `JSONPROBE UNKNOWN - --on-error: state "fatal": want ok, warning, critical or unknown`},
		{"bad metric range", func(t *testing.T) []string { return []string{"-m", "x;1-10", "a.json"} }, 3, `JSONPROBE UNKNOWN - metric "x;1-10": range "1-10": "1-10" is not a number`},
		{"missing file", func(t *testing.T) []string { return []string{"-c", "a > 1", "/nonexistent/health.json"} }, 2, `JSONPROBE CRITICAL - open "/nonexistent/health.json": no such file`},
		{"metric ranges alert", func(t *testing.T) []string {
			return []string{serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 1)), "-m", "memory.sys_mb=sys[MB];~:100;~:1000"}
		}, 1, "JSONPROBE WARNING - sys=512 outside ~:100 | sys=512MB;~:100;~:1000 time="},
		{"demo", func(t *testing.T) []string { return []string{"demo"} }, 0, "JSONPROBE OK - 4 checks OK | goroutines="},
		{"help", func(t *testing.T) []string { return []string{"--help"} }, 0, "NAME:"},
		{"help after target", func(t *testing.T) []string { return []string{"x.json", "--help"} }, 0, "NAME:"},
		{"flag without its value", func(t *testing.T) []string { return []string{"x.json", "-c"} }, 3, "JSONPROBE UNKNOWN - flag needs an argument: -c"},
		{"bad header name", func(t *testing.T) []string { return []string{"x.json", "-H", "Bad@Name: v"} }, 3, `JSONPROBE UNKNOWN - header "Bad@Name": not a valid header name`},
		{"bad method", func(t *testing.T) []string { return []string{"x.json", "-X", "GE T"} }, 3, `JSONPROBE UNKNOWN - method "GE T": not a valid HTTP method`},
		{"header value with a line break", func(t *testing.T) []string { return []string{"x.json", "-H", "X-Key: a\nb"} }, 3, `JSONPROBE UNKNOWN - header "X-Key": its value holds a line break or another control character`},
		{"unsupported scheme", func(t *testing.T) []string { return []string{"ftp://host/x", "-c", "a > 1"} }, 3, "JSONPROBE UNKNOWN - target ftp://host/x: unsupported URL scheme (want http://, https://, a file or -)"},
		{"check-config with a missing CA file", func(t *testing.T) []string {
			return []string{"https://x/", "--ca-file", "/nonexistent.pem", "--check-config"}
		}, 3, `JSONPROBE UNKNOWN - ca file "/nonexistent.pem": no such file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(t, tt.args(t)...)
			assert.Equal(t, tt.wantCode, code, "stdout: %s\nstderr: %s", stdout, stderr)
			assert.True(t, strings.HasPrefix(firstLine(stdout), tt.wantFirst), "first line:\n%s\nwant prefix:\n%s", firstLine(stdout), tt.wantFirst)
			assert.NotContains(t, stdout+stderr, "goroutine 1 [", "no stack trace")
			assert.NotContains(t, stdout, "Incorrect Usage")
		})
	}
}

func TestPermute(t *testing.T) {
	app := (&invocation{}).app()
	flags := app.Flags
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"target first", []string{"jp", "http://x", "-c", "a > 1", "-k"}, []string{"jp", "-c", "a > 1", "-k", "--", "http://x"}},
		{"target last", []string{"jp", "-c", "a > 1", "http://x"}, []string{"jp", "-c", "a > 1", "--", "http://x"}},
		{"stdin dash", []string{"jp", "-", "-q"}, []string{"jp", "-q", "--", "-"}},
		{"flag=value", []string{"jp", "x.json", "--timeout=5"}, []string{"jp", "--timeout=5", "--", "x.json"}},
		{"after --", []string{"jp", "--", "-odd-name.json"}, []string{"jp", "--", "-odd-name.json"}},
		{"subcommand", []string{"jp", "demo", "--serve"}, []string{"jp", "demo", "--serve"}},
		{"every subcommand, from the app's list", []string{"jp", "history", "log.jsonl"}, []string{"jp", "history", "log.jsonl"}},
		{"no args", []string{"jp"}, []string{"jp"}},
		{"help after the target", []string{"jp", "x.json", "--help"}, []string{"jp", "--help"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := permute(tt.in, flags, app.Commands)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestOptionNamesMadeOnce: every option, --help and --version included,
// answers Names from the slice made with it. urfave/cli's own flags build a
// new slice with a regular expression on each call, and it calls Names for
// every pair of flags before the action runs. Its package globals stay as
// they are (its --version keeps -v, which the app does not use).
func TestOptionNamesMadeOnce(t *testing.T) {
	flags := (&invocation{}).app().Flags
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	assert.Subset(t, names, []string{"help", "h", "version", "verbose", "v"})
	assert.Equal(t, []string{"version", "v"}, cli.VersionFlag.Names())
	for _, f := range flags {
		first, again := f.Names(), f.Names()
		require.NotEmpty(t, first)
		assert.Same(t, &first[0], &again[0], "option %s", first[0])
	}
}

// BenchmarkCommandLine is the command line of a probe up to the network:
// options, the checks file and --check-config.
func BenchmarkCommandLine(b *testing.B) {
	args := []string{"jsonprobe", "-f", "checks.example.yaml", "-u", "http://127.0.0.1:1/health", "-w", "goroutines > 2000", "--check-config"}
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// TestCredentialsFromEnvironment: the bearer token and basic auth come from
// JSONPROBE_BEARER_TOKEN and JSONPROBE_BASIC_AUTH, never from argv.
func TestCredentialsFromEnvironment(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, basic := r.BasicAuth()
		ok := r.Header.Get("Authorization") == "Bearer env-token" || basic && user == "u" && pass == "p:w"
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"unauthorized"}`))
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name, env, value string
		wantCode         int
		wantFirst        string
	}{
		{"bearer", "JSONPROBE_BEARER_TOKEN", "env-token", 0, "JSONPROBE OK - 1 check OK"},
		{"basic", "JSONPROBE_BASIC_AUTH", "u:p:w", 0, "JSONPROBE OK - 1 check OK"},
		{"none", "JSONPROBE_UNUSED", "x", 2, "JSONPROBE CRITICAL - HTTP 401 (expected 2xx), status: not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.env, tt.value)
			code, stdout, _ := runArgs(t, srv.URL, "-c", `status != "ok"`)
			assert.Equal(t, tt.wantCode, code, stdout)
			assert.True(t, strings.HasPrefix(stdout, tt.wantFirst), stdout)
		})
	}
}

// TestInterruptible: once the handler is in place (it is installed beside
// the command-line parsing), the first SIGINT cancels the context with the
// cause signal.NotifyContext gives, and the process lives on.
func TestInterruptible(t *testing.T) {
	ctx, handled := interruptible()
	select {
	case <-handled:
	case <-time.After(10 * time.Second):
		t.Fatal("the signal handler was not installed")
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	require.EqualError(t, context.Cause(ctx), "interrupt signal received")
	assert.ErrorIs(t, context.Cause(ctx), context.Canceled)
}

// TestProbeWaitsForSignalHandler: the probe does not fetch before SIGINT
// and SIGTERM would end it with a report (the handler is installed beside
// the command-line parsing, and a signal before that kills the process).
// The test hands the probe its "handler in place" over an unbuffered
// channel: the send completes only once the probe waits for it, and a
// probe that does not wait finishes first.
func TestProbeWaitsForSignalHandler(t *testing.T) {
	var released atomic.Bool // the probe has been told the handler is in place
	var early, requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		if !released.Load() {
			early.Add(1)
		}
		fmt.Fprintf(w, healthDoc, 1234)
	}))
	t.Cleanup(srv.Close)
	var stdout bytes.Buffer
	inv := newInvocation(&stdout, io.Discard)
	handled := make(chan struct{})
	inv.signalsHandled = handled
	done := make(chan int, 1)
	go func() {
		done <- inv.run(context.Background(), []string{"jsonprobe", "-u", srv.URL, "-c", "goroutines > 5000"})
	}()
	released.Store(true)
	select {
	case handled <- struct{}{}:
	case code := <-done:
		t.Fatalf("the probe ran without waiting for the signal handler: exit %d, %q", code, stdout.String())
	}
	assert.Equal(t, 0, <-done, stdout.String())
	assert.Equal(t, int32(1), requests.Load())
	assert.Zero(t, early.Load(), "requests before the probe was told the handler is in place")
}

// TestWatchStateHistory: with --state, the view starts with the values the
// state file holds for its target.
func TestWatchStateHistory(t *testing.T) {
	doc := writeFile(t, "health.json", `{"goroutines":1234}`)
	state := filepath.Join(t.TempDir(), "state.json")
	for range 3 {
		code, out, _ := runArgs(t, "-c", "goroutines > 5000", "--state", state, doc)
		require.Equal(t, 0, code, out)
	}
	assert.Equal(t, map[string][]float64{"goroutines": {1234, 1234, 1234}}, stateHistory(state, doc))
	assert.Nil(t, stateHistory(filepath.Join(t.TempDir(), "none.json"), doc))
}

// TestWatchForEnds: --for that ends while a probe hangs does not count
// that probe (its deadline is the watch's end, not a timeout): the exit
// code is the last finished probe's. A signal before --for is up exits 3.
func TestWatchForEnds(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) > 1 {
			<-r.Context().Done() // every probe after the first hangs
			return
		}
		fmt.Fprint(w, `{"goroutines":1234}`)
	}))
	t.Cleanup(srv.Close)
	var out bytes.Buffer
	code := run(context.Background(), []string{"jsonprobe", "watch", "-i", "50ms", "--for", "400ms", "-c", "goroutines > 5000", srv.URL}, &out, io.Discard)
	assert.Equal(t, 0, code, out.String())
	assert.Regexp(t, `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d OK goroutines=1234\n$`, out.String())

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	out.Reset()
	code = run(ctx, []string{"jsonprobe", "watch", "-i", "50ms", "--for", "1h", "-c", "goroutines > 5000", srv.URL}, &out, io.Discard)
	assert.Equal(t, 3, code, "a signal cut --for short: %s", out.String())
}

// TestHelpDefaults: the help gives each default once, in one form, and a
// switch none ("(default: false)" says nothing).
func TestHelpDefaults(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"watch", "--help"}, {"demo", "--help"}, {"history", "--help"}} {
		code, stdout, _ := runArgs(t, args...)
		require.Equal(t, 0, code)
		assert.NotContains(t, stdout, "(default: false)", args)
		assert.NotRegexp(t, `\(default[^)]*\) \(default`, stdout, args)
		assert.NotRegexp(t, `\(default [^:]`, stdout, "one form: (default: X)")
	}
	_, stdout, _ := runArgs(t, "--help")
	assert.Contains(t, stdout, "(default: 16MiB)")
	assert.Contains(t, stdout, "(without it, up to 10 are followed)")
}
