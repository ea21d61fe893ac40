package health

import (
	"context"
	"log/slog"
	"time"
)

// DefaultLogInterval is Log's interval when it is given none.
const DefaultLogInterval = 30 * time.Second

// The goroutine counts over which Log raises its level, unless
// WithThresholds sets others.
const (
	DefaultWarnOver  = 2000
	DefaultErrorOver = 5000
)

// LogOption configures Log.
type LogOption func(*logConfig)

type logConfig struct {
	warnOver, errorOver int
}

// WithThresholds sets the goroutine counts over which Log writes at Warn
// (warnOver) and at Error (errorOver); a count equal to a threshold is
// still under it. The defaults are DefaultWarnOver and DefaultErrorOver.
func WithThresholds(warnOver, errorOver int) LogOption {
	return func(c *logConfig) { c.warnOver, c.errorOver = warnOver, errorOver }
}

// Log writes the goroutine count and the memory figures of the document to
// logger at once and then every interval, until ctx is done: at Debug while
// the count is at most 2000 (so a logger at the usual Info level shows
// nothing while all is well), at Warn over 2000, at Error over 5000. Each
// record's message says which ("goroutine count", "goroutine count
// elevated", "high goroutine count"), and its attributes are goroutines and
// the memory group of the document (memory.alloc_mb, …), named as the
// document names them.
//
// Log blocks: run it in a goroutine of its own. A nil logger is
// slog.Default(); an interval that is not positive is DefaultLogInterval.
// A ctx that is already done still gets the first record.
func Log(ctx context.Context, logger *slog.Logger, every time.Duration, opts ...LogOption) {
	if logger == nil {
		logger = slog.Default()
	}
	if every <= 0 {
		every = DefaultLogInterval
	}
	t := time.NewTicker(every)
	defer t.Stop()
	newLogConfig(opts).run(ctx, logger, t.C, Read)
}

func newLogConfig(opts []LogOption) logConfig {
	c := logConfig{warnOver: DefaultWarnOver, errorOver: DefaultErrorOver}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// run writes a record of read's document now and on each tick, until ctx
// is done. Tests give it their own ticks and documents.
func (c logConfig) run(ctx context.Context, logger *slog.Logger, ticks <-chan time.Time, read func() Document) {
	for {
		c.record(ctx, logger, read())
		select {
		case <-ctx.Done():
			return
		case <-ticks:
		}
	}
}

// record writes one record of doc.
func (c logConfig) record(ctx context.Context, logger *slog.Logger, doc Document) {
	level, msg := slog.LevelDebug, "goroutine count"
	switch n := doc.Goroutines; {
	case n > c.errorOver:
		level, msg = slog.LevelError, "high goroutine count"
	case n > c.warnOver:
		level, msg = slog.LevelWarn, "goroutine count elevated"
	}
	m := doc.Memory
	logger.LogAttrs(ctx, level, msg,
		slog.Int("goroutines", doc.Goroutines),
		slog.Group("memory",
			slog.Uint64("alloc_mb", m.AllocMB),
			slog.Uint64("total_alloc_mb", m.TotalAllocMB),
			slog.Uint64("sys_mb", m.SysMB),
			slog.Uint64("num_gc", uint64(m.NumGC)),
		),
	)
}
