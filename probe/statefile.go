package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// The state file (--state, state:) keeps the history of the numeric values
// the checks read, for the window functions. Its format, version 1:
//
//	{"version":1,"targets":{"sha256:…":{"goroutines":[[1764363600000,1234],…]}},"names":{"sha256:…":"http://host/health"}}
//
// Samples are [Unix milliseconds, value] pairs, oldest first, per path per
// target, keyed by StateKey (files of the earlier form, keyed by the
// redacted target, still read).
const stateVersion = 1

// Bounds of the state file.
const (
	// MaxSamples is the most samples kept per path: the oldest go first.
	MaxSamples = 10000
	// DefaultRetention is how long samples are kept when no window function
	// asks for longer.
	DefaultRetention = 24 * time.Hour
	// MaxStateSize is the largest state file read: far more than the
	// samples of a few dozen paths at MaxSamples each. A larger one is
	// moved aside unread.
	MaxStateSize = 16 << 20
)

// stateData is the state file's content. Targets are keyed by StateKey;
// Names has each key's target with its secrets redacted, for people. A
// file written before keys were digests has the redacted target itself as
// the key and no names: bind carries its samples over.
type stateData struct {
	Version int                                `json:"version"`
	Targets map[string]map[string][][2]float64 `json:"targets"`
	Names   map[string]string                  `json:"names,omitempty"`
	// Memory is what front-ends keep between runs (the last state they
	// told), by a name of theirs. A jsonprobe older than the memory drops
	// it when it writes the file: the front-end then starts afresh.
	Memory map[string]memoryEntry `json:"memory,omitempty"`
}

// memoryEntry is one front-end memory in the state file, with when it was
// last written.
type memoryEntry struct {
	At   int64           `json:"at"` // Unix milliseconds
	Data json.RawMessage `json:"data"`
}

func newStateData() stateData {
	return stateData{Version: stateVersion, Targets: map[string]map[string][][2]float64{}, Names: map[string]string{}}
}

// bind names key, and moves to it the samples kept under its name by a
// file of the earlier form, when it has none of its own yet.
func (s *stateStore) bind(key, name string) {
	if s.data.Names == nil {
		s.data.Names = map[string]string{}
	}
	s.data.Names[key] = name
	if _, ok := s.data.Targets[key]; ok {
		return
	}
	if old, ok := s.data.Targets[name]; ok && s.data.Names[name] == "" {
		s.data.Targets[key] = old
		delete(s.data.Targets, name)
	}
}

// stateStore is an open, locked state file: its samples, changed in memory,
// and written back by save.
type stateStore struct {
	path   string
	unlock func()
	data   stateData
	// readOnly is set when the path cannot hold a file (a directory): the
	// run goes on without saving.
	readOnly bool
	// beforeRename, when set, runs between writing the temporary file and
	// renaming it over the state: a test's hook (FileStore.beforeRename).
	beforeRename func()
}

// openState locks the state file (through a sidecar path.lock) until close,
// and reads it. A file that cannot be read as a state is moved aside to
// path.corrupt-<unix time> and the history starts afresh; notice says so. err
// is set only when the file cannot be locked or read at all.
func openState(ctx context.Context, path string, now time.Time) (s *stateStore, notice string, err error) {
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		return nil, "", fmt.Errorf("state %q: %w", path, err)
	}
	s = &stateStore{path: path, unlock: unlock, data: newStateData()}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		s.readOnly = true
		return s, fmt.Sprintf("state %q is a directory: running without history", path), nil
	}
	b, err := readState(path)
	why := ""
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, "", nil
	case errors.Is(err, errTooLarge):
		why = "is larger than " + humanSize(MaxStateSize) + ", more than jsonprobe writes"
	case err != nil:
		s.close()
		return nil, "", fmt.Errorf("state %q: %w", path, shortFileError(err))
	case len(b) == 0:
		// An empty file is a new state: operators create it to set its
		// owner and mode.
		return s, "", nil
	default:
		var data stateData
		if data, why = decodeState(b); why == "" {
			s.data = data
			return s, "", nil
		}
	}
	aside := path + ".corrupt-" + strconv.FormatInt(now.Unix(), 10)
	if err := os.Rename(path, aside); err != nil {
		s.readOnly = true
		return s, fmt.Sprintf("state %q %s and cannot be moved aside (%v): running without history", path, why, shortFileError(err)), nil
	}
	return s, fmt.Sprintf("state %q %s: moved aside to %s, history started afresh", path, why, filepath.Base(aside)), nil
}

// readState reads the state file at path through the cap MaxStateSize: a
// larger one is errTooLarge, and costs no more than the cap to find out.
func readState(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCapped(f, MaxStateSize, regularSize(f))
}

