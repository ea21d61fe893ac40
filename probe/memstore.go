package probe

import (
	"context"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// maxMemoryTargets bounds how many targets a MemoryStore keeps: a scrape
// chooses its target, so their number is the scrapers', not ours. Past it,
// the target probed longest ago is dropped.
const maxMemoryTargets = 4096

// MemoryStore keeps the samples in memory, bounded as the state file is
// (retention, MaxSamples per path) and to maxMemoryTargets targets. It is
// made for many runs a second: a run appends its samples to its own
// target's and hands the window functions views of them, never a copy;
// samples are only ever appended or dropped from the front (an
// out-of-order one makes a new slice), so a view stays valid while later
// runs go on. The zero value is ready to use.
type MemoryStore struct {
	mu      sync.Mutex
	targets map[string]*memTarget // by StateKey
	records int
	parts   map[string]partsEntry // by StateKey: the newest run's document parts
}

// memTarget is one target's samples, by path, oldest first.
type memTarget struct {
	paths map[string][]expr.Sample
	last  time.Time // the newest run
}

// Record implements Store.
func (m *MemoryStore) Record(_ context.Context, target string, samples map[string]float64, now time.Time, retention time.Duration) (expr.History, []string) {
	key := StateKey(target)
	oldest := now.Add(-retention)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.targets == nil {
		m.targets = map[string]*memTarget{}
	}
	t := m.targets[key]
	if t == nil {
		m.makeRoom()
		t = &memTarget{paths: map[string][]expr.Sample{}}
		m.targets[key] = t
	}
	t.last = now
	for path, v := range samples {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			t.paths[path] = appendSample(t.paths[path], expr.Sample{Time: now, Value: v})
		}
	}
	h := make(fixedHistory, len(t.paths))
	for path, s := range t.paths {
		s = dropOld(s, oldest)
		if len(s) == 0 {
			delete(t.paths, path)
			continue
		}
		t.paths[path] = s
		h[path] = s[:len(s):len(s)] // appends by later runs cannot reach it
	}
	if m.records++; m.records%1024 == 0 {
		m.sweep(oldest)
	}
	return h, nil
}

// reorderSlack is how far behind the newest sample a run's may be and
// still be appended, at the newest one's time: concurrent scrapes of one
// target finish out of the order they started in.
const reorderSlack = time.Second

// appendSample adds x in time order: at the end, as runs come (a run a
// little behind another at that one's time), or (a clock that went back)
// into a new slice, so that no view handed out changes.
func appendSample(s []expr.Sample, x expr.Sample) []expr.Sample {
	n := len(s)
	if n == 0 || !x.Time.Before(s[n-1].Time) {
		return append(s, x)
	}
	if s[n-1].Time.Sub(x.Time) <= reorderSlack {
		x.Time = s[n-1].Time
		return append(s, x)
	}
	i := sort.Search(n, func(i int) bool { return s[i].Time.After(x.Time) })
	out := make([]expr.Sample, 0, n+1)
	out = append(out, s[:i]...)
	out = append(out, x)
	return append(out, s[i:]...)
}

// dropOld drops the samples not after oldest and those beyond MaxSamples,
// from the front, and moves what is left to a new array once most of the
// old one is dropped.
func dropOld(s []expr.Sample, oldest time.Time) []expr.Sample {
	s = s[sort.Search(len(s), func(i int) bool { return s[i].Time.After(oldest) }):]
	if len(s) > MaxSamples {
		s = s[len(s)-MaxSamples:]
	}
	if cap(s) > 2*len(s)+64 {
		s = append([]expr.Sample(nil), s...)
	}
	return s
}

// sweep drops the targets that no run has recorded since oldest.
func (m *MemoryStore) sweep(oldest time.Time) {
	for key, t := range m.targets {
		if !t.last.After(oldest) {
			delete(m.targets, key)
		}
	}
}

// makeRoom drops the target probed longest ago when the store is full.
func (m *MemoryStore) makeRoom() {
	if len(m.targets) < maxMemoryTargets {
		return
	}
	var oldestKey string
	var oldest time.Time
	for key, t := range m.targets {
		if oldestKey == "" || t.last.Before(oldest) {
			oldestKey, oldest = key, t.last
		}
	}
	delete(m.targets, oldestKey)
}
