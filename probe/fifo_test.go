package probe

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
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

// TestReadCapped: the body is read into one buffer of the declared length,
// or in doubling pieces joined at the end; a longer-than-declared body is
// still read to the cap, more than the cap is refused with the size read
// (or declared), and a body cut short stays an error.
func TestReadCapped(t *testing.T) {
	long := strings.Repeat("0123456789", 700) // 7000 bytes: pieces of 512, 1024, 2048, 4096
	tests := []struct {
		name     string
		body     string
		limit    int64
		declared int64
		wantSize int64 // of what was refused; 0 when it is read
	}{
		{name: "declared length", body: "hello", limit: 10, declared: 5},
		{name: "unknown length", body: "hello", limit: 10, declared: -1},
		{name: "longer than declared", body: "hello world", limit: 20, declared: 5},
		{name: "exactly the cap", body: "0123456789", limit: 10, declared: -1},
		{name: "one byte over the cap", body: "0123456789x", limit: 10, declared: -1, wantSize: 11},
		{name: "longer than declared and over the cap", body: "0123456789xyz", limit: 10, declared: 3, wantSize: 11},
		{name: "declared over the cap", body: "0123456789xyz", limit: 10, declared: 13, wantSize: 13},
		{name: "empty", body: "", limit: 10, declared: -1},
		{name: "exactly one piece", body: long[:firstRead], limit: 1 << 20, declared: -1},
		{name: "several pieces", body: long, limit: 1 << 20, declared: -1},
		{name: "several pieces, exactly the cap", body: long, limit: 7000, declared: -1},
		{name: "several pieces, over the cap", body: long, limit: 6999, declared: -1, wantSize: 7000},
	}
	for _, tt := range tests {
		for name, r := range map[string]func() io.Reader{
			"":           func() io.Reader { return strings.NewReader(tt.body) },
			", by bytes": func() io.Reader { return iotest.OneByteReader(strings.NewReader(tt.body)) },
		} {
			t.Run(tt.name+name, func(t *testing.T) {
				got, err := readCapped(r(), tt.limit, tt.declared)
				if tt.wantSize > 0 {
					assert.ErrorIs(t, err, errTooLarge)
					assert.Equal(t, tt.wantSize, tooLargeSize(err))
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tt.body, string(got))
				assert.Equal(t, len(got), cap(got))
			})
		}
	}
	t.Run("cut short", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader(long), iotest.ErrReader(io.ErrUnexpectedEOF))
		_, err := readCapped(r, 1<<20, -1)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	})
}