// decodeState parses a state file; why says what is wrong with it, or is
// empty.
func decodeState(b []byte) (stateData, string) {
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return stateData{}, "is not a jsonprobe state file (not JSON or truncated)"
	}
	switch {
	case head.Version == nil:
		return stateData{}, "is not a jsonprobe state file (no version)"
	case *head.Version > stateVersion:
		return stateData{}, fmt.Sprintf("is from a newer jsonprobe (version %d, this one reads %d)", *head.Version, stateVersion)
	case *head.Version != stateVersion:
		return stateData{}, fmt.Sprintf("has unknown version %d", *head.Version)
	}
	var data stateData
	if err := json.Unmarshal(b, &data); err != nil {
		return stateData{}, "is not a jsonprobe state file (" + err.Error() + ")"
	}
	if data.Targets == nil {
		data.Targets = map[string]map[string][][2]float64{}
	}
	return data, ""
}

// Samples returns target's samples of path, oldest first.
func (s *stateStore) samples(target, path string) []expr.Sample {
	raw := s.data.Targets[target][path]
	out := make([]expr.Sample, len(raw))
	for i, p := range raw {
		out[i] = expr.Sample{Time: time.UnixMilli(int64(p[0])), Value: p[1]}
	}
	return out
}

// add records a sample; values that JSON cannot hold (NaN, ±Inf) are
// skipped.
func (s *stateStore) add(target, path string, t time.Time, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return
	}
	paths := s.data.Targets[target]
	if paths == nil {
		paths = map[string][][2]float64{}
		s.data.Targets[target] = paths
	}
	paths[path] = append(paths[path], [2]float64{float64(t.UnixMilli()), v})
}

// prune drops the samples older than retention before now, keeps at most
// MaxSamples per path, and drops paths and targets left empty.
func (s *stateStore) prune(now time.Time, retention time.Duration) {
	oldest := float64(now.Add(-retention).UnixMilli())
	for target, paths := range s.data.Targets {
		for path, samples := range paths {
			sort.SliceStable(samples, func(i, j int) bool { return samples[i][0] < samples[j][0] })
			i := sort.Search(len(samples), func(i int) bool { return samples[i][0] > oldest })
			samples = samples[i:]
			if len(samples) > MaxSamples {
				samples = samples[len(samples)-MaxSamples:]
			}
			if len(samples) == 0 {
				delete(paths, path)
				continue
			}
			paths[path] = samples
		}
		if len(paths) == 0 {
			delete(s.data.Targets, target)
			delete(s.data.Names, target)
		}
	}
}

// save writes the state atomically: a temporary file in the same folder,
// synced, then renamed over the old one, so a reader (or a run killed
// mid-write) sees either the old state or the new one.
func (s *stateStore) save() error {
	if s.readOnly {
		return nil
	}
	b, err := json.Marshal(s.data)
	if err != nil {
		return fmt.Errorf("state %q: %w", s.path, err)
	}
	dir, base := filepath.Split(s.path)
	if dir == "" {
		dir = "."
	}
	// Temporary files of runs killed mid-write; only the lock holder writes
	// them, so any found now are stale.
	if stale, _ := filepath.Glob(filepath.Join(dir, base+".tmp-*")); len(stale) > 0 {
		for _, f := range stale {
			_ = os.Remove(f)
		}
	}
	if err := WriteFileAtomic(s.path, b, 0o600, s.beforeRename); err != nil {
		return fmt.Errorf("state %q: %w", s.path, err)
	}
	return nil
}

// close releases the lock.
func (s *stateStore) close() { s.unlock() }

// targetHistory is the History of one target for expr.Env.
type targetHistory struct {
	s      *stateStore
	target string
}

func (h targetHistory) Samples(path string) []expr.Sample { return h.s.samples(h.target, path) }

// ReadState reads a state file without locking it, for tests and tools:
// target (redacted) → path → samples, oldest first; the samples of targets
// that differ only in a secret are listed together.
func ReadState(path string) (map[string]map[string][]expr.Sample, error) {
	b, err := readState(path)
	if errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("state %q is larger than %s, more than jsonprobe writes", path, humanSize(MaxStateSize))
	}
	if err != nil {
		return nil, fmt.Errorf("state %q: %w", path, shortFileError(err))
	}
	data, why := decodeState(b)
	if why != "" {
		return nil, fmt.Errorf("state %q %s", path, why)
	}
	s := &stateStore{data: data}
	out := map[string]map[string][]expr.Sample{}
	for key, paths := range data.Targets {
		name := key
		if n := data.Names[key]; n != "" {
			name = n
		}
		if out[name] == nil {
			out[name] = map[string][]expr.Sample{}
		}
		for p := range paths {
			out[name][p] = append(out[name][p], s.samples(key, p)...)
		}
	}
	return out, nil
}
