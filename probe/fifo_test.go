package probe

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFetchFIFOWithoutWriter: opening a FIFO blocks until a writer comes;
// the fetch must still end at its deadline.
func TestFetchFIFOWithoutWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "health.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	cfg := NewConfig()
	cfg.Target, cfg.Timeout = fifo, 200*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	start := time.Now()
	_, err := Fetch(ctx, nil, cfg, nil)
	require.Error(t, err)
	assert.Equal(t, `read "`+fifo+`": timed out after 200ms`, err.Error())
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	assert.Less(t, time.Since(start), 5*time.Second)
}
