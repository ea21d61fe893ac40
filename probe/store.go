package probe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Store keeps the samples of the window functions between runs. A one-shot
// probe keeps them in a state file (FileStore); a long-running front-end
// may keep them in memory (MemoryStore) and save the file no more than it
// needs. Implementations are safe for concurrent use.
type Store interface {
	// Record adds one run's samples (path → value) of target at now, drops
	// what is older than retention, and returns the target's history, the
	// new samples included. A store keeps the target under its StateKey and
	// shows it redacted, never as given. notes say what happened to a store
	// that could not be used; the run goes on without history then (a nil
	// History).
	Record(ctx context.Context, target string, samples map[string]float64, now time.Time, retention time.Duration) (h expr.History, notes []string)
}

// StateKey is a target's key in a Store: a digest of the whole target, so
// that no secret in it is stored and two targets that differ only in a
// secret (?token=…) keep separate histories.
func StateKey(target string) string {
	sum := sha256.Sum256([]byte(target))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// FileStore is the state file at Path (--state, state:): locked, read,
// changed and written back atomically by each Record.
type FileStore struct {
	Path         string
	beforeRename func() // a test's hook, see stateStore
}

// Record implements Store.
func (f FileStore) Record(ctx context.Context, target string, samples map[string]float64, now time.Time, retention time.Duration) (expr.History, []string) {
	var notes []string
	s, notice, err := openState(ctx, f.Path, now)
	if err != nil {
		return nil, []string{err.Error() + ": running without history"}
	}
	defer s.close()
	s.beforeRename = f.beforeRename
	if notice != "" {
		notes = append(notes, notice)
	}
	key := s.record(target, samples, now, retention)
	if err := s.save(); err != nil {
		notes = append(notes, err.Error()+": this run's samples are not kept")
	}
	return targetHistory{s: s, target: key}, notes
}

// fixedHistory is a History of its own: path → samples, oldest first.
type fixedHistory map[string][]expr.Sample

func (h fixedHistory) Samples(path string) []expr.Sample { return h[path] }

// record adds one run's samples of target under its StateKey, in path
// order, names the key with the redacted target, and drops what is older
// than retention: what every Store does with a stateStore. It returns the
// key.
func (s *stateStore) record(target string, samples map[string]float64, now time.Time, retention time.Duration) string {
	key := StateKey(target)
	s.bind(key, redact.URL(target))
	paths := make([]string, 0, len(samples))
	for p := range samples {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		s.add(key, p, now, samples[p])
	}
	s.prune(now, retention)
	return key
}

// MemoryRetention is how long a front-end's memory is kept in the state
// file without a run that reads it: a receiver or target taken out of the
// checks file leaves nothing behind for longer.
const MemoryRetention = 30 * 24 * time.Hour

// UpdateMemory runs fn under the state file's lock on the memory kept
// under name (nil when there is none) and keeps what it returns: a
// front-end's memory between runs, such as the last state notified, that
// runs which overlap read and change one at a time. fn runs with the lock
// held, so it must be quick: no network, no command. An error of fn keeps
// the memory as it was. The lock is waited for until ctx is done. A state
// file that cannot be written (a directory, or one that does not read and
// cannot be moved aside) is an error: a memory that is not kept would
// have every run act again. Memories not written for MemoryRetention go.
func (f FileStore) UpdateMemory(ctx context.Context, name string, now time.Time, fn func(old []byte) ([]byte, error)) error {
	s, notice, err := openState(ctx, f.Path, now)
	if err != nil {
		return err
	}
	defer s.close()
	if s.readOnly {
		return errors.New(strings.TrimSuffix(notice, ": running without history") + ": it cannot keep the memory")
	}
	next, err := fn(s.data.Memory[name].Data)
	if err != nil {
		return err
	}
	if s.data.Memory == nil {
		s.data.Memory = map[string]memoryEntry{}
	}
	oldest := now.Add(-MemoryRetention).UnixMilli()
	for k, e := range s.data.Memory {
		if e.At < oldest {
			delete(s.data.Memory, k)
		}
	}
	s.data.Memory[name] = memoryEntry{At: now.UnixMilli(), Data: next}
	return s.save()
}
