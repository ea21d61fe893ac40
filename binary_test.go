package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/internal/kumatest"
)

// TestBuiltBinary builds jsonprobe as it ships (make build) and checks what
// only the real process shows: its start-up, and its signal handling.
func TestBuiltBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "jsonprobe")
	out, err := exec.Command("make", "-s", "build", "BIN="+bin).CombinedOutput()
	require.NoError(t, err, "make build: %s", out)
	t.Run("startup does little", func(t *testing.T) { testStartupDoesLittle(t, bin) })
	t.Run("signals", func(t *testing.T) { testSignals(t, bin) })
	t.Run("no Prometheus client in the plugin", func(t *testing.T) { testPluginLinksNoExporter(t, bin) })
	t.Run("serve stops on SIGTERM", func(t *testing.T) { testServeSIGTERM(t, bin) })
	t.Run("one version everywhere", func(t *testing.T) { testVersion(t, bin) })
}

// testVersion: --version says the version packaging/version.sh gives, the
// one the .deb carries (and the image's tag), not git describe's own form.
func testVersion(t *testing.T, bin string) {
	want, err := exec.Command("bash", "packaging/version.sh").Output()
	require.NoError(t, err)
	require.Regexp(t, `^\d+\.\d+\.\d+[+~.\w]*\n$`, string(want))
	for _, b := range []string{bin, filepath.Join(filepath.Dir(bin), "jsonprobe-exporter")} {
		out, err := exec.Command(b, "--version").Output()
		require.NoError(t, err)
		assert.Contains(t, string(out), "version "+strings.TrimSpace(string(want)), b)
	}
}

// testPluginLinksNoExporter: the exporter's modules are in
// jsonprobe-exporter only, so the plugin's start-up does not pay their
// package inits (protobuf, procfs, the client's default registry).
func testPluginLinksNoExporter(t *testing.T, bin string) {
	for _, b := range []struct {
		path string
		want bool
	}{{bin, false}, {filepath.Join(filepath.Dir(bin), "jsonprobe-exporter"), true}} {
		out, err := exec.Command("go", "version", "-m", b.path).CombinedOutput()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, b.want, strings.Contains(string(out), "github.com/prometheus/client_golang"), b.path)
	}
}

// testServeSIGTERM: jsonprobe serve runs the exporter in its place (the
// same process, so the signal reaches it); SIGTERM while a probe hangs
// ends it within the 5 s grace, exit 0.
func testServeSIGTERM(t *testing.T, bin string) {
	url, arrived := blockingArrival(t)
	checks := writeFile(t, "slow.yaml", "url: "+url+"/health\ntimeout: 60s\nchecks:\n  - critical: goroutines > 5000\n")
	cmd := exec.Command(bin, "serve", "--web.listen-address", "127.0.0.1:0", checks)
	// The exporter logs on stderr; exec copies it into our pipe until the
	// process ends, so Wait may run while the drain reads.
	logR, logW := io.Pipe()
	cmd.Stderr = logW
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = logW.Close() })
	sc := bufio.NewScanner(logR)
	addr := ""
	for addr == "" && sc.Scan() {
		if m := regexp.MustCompile(`msg=listening address=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	require.NotEmpty(t, addr, "no listening line")
	go func() {
		for sc.Scan() {
		}
	}()
	go func() {
		if resp, err := http.Get("http://" + addr + "/probe"); err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the probe never reached the target")
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		assert.NoError(t, err, "exit 0 expected")
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not end after SIGTERM")
	}
}

// testStartupDoesLittle runs the binary with Go's init trace and checks that
// jsonprobe's own packages do next to nothing before main: a probe starts
// thousands of times a day, so tables and regular expressions are made when
// a run first needs them (a compiled regular expression alone allocates
// several kilobytes).
func testStartupDoesLittle(t *testing.T, bin string) {
	cmd := exec.Command(bin, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run())
	// init github.com/jsonprobe/jsonprobe/probe @5.8 ms, 0.002 ms clock, 392 bytes, 6 allocs
	line := regexp.MustCompile(`^init (github\.com/jsonprobe/jsonprobe\S*) @.* clock, (\d+) bytes, (\d+) allocs$`)
	traced := false // the runtime traced any init at all
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		traced = traced || strings.HasPrefix(sc.Text(), "init ")
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		size, _ := strconv.Atoi(m[2])
		allocs, _ := strconv.Atoi(m[3])
		assert.LessOrEqual(t, size, 1024, "bytes allocated by the init of %s", m[1])
		assert.LessOrEqual(t, allocs, 16, "allocations by the init of %s", m[1])
	}
	require.NoError(t, sc.Err())
	require.True(t, traced, "no init trace in:\n%s", stderr.String())
}

// testSignals: SIGTERM (Icinga 2's check timeout, kill) or Ctrl-C while the
// request is in flight ends the probe at once with an UNKNOWN status line
// that says so, instead of dying silently or waiting for -t; a Kuma push is
// then skipped, not attempted with the interrupted context.
func testSignals(t *testing.T, bin string) {
	url, arrived := blockingArrival(t)
	kuma := kumatest.Start("tok")
	t.Cleanup(kuma.Close)
	for _, tt := range []struct {
		name       string
		sig        syscall.Signal
		extra      []string
		wantStdout string // the first line, up to the perfdata
		wantStderr string
	}{
		{"SIGTERM", syscall.SIGTERM, nil,
			"JSONPROBE UNKNOWN - GET " + url + "/health: interrupted (terminated signal received)", ""},
		{"SIGINT", syscall.SIGINT, nil,
			"JSONPROBE UNKNOWN - GET " + url + "/health: interrupted (interrupt signal received)", ""},
		{"SIGTERM with -o kuma", syscall.SIGTERM, []string{"-o", "kuma", "--kuma-url", kuma.PushURL()},
			"", "jsonprobe: kuma push skipped: interrupted (terminated signal received)\n"},
		{"SIGTERM with a push next to Nagios", syscall.SIGTERM, []string{"--kuma-url", kuma.PushURL()},
			"JSONPROBE UNKNOWN - GET " + url + "/health: interrupted (terminated signal received)",
			"jsonprobe: kuma push skipped: interrupted (terminated signal received)\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"-u", url + "/health", "-c", "goroutines > 5000", "-t", "30"}, tt.extra...)
			cmd := exec.Command(bin, args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			select {
			case <-arrived:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the request never arrived")
			}
			require.NoError(t, cmd.Process.Signal(tt.sig))
			// "interrupted", not "timed out after 30s": the signal ended it.
			var exit *exec.ExitError
			require.True(t, errors.As(cmd.Wait(), &exit), "exit status 3 expected")
			assert.Equal(t, 3, exit.ExitCode())
			first, _, _ := strings.Cut(stdout.String(), " | ")
			assert.Equal(t, tt.wantStdout, first)
			assert.Equal(t, tt.wantStderr, stderr.String())
			assert.Empty(t, kuma.Requests(), "no push after a signal")
		})
	}
}
