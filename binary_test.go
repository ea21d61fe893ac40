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
	seen := 0
	sc := bufio.NewScanner(&stderr)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		seen++
		bytes, _ := strconv.Atoi(m[2])
		allocs, _ := strconv.Atoi(m[3])
		assert.LessOrEqual(t, bytes, 1024, "bytes allocated by the init of %s", m[1])
		assert.LessOrEqual(t, allocs, 16, "allocations by the init of %s", m[1])
	}
	require.NoError(t, sc.Err())
	require.NotZero(t, seen, "no init trace of jsonprobe's packages in:\n%s", stderr.String())
}

// testSignals: SIGTERM (a monitoring core's timeout) or Ctrl-C while the
// request is in flight ends the probe at once with an UNKNOWN status line
// that says so, instead of dying silently or waiting for -t.
func testSignals(t *testing.T, bin string) {
	url, arrived := blockingArrival(t)
	for _, tt := range []struct {
		sig  syscall.Signal
		want string
	}{
		{syscall.SIGTERM, "interrupted (terminated signal received)"},
		{syscall.SIGINT, "interrupted (interrupt signal received)"},
	} {
		t.Run(tt.sig.String(), func(t *testing.T) {
			var stdout bytes.Buffer
			cmd := exec.Command(bin, "-u", url+"/health", "-c", "goroutines > 5000", "-t", "30")
			cmd.Stdout = &stdout
			require.NoError(t, cmd.Start())
			select {
			case <-arrived:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the request never arrived")
			}
			start := time.Now()
			require.NoError(t, cmd.Process.Signal(tt.sig))
			var exit *exec.ExitError
			require.True(t, errors.As(cmd.Wait(), &exit), "exit status 3 expected")
			assert.Equal(t, 3, exit.ExitCode())
			assert.Less(t, time.Since(start), 10*time.Second, "ended long before -t 30")
			first, _, _ := strings.Cut(stdout.String(), " | ")
			assert.Equal(t, "JSONPROBE UNKNOWN - GET "+url+"/health: "+tt.want, first)
		})
	}
}
