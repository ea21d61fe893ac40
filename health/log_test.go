package health

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// textLogger writes records as text lines without their time, every level
// included.
func textLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: slog.LevelDebug,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func docOf(goroutines int) Document {
	return Document{Status: "ok", Goroutines: goroutines, Memory: Memory{AllocMB: 256, TotalAllocMB: 1024, SysMB: 512, NumGC: 45}}
}

const memoryAttrs = " memory.alloc_mb=256 memory.total_alloc_mb=1024 memory.sys_mb=512 memory.num_gc=45\n"

// TestLogLevels: the level at each boundary; a count equal to a threshold
// is under it, as the alerts' "goroutines > 2000" reads it.
func TestLogLevels(t *testing.T) {
	tests := []struct {
		name       string
		opts       []LogOption
		goroutines int
		want       string
	}{
		{"few", nil, 12, `level=DEBUG msg="goroutine count" goroutines=12`},
		{"at 2000", nil, 2000, `level=DEBUG msg="goroutine count" goroutines=2000`},
		{"over 2000", nil, 2001, `level=WARN msg="goroutine count elevated" goroutines=2001`},
		{"at 5000", nil, 5000, `level=WARN msg="goroutine count elevated" goroutines=5000`},
		{"over 5000", nil, 5001, `level=ERROR msg="high goroutine count" goroutines=5001`},
		{"thresholds set: at 100", []LogOption{WithThresholds(100, 300)}, 100, `level=DEBUG msg="goroutine count" goroutines=100`},
		{"thresholds set: over 100", []LogOption{WithThresholds(100, 300)}, 101, `level=WARN msg="goroutine count elevated" goroutines=101`},
		{"thresholds set: at 300", []LogOption{WithThresholds(100, 300)}, 300, `level=WARN msg="goroutine count elevated" goroutines=300`},
		{"thresholds set: over 300", []LogOption{WithThresholds(100, 300)}, 301, `level=ERROR msg="high goroutine count" goroutines=301`},
		{"thresholds set: 5001 is no longer an error", []LogOption{WithThresholds(100, 10000)}, 5001, `level=WARN msg="goroutine count elevated" goroutines=5001`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			c := newLogConfig(tt.opts)
			c.run(ctx, textLogger(&buf), nil, func() Document { return docOf(tt.goroutines) })
			assert.Equal(t, tt.want+memoryAttrs, buf.String())
		})
	}
}

// TestLogEveryTick: a record at once and one per tick, each of the document
// read then, until the context is done.
func TestLogEveryTick(t *testing.T) {
	var buf bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	counts := []int{1999, 2500, 6000}
	reads := 0
	read := func() Document {
		d := docOf(counts[reads])
		reads++
		return d
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		newLogConfig(nil).run(ctx, textLogger(&buf), ticks, read)
	}()
	// An unbuffered tick is taken only once the record before it is written.
	ticks <- time.Time{}
	ticks <- time.Time{}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return when its context was done")
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 3, buf.String())
	assert.True(t, strings.HasPrefix(lines[0], `level=DEBUG msg="goroutine count" goroutines=1999 `), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], `level=WARN msg="goroutine count elevated" goroutines=2500 `), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], `level=ERROR msg="high goroutine count" goroutines=6000 `), lines[2])
}

// recorder is a slog.Handler that keeps the records and says when each
// arrives.
type recorder struct {
	mu      sync.Mutex
	records []slog.Record
	arrived chan struct{}
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	r.records = append(r.records, rec)
	r.mu.Unlock()
	select {
	case r.arrived <- struct{}{}:
	default:
	}
	return nil
}

// TestLog: Log on a real ticker of a millisecond writes the live count
// until its context is done.
func TestLog(t *testing.T) {
	rec := &recorder{arrived: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Log(ctx, slog.New(rec), time.Millisecond)
	}()
	deadline := time.After(10 * time.Second)
	for range 3 {
		select {
		case <-rec.arrived:
		case <-deadline:
			t.Fatal("fewer than 3 records in 10s at an interval of 1ms")
		}
	}
	cancel()
	select {
	case <-done:
	case <-deadline:
		t.Fatal("Log did not return when its context was done")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.GreaterOrEqual(t, len(rec.records), 3)
	attrs := map[string]slog.Value{}
	rec.records[0].Attrs(func(a slog.Attr) bool {
		attrs[a.Key] = a.Value
		return true
	})
	assert.Greater(t, attrs["goroutines"].Int64(), int64(1), "the live count: this test and Log")
	assert.Equal(t, slog.KindGroup, attrs["memory"].Kind())
}

// TestLogDefaults: a nil logger is slog.Default, and an interval that is not
// positive is the default one (time.NewTicker would panic on it).
func TestLogDefaults(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(textLogger(&buf))
	t.Cleanup(func() { slog.SetDefault(old) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	Log(ctx, nil, 0, WithThresholds(0, 1<<30))
	assert.True(t, strings.HasPrefix(buf.String(), `level=WARN msg="goroutine count elevated" goroutines=`), buf.String())
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one record: the context was done")
}
