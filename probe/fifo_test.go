package probe

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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

// TestReadCapped: the body is read into one buffer of the declared length
// (or the cap), a longer-than-declared body is still read to the cap, and
// more than the cap is refused.
func TestReadCapped(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		limit    int64
		declared int64
		wantErr  bool
	}{
		{"declared length", "hello", 10, 5, false},
		{"unknown length", "hello", 10, -1, false},
		{"longer than declared", "hello world", 20, 5, false},
		{"exactly the cap", "0123456789", 10, -1, false},
		{"one byte over the cap", "0123456789x", 10, -1, true},
		{"longer than declared and over the cap", "0123456789xyz", 10, 3, true},
		{"empty", "", 10, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readCapped(strings.NewReader(tt.body), tt.limit, tt.declared)
			if tt.wantErr {
				assert.ErrorIs(t, err, errTooLarge)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(got))
		})
	}
}
