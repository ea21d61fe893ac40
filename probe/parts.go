package probe

// The parts a document that is not JSON counts (a goroutine profile's
// stacks): named in the Report largest first, and, when a store keeps them
// from run to run, by how much each grew since the previous run.

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// PartCount is a Part of the document and its count in the previous run.
type PartCount struct {
	Part
	// Previous is its count in the previous run; Known says the previous
	// run counted it (else it is new, or was too small to be kept).
	Previous float64
	Known    bool
}

// partMemory is a store that keeps the parts' counts of a target's
// previous run.
type partMemory interface {
	// swapParts keeps counts (path → count) as the target's newest and
	// returns the previous run's, nil when there was none.
	swapParts(ctx context.Context, target string, counts map[string]float64, now time.Time) (map[string]float64, error)
}

// keptParts is how many of a document's parts a store keeps, largest
// first: the ones that can grow into a leak worth naming.
const keptParts = 50

// countParts puts doc's parts into rep, with their previous counts when
// the probe's store keeps them. A store that cannot be used is a note, as
// for the window functions.
func (p *Probe) countParts(ctx context.Context, rep *Report, doc Document) []Outcome {
	rep.Document, rep.PartsNoun = doc.Kind, doc.Noun
	rep.Parts = make([]PartCount, len(doc.Parts))
	for i, part := range doc.Parts {
		rep.Parts[i] = PartCount{Part: part}
	}
	mem, ok := p.store.(partMemory)
	if !ok {
		return nil
	}
	counts := make(map[string]float64, min(len(doc.Parts), keptParts))
	for _, part := range doc.Parts[:min(len(doc.Parts), keptParts)] {
		counts[part.Path] = part.Count
	}
	prev, err := mem.swapParts(ctx, rep.Target, counts, rep.Time)
	if err != nil {
		msg := err.Error() + ": the " + doc.Noun + " are not compared with the previous run"
		return []Outcome{{Name: "state", Level: LevelState, Expr: "state file", State: OK, Summary: msg, Message: msg}}
	}
	rep.PartsCompared = prev != nil
	for i := range rep.Parts {
		rep.Parts[i].Previous, rep.Parts[i].Known = prev[rep.Parts[i].Path]
	}
	return nil
}

// partsEntry is a target's parts in the state file's memory.
type partsEntry struct {
	At     time.Time          `json:"at"`
	Counts map[string]float64 `json:"counts"`
}

func (f FileStore) swapParts(ctx context.Context, target string, counts map[string]float64, now time.Time) (map[string]float64, error) {
	var prev map[string]float64
	err := f.UpdateMemory(ctx, "parts/"+StateKey(target), now, func(old []byte) ([]byte, error) {
		var e partsEntry
		if json.Unmarshal(old, &e) != nil {
			e = partsEntry{} // none kept, or unreadable: compared with nothing
		}
		if now.Before(e.At) {
			// A run that started before the newest one kept (it waited
			// for the lock): it compares with nothing and changes nothing.
			return old, nil
		}
		prev = e.Counts
		return json.Marshal(partsEntry{At: now, Counts: counts})
	})
	return prev, err
}

func (m *MemoryStore) swapParts(_ context.Context, target string, counts map[string]float64, now time.Time) (map[string]float64, error) {
	key := StateKey(target)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.parts == nil {
		m.parts = map[string]partsEntry{}
	}
	e, ok := m.parts[key]
	if ok && now.Before(e.At) {
		return nil, nil
	}
	m.parts[key] = partsEntry{At: now, Counts: counts}
	if !ok {
		return nil, nil
	}
	return e.Counts, nil
}

// Largest says the n largest parts: "main.leaky 2500 at main.go:13".
func (r *Report) Largest(n int) []string {
	var out []string
	for _, pc := range r.Parts[:min(n, len(r.Parts))] {
		out = append(out, pc.Name+" "+formatCount(pc.Count)+at(pc.Where))
	}
	return out
}

// GrewParts are the n parts that grew most since the previous run, when a
// store compared them, most first.
func (r *Report) GrewParts(n int) []PartCount {
	if !r.PartsCompared {
		return nil
	}
	grew := slices.DeleteFunc(slices.Clone(r.Parts), func(pc PartCount) bool { return !(pc.Count > pc.Previous) })
	slices.SortStableFunc(grew, func(a, b PartCount) int {
		da, db := a.Count-a.Previous, b.Count-b.Previous
		switch {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	return grew[:min(n, len(grew))]
}

// Grew says the n parts that grew most since the previous run, when a
// store compared them: "main.leaky +500 (2000 → 2500) at main.go:13", or
// "+500 (new)" for one the previous run did not count.
func (r *Report) Grew(n int) []string {
	var out []string
	for _, pc := range r.GrewParts(n) {
		was := "new"
		if pc.Known {
			was = formatCount(pc.Previous) + " → " + formatCount(pc.Count)
		}
		out = append(out, pc.Name+" +"+formatCount(pc.Count-pc.Previous)+" ("+was+")"+at(pc.Where))
	}
	return out
}

func formatCount(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func at(where string) string {
	if where == "" {
		return ""
	}
	return " at " + where
}
