package sink

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// TestPromFileAtomic: while one goroutine rewrites the file with two
// reports of different sizes, a reader (as node_exporter's textfile
// collector) only ever reads one of them whole (run under make race).
func TestPromFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jsonprobe.prom")
	small := &probe.Report{Target: "http://h/", State: probe.OK}
	big := &probe.Report{Target: "http://h/", State: probe.Critical}
	for i := range 200 {
		big.Values = append(big.Values, probe.PathValue{Path: "m" + strings.Repeat("x", i), Value: float64(i)})
	}
	want := map[string]bool{}
	for _, r := range []*probe.Report{small, big} {
		var b bytes.Buffer
		require.NoError(t, output.Prometheus(&b, r, output.PrometheusOptions{Target: true}))
		want[b.String()] = true
	}
	require.NoError(t, PromFile(path, small, nil))

	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(done)
		for i := range 300 {
			r := small
			if i%2 == 0 {
				r = big
			}
			if err := PromFile(path, r, nil); err != nil {
				t.Error(err)
				return
			}
		}
	})
	reads := 0
	for loop := true; loop; {
		select {
		case <-done:
			loop = false
		default:
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, want[string(data)], "read %d bytes that are neither report", len(data))
		reads++
	}
	wg.Wait()
	assert.Greater(t, reads, 1)
	left, err := filepath.Glob(path + ".tmp-*")
	require.NoError(t, err)
	assert.Empty(t, left, "temporary files left behind")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), "the collector runs as another user")
}
