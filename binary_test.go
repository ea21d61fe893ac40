package main

import (
	"bufio"
	"bytes"
	"errors"
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
