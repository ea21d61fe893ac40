package probe

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

func values(ss []expr.Sample) []float64 {
	out := make([]float64, len(ss))
	for i, s := range ss {
		out[i] = s.Value
	}
	return out
}

// TestMemoryStore: samples in time order (a clock that went back too),
// bounded by retention, targets apart, a history handed out unchanged by
// later runs.
func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	var m MemoryStore
	rec := func(target string, min int, v float64) expr.History {
		h, notes := m.Record(ctx, target, map[string]float64{"g": v}, t0.Add(time.Duration(min)*time.Minute), time.Hour)
		require.Empty(t, notes)
		return h
	}
	rec("a", 0, 1)
	rec("a", 10, 2)
	first := rec("a", 20, 3)
	assert.Equal(t, []float64{1, 2, 3}, values(first.Samples("g")))
	rec("a", 15, 2.5) // the clock went back
	h, _ := m.Record(ctx, "a", map[string]float64{"g": 2.9}, t0.Add(20*time.Minute-500*time.Millisecond), time.Hour)
	got := h.Samples("g")
	assert.Equal(t, t0.Add(20*time.Minute), got[len(got)-1].Time, "a run that finished a little out of order takes the newest time")
	later := rec("a", 30, 4)
	assert.Equal(t, []float64{1, 2, 2.5, 3, 2.9, 4}, values(later.Samples("g")))
	assert.Equal(t, []float64{1, 2, 3}, values(first.Samples("g")), "a history handed out does not change")
	assert.Equal(t, []float64{9}, values(rec("b", 30, 9).Samples("g")), "targets apart")
	// An hour on: what is older than the window goes.
	assert.Equal(t, []float64{4, 5}, values(rec("a", 80, 5).Samples("g")), "the samples at the window's start are out, as in the state file")
	h, _ = m.Record(ctx, "a", map[string]float64{}, t0.Add(200*time.Minute), time.Hour)
	assert.Empty(t, h.Samples("g"), "a path left empty goes")
}

// TestMemoryStoreBounded: no more than maxMemoryTargets targets, the one
// probed longest ago dropped first.
func TestMemoryStoreBounded(t *testing.T) {
	var m MemoryStore
	t0 := time.Now()
	for i := range maxMemoryTargets + 10 {
		m.Record(context.Background(), fmt.Sprint("http://t/", i), map[string]float64{"g": 1}, t0.Add(time.Duration(i)*time.Second), 24*time.Hour)
	}
	assert.Equal(t, maxMemoryTargets, len(m.targets))
	_, first := m.targets[StateKey("http://t/0")]
	_, last := m.targets[StateKey(fmt.Sprint("http://t/", maxMemoryTargets+9))]
	assert.False(t, first, "the target probed longest ago goes first")
	assert.True(t, last)
	// A sweep drops the targets no run has seen within the retention.
	for i := range 1024 {
		m.Record(context.Background(), "http://t/new", map[string]float64{"g": 1}, t0.Add(48*time.Hour+time.Duration(i)*time.Second), 24*time.Hour)
	}
	assert.Equal(t, 1, len(m.targets))
}

// TestMemoryStoreConcurrent: runs record and read histories at once (make
// race); each history is ordered and complete up to its own run.
func TestMemoryStoreConcurrent(t *testing.T) {
	var m MemoryStore
	var clock sync.Mutex
	now := time.Now()
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := range 200 {
				clock.Lock()
				now = now.Add(time.Millisecond)
				at := now
				clock.Unlock()
				h, _ := m.Record(context.Background(), fmt.Sprint("http://t/", w%4), map[string]float64{"g": float64(i)}, at, time.Hour)
				ss := h.Samples("g")
				for j := 1; j < len(ss); j++ {
					if ss[j].Time.Before(ss[j-1].Time) {
						t.Errorf("history out of order at %d", j)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	total := 0
	for _, tg := range m.targets {
		total += len(tg.paths["g"])
	}
	assert.Equal(t, 16*200, total)
}
