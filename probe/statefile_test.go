package probe

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// t0 is the injected start of every sequence of runs.
var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// docAndState writes the document body into dir and names the state file
// beside it.
func docAndState(t *testing.T, dir, body string) (doc, state string) {
	t.Helper()
	doc = filepath.Join(dir, "doc.json")
	require.NoError(t, os.WriteFile(doc, []byte(body), 0o644))
	return doc, filepath.Join(dir, "s.state")
}

func stateConfig(t *testing.T, target, state string, checks ...[2]string) *Config {
	t.Helper()
	cfg := NewConfig()
	cfg.Target, cfg.StatePath = target, state
	for _, c := range checks {
		require.NoError(t, cfg.AddCheck(c[0], c[1]))
	}
	require.NoError(t, cfg.Validate())
	return cfg
}

// TestGrowthCatchesALeak runs the probe every 10 minutes (injected clock)
// against an endpoint whose goroutines climb 5% a run: "too little history"
// until the samples span half the hour, then WARNING once the hour's growth
// passes 20%, CRITICAL past 40%.
func TestGrowthCatchesALeak(t *testing.T) {
	var goroutines atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"status":"ok","goroutines":%d}`, goroutines.Load())
	}))
	t.Cleanup(srv.Close)
	state := filepath.Join(t.TempDir(), "app.state")
	cfg := stateConfig(t, srv.URL, state,
		[2]string{"warning", "growth(goroutines, 1h) > 20"},
		[2]string{"critical", "growth(goroutines, 1h) > 40"})

	values := []int64{1000, 1000, 1000, 1050, 1100, 1200, 1300, 1500, 1800}
	want := []struct {
		state State
		msg   string
	}{
		{OK, "growth(goroutines, 1h) > 20 (growth(goroutines, 1h): too little history (1 sample))"},
		{OK, "growth(goroutines, 1h) > 20 (growth(goroutines, 1h): too little history (2 samples over 10m))"},
		{OK, "growth(goroutines, 1h) > 20 (growth(goroutines, 1h): too little history (3 samples over 20m))"},
		{OK, "growth(goroutines, 1h) > 20 (got 5)"},           // 1050 vs 1000 at 30m
		{OK, "growth(goroutines, 1h) > 20 (got 10)"},          // 1100 vs 1000
		{OK, "growth(goroutines, 1h) > 20 (got 20)"},          // 1200 vs 1000: not above 20
		{Warning, "growth(goroutines, 1h) > 20 (got 30)"},     // 1300 vs 1000 (the 0m sample left the window)
		{Critical, "growth(goroutines, 1h) > 40 (got 50)"},    // 1500 vs 1000
		{Critical, "growth(goroutines, 1h) > 40 (got 71.43)"}, // 1800 vs 1050
	}
	for i, v := range values {
		goroutines.Store(v)
		now := t0.Add(time.Duration(i) * 10 * time.Minute)
		rep := runOnce(t, context.Background(), cfg, WithClient(srv.Client()), WithClock(func() time.Time { return now }))
		require.NoError(t, rep.Err)
		require.Len(t, rep.Outcomes, 1, "run %d", i)
		assert.Equal(t, want[i].state, rep.State, "run %d", i)
		assert.Equal(t, want[i].msg, rep.Outcomes[0].Message, "run %d", i)
	}
	st, err := ReadState(state)
	require.NoError(t, err)
	// Bounded by the longest window: the samples of the last hour only.
	assert.Len(t, st[srv.URL]["goroutines"], 6)
}

func TestWindowNeedsState(t *testing.T) {
	cfg := NewConfig()
	cfg.Target = "x.json"
	require.NoError(t, cfg.AddCheck("warning", "growth(goroutines, 1h) > 20"))
	require.NoError(t, cfg.Validate(), "Validate leaves it to Compile, which knows the store")
	_, err := Compile(cfg)
	assert.EqualError(t, err, `check "growth(goroutines, 1h)": window functions need --state FILE or state: in the checks file`)
	_, err = Compile(cfg, WithStore(&MemoryStore{}))
	assert.NoError(t, err, "a front-end's store keeps the samples")
}

func TestStateFileBounds(t *testing.T) {
	dir := t.TempDir()
	doc, state := docAndState(t, dir, `{"n":1}`)
	cfg := stateConfig(t, doc, state, [2]string{"critical", "n > 5"})
	s, _, err := openState(ctxTimeout(t, 5*time.Second), state, t0)
	require.NoError(t, err)
	for i := range MaxSamples + 50 {
		s.add(doc, "n", t0.Add(time.Duration(i)*time.Second), float64(i))
	}
	s.add(doc, "old", t0.Add(-48*time.Hour), 1)
	require.NoError(t, s.save())
	s.close()

	now := t0.Add((MaxSamples + 50) * time.Second)
	rep := runOnce(t, context.Background(), cfg, WithClock(func() time.Time { return now }))
	require.Equal(t, OK, rep.State, rep.Summary())
	st, err := ReadState(state)
	require.NoError(t, err)
	assert.Len(t, st[doc]["n"], MaxSamples)
	assert.Equal(t, now, st[doc]["n"][MaxSamples-1].Time.UTC())
	assert.NotContains(t, st[doc], "old")
}

// TestStateFileProblems: a state file that cannot be used is reported in an
// OK line and never fails the probe; a broken one is moved aside.
func TestStateFileProblems(t *testing.T) {
	rows := []struct {
		name    string
		setup   func(t *testing.T, path string)
		notice  string // "" for none
		aside   bool   // moved to .corrupt-<time>
		samples int    // samples in the state after the run
	}{
		{name: "no file", setup: func(*testing.T, string) {}, samples: 1},
		{name: "empty file", setup: writeState(""), samples: 1},
		{name: "corrupt", setup: writeState("{not json"), aside: true, samples: 1,
			notice: `state "%s" is not a jsonprobe state file (not JSON or truncated): moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "truncated", setup: writeState(`{"version":1,"targets":{"x":{"n":[[1,`), aside: true, samples: 1,
			notice: `state "%s" is not a jsonprobe state file (not JSON or truncated): moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "foreign", setup: writeState(`{"goroutines":5}`), aside: true, samples: 1,
			notice: `state "%s" is not a jsonprobe state file (no version): moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "newer version", setup: writeState(`{"version":2,"targets":{}}`), aside: true, samples: 1,
			notice: `state "%s" is from a newer jsonprobe (version 2, this one reads 1): moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "wrong shape", setup: writeState(`{"version":1,"targets":[1]}`), aside: true, samples: 1,
			notice: `state "%s" is not a jsonprobe state file (json: cannot unmarshal array into Go struct field stateData.targets of type map[string]map[string][][2]float64): moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "over the cap, valid", setup: writeState(`{"version":1,"targets":{}}` + strings.Repeat(" ", MaxStateSize)), aside: true, samples: 1,
			notice: `state "%s" is larger than 16MiB, more than jsonprobe writes: moved aside to s.state.corrupt-%d, history started afresh`},
		{name: "directory", setup: func(t *testing.T, p string) { require.NoError(t, os.Mkdir(p, 0o755)) }, samples: -1,
			notice: `state "%s" is a directory: running without history`},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			dir := t.TempDir()
			doc, state := docAndState(t, dir, `{"n":1}`)
			row.setup(t, state)
			cfg := stateConfig(t, doc, state, [2]string{"warning", "delta(n, 1h) > 5"})
			rep := runOnce(t, context.Background(), cfg, WithClock(func() time.Time { return t0 }))
			assert.Equal(t, OK, rep.State)
			assert.Equal(t, "1 check OK", rep.Summary())
			notes := stateNotes(rep)
			if row.notice == "" {
				assert.Empty(t, notes)
			} else {
				var want string
				if row.aside {
					want = fmt.Sprintf(row.notice, state, t0.Unix())
				} else {
					want = fmt.Sprintf(row.notice, state)
				}
				assert.Equal(t, []string{want}, notes)
			}
			if row.aside {
				_, err := os.Stat(state + ".corrupt-" + strconv.FormatInt(t0.Unix(), 10))
				assert.NoError(t, err, "moved aside")
			}
			if row.samples >= 0 {
				st, err := ReadState(state)
				require.NoError(t, err)
				assert.Len(t, st[doc]["n"], row.samples)
			}
		})
	}
}

