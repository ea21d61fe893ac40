package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunServesReloadsAndStops runs the command in process: it listens,
// answers a scrape, reloads on the hup channel (SIGHUP), and exits 0 when
// its context ends (SIGTERM).
func TestRunServesReloadsAndStops(t *testing.T) {
	n := 1234
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"goroutines":%d}`, n)
	}))
	t.Cleanup(target.Close)
	file := filepath.Join(t.TempDir(), "health.yaml")
	write := func(level string) {
		require.NoError(t, os.WriteFile(file, []byte("url: "+target.URL+"\nchecks:\n  - "+level+": goroutines > 1000\n"), 0o600))
	}
	write("warning")
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan os.Signal, 1)
	logR, logW := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"jsonprobe-exporter", "--web.listen-address", "127.0.0.1:0", file}, io.Discard, logW, func(string) string { return "" }, hup)
		logW.Close()
	}()
	lines := bufio.NewScanner(logR)
	addr := ""
	for addr == "" && lines.Scan() {
		if m := regexp.MustCompile(`msg=listening address=(\S+)`).FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	require.NotEmpty(t, addr, "no listening line")
	go func() { _, _ = io.Copy(io.Discard, logR) }()
	scrape := func() string {
		resp, err := http.Get("http://" + addr + "/probe")
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	assert.Contains(t, scrape(), "\njsonprobe_state 1\n")
	write("critical")
	hup <- os.Interrupt // any value: the command sends SIGHUP's
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(scrape(), "\njsonprobe_state 2\n") {
		require.True(t, time.Now().Before(deadline), "SIGHUP did not reload")
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	assert.Equal(t, 0, <-code)
}

func TestRunRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("checks:\n  - critical: x >\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", nil, "jsonprobe serve: no checks file: give one or more CHECKS.yaml"},
		{"bad file", []string{bad}, `jsonprobe serve: config "` + bad + `": line 2: expression "x >"`},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, "no such file"},
		{"two modules of one name", []string{bad, filepath.Join(dir, "sub", "bad.yml")}, `module "bad": both`},
		{"bad web config", []string{"--web.config.file", filepath.Join(dir, "nope.yml"), bad}, `--web.config.file`},
		{"bad log level", []string{"--log.level", "loud", bad}, `--log.level "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			args := append([]string{"jsonprobe-exporter", "--web.listen-address", "127.0.0.1:0"}, tt.args...)
			code := run(context.Background(), args, io.Discard, &stderr, func(string) string { return "" }, nil)
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr.String(), tt.want)
		})
	}
}
