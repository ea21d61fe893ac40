package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStartupDoesLittle builds jsonprobe as it ships, runs it with Go's
// init trace, and checks that jsonprobe's own packages do next to nothing
// before main: a probe starts thousands of times a day, so tables and
// regular expressions are made when a run first needs them (a compiled
// regular expression alone allocates several kilobytes).
func TestStartupDoesLittle(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "jsonprobe")
	build := exec.Command("make", "-s", "build", "BIN="+bin)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "make build: %s", out)
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