func writeState(content string) func(*testing.T, string) {
	return func(t *testing.T, path string) { require.NoError(t, os.WriteFile(path, []byte(content), 0o644)) }
}

// stateNotes are the messages of rep's state outcomes: what the run had to
// say about its state file.
func stateNotes(rep *Report) []string {
	var notes []string
	for _, o := range rep.Outcomes {
		if o.Level == "state" {
			notes = append(notes, o.Message)
		}
	}
	return notes
}

// TestStateKeepsTargetsApart: targets that differ only in a secret keep
// separate histories (the key was the redacted target), and no secret is
// stored.
func TestStateKeepsTargetsApart(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := map[string][]int{"a": {100, 200}, "b": {1000, 1000}}[r.URL.Query().Get("token")]
		step := 0
		if r.Header.Get("X-Step") == "1" {
			step = 1
		}
		fmt.Fprintf(w, `{"n":%d}`, values[step])
	}))
	t.Cleanup(srv.Close)
	state := filepath.Join(t.TempDir(), "state.json")
	cfg := NewConfig()
	cfg.StatePath = state
	require.NoError(t, cfg.AddCheck("warning", "growth(n, 1h) > 50"))
	for step, at := range []time.Time{t0, t0.Add(40 * time.Minute)} {
		cfg.Headers = []Header{{Name: "X-Step", Value: fmt.Sprint(step)}}
		p, err := Compile(cfg, WithClock(func() time.Time { return at }))
		require.NoError(t, err)
		a := p.Run(context.Background(), srv.URL+"/?token=a")
		b := p.Run(context.Background(), srv.URL+"/?token=b")
		if step == 1 {
			assert.Equal(t, "growth(n, 1h) > 50 (got 100)", a.Outcomes[0].Message)
			assert.Equal(t, "growth(n, 1h) > 50 (got 0)", b.Outcomes[0].Message)
		}
	}
	raw, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "token=a")
	assert.NotContains(t, string(raw), "token=b")
}

// TestStateLockGivesUpOnCancel: waiting for the state file's lock ends when
// the run is cancelled, not only at its deadline.
func TestStateLockGivesUpOnCancel(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "state.json.lock")
	unlock, err := lockFile(context.Background(), lock)
	require.NoError(t, err)
	t.Cleanup(unlock)
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := lockFile(ctx, lock)
		done <- err
	}()
	cancel(fmt.Errorf("terminated signal received"))
	err = <-done
	require.Error(t, err)
	assert.Equal(t, "lock: still held by another run when the probe was cancelled (terminated signal received)", err.Error())
}

// TestStateReadsEarlierFiles: a state file keyed by the redacted target, as
// written before keys were digests, still gives its history.
func TestStateReadsEarlierFiles(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"n":200}`), 0o600))
	state := filepath.Join(dir, "state.json")
	old := fmt.Sprintf(`{"version":1,"targets":{%q:{"n":[[%d,100]]}}}`, doc, t0.UnixMilli())
	require.NoError(t, os.WriteFile(state, []byte(old), 0o600))
	cfg := NewConfig()
	cfg.Target, cfg.StatePath = doc, state
	require.NoError(t, cfg.AddCheck("warning", "growth(n, 1h) > 50"))
	rep := runOnce(t, context.Background(), cfg, WithClock(func() time.Time { return t0.Add(40 * time.Minute) }))
	assert.Equal(t, Warning, rep.State, rep.Summary())
	assert.Equal(t, "growth(n, 1h) > 50 (got 100)", rep.Outcomes[0].Message)
}

// TestMain runs the state helper process instead of the tests when
// JSONPROBE_STATE_HELPER is set: the concurrency and kill tests start the
// test binary again as the processes that share a state file.
func TestMain(m *testing.M) {
	if mode := os.Getenv("JSONPROBE_STATE_HELPER"); mode != "" {
		os.Exit(stateHelper(mode))
	}
	os.Exit(m.Run())
}

// stateHelper is the helper process: mode "write" runs the probe
// JSONPROBE_STATE_RUNS times on the state; "hang" stops before the rename of
// its first write and waits to be killed.
func stateHelper(mode string) int {
	cfg := NewConfig()
	cfg.Target, cfg.StatePath = os.Getenv("JSONPROBE_STATE_DOC"), os.Getenv("JSONPROBE_STATE_FILE")
	if err := cfg.AddCheck("critical", "n > 1e9"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// The lock is waited for up to the probe's deadline: generous here,
	// where 20 processes queue for it on a loaded machine.
	cfg.Timeout = 2 * time.Minute
	store := FileStore{Path: cfg.StatePath}
	if mode == "hang" {
		store.beforeRename = func() {
			fmt.Println("writing")
			select {}
		}
	}
	p, err := Compile(cfg, WithStore(store))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	runs, _ := strconv.Atoi(os.Getenv("JSONPROBE_STATE_RUNS"))
	for range runs {
		rep := p.Run(context.Background(), "")
		if rep.State != OK || len(rep.Outcomes) != 1 {
			fmt.Fprintln(os.Stderr, "run:", rep.Summary())
			return 1
		}
	}
	return 0
}

// fastTempDir is a temporary folder in memory (/dev/shm) where there is
// one: 1000 locked writes, each with its fsyncs, would otherwise measure the
// disk rather than the locking.
func fastTempDir(t *testing.T) string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "jsonprobe-test-*"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

func helper(t *testing.T, mode, doc, state string, runs int) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "JSONPROBE_STATE_HELPER="+mode, "JSONPROBE_STATE_DOC="+doc,
		"JSONPROBE_STATE_FILE="+state, "JSONPROBE_STATE_RUNS="+strconv.Itoa(runs))
	return cmd
}

// TestStateConcurrentProcesses: 20 processes writing the same state 50 times
// each leave a valid file with all 1000 samples.
func TestStateConcurrentProcesses(t *testing.T) {
	dir := fastTempDir(t)
	doc, state := docAndState(t, dir, `{"n":7}`)
	const procs, runs = 20, 50
	var wg sync.WaitGroup
	errs := make([]error, procs)
	outs := make([][]byte, procs)
	for i := range procs {
		wg.Go(func() { outs[i], errs[i] = helper(t, "write", doc, state, runs).CombinedOutput() })
	}
	wg.Wait()
	for i := range procs {
		require.NoError(t, errs[i], "process %d: %s", i, outs[i])
	}
	st, err := ReadState(state)
	require.NoError(t, err)
	assert.Len(t, st[doc]["n"], procs*runs)
	left, _ := filepath.Glob(state + ".tmp-*")
	assert.Empty(t, left)
}

// TestStateKilledMidWrite: a run killed with SIGKILL between writing its
// temporary file and the rename leaves the previous state readable, and the
// next run goes on from it.
func TestStateKilledMidWrite(t *testing.T) {
	dir := t.TempDir()
	doc, state := docAndState(t, dir, `{"n":7}`)
	cfg := stateConfig(t, doc, state, [2]string{"critical", "n > 1e9"})
	runOnce(t, context.Background(), cfg)

	cmd := helper(t, "hang", doc, state, 1)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "writing\n", line)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()

	st, err := ReadState(state)
	require.NoError(t, err)
	assert.Len(t, st[doc]["n"], 1, "the previous state")
	left, _ := filepath.Glob(state + ".tmp-*")
	assert.Len(t, left, 1, "the killed run's temporary file")

	rep := runOnce(t, context.Background(), cfg)
	assert.Equal(t, OK, rep.State, rep.Summary())
	st, err = ReadState(state)
	require.NoError(t, err)
	assert.Len(t, st[doc]["n"], 2)
	left, _ = filepath.Glob(state + ".tmp-*")
	assert.Empty(t, left, "stale temporary files are removed")
}

// ctxTimeout is a context that ends after d or with the test.
func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// TestWriteFileAtomicKeepsTheOldFile: a write that fails at the last step
// (the rename) leaves the old file as it was, and no temporary file.
func TestWriteFileAtomicKeepsTheOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.prom")
	require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o640))
	err := WriteFileAtomic(path, []byte("new\n"), 0o644, func() {
		tmps, _ := filepath.Glob(path + ".tmp-*")
		for _, f := range tmps {
			require.NoError(t, os.Remove(f)) // the rename now fails
		}
	})
	require.Error(t, err)
	data, rerr := os.ReadFile(path)
	require.NoError(t, rerr)
	assert.Equal(t, "old\n", string(data))
	require.NoError(t, WriteFileAtomic(path, []byte("new\n"), 0o644, nil))
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), info.Mode().Perm(), "an existing file keeps its mode")
}

// TestUpdateMemory: a memory is kept under its name, with when it was
// written; one not written for MemoryRetention goes; a state file that
// cannot keep it is an error.
func TestUpdateMemory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	f := FileStore{Path: path}
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	keep := func(name string, at time.Time, v string) {
		t.Helper()
		require.NoError(t, f.UpdateMemory(context.Background(), name, at, func([]byte) ([]byte, error) { return []byte(v), nil }))
	}
	keep("old", t0, `1`)
	keep("new", t0.Add(MemoryRetention-time.Hour), `2`)
	var seen []byte
	require.NoError(t, f.UpdateMemory(context.Background(), "new", t0.Add(MemoryRetention+time.Hour), func(old []byte) ([]byte, error) {
		seen = old
		return []byte(`3`), nil
	}))
	assert.Equal(t, `2`, string(seen))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var data stateData
	require.NoError(t, json.Unmarshal(b, &data))
	assert.Equal(t, map[string]memoryEntry{"new": {At: t0.Add(MemoryRetention + time.Hour).UnixMilli(), Data: []byte(`3`)}}, data.Memory)

	dir := filepath.Join(t.TempDir(), "d")
	require.NoError(t, os.Mkdir(dir, 0o700))
	err = FileStore{Path: dir}.UpdateMemory(context.Background(), "x", t0, func([]byte) ([]byte, error) { return []byte(`1`), nil })
	assert.EqualError(t, err, `state "`+dir+`" is a directory: it cannot keep the memory`)
}
