package notify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// TestLoadEvidence: evidence: with its defaults; every bad value is a
// config error with its line.
func TestLoadEvidence(t *testing.T) {
	s, err := loadChecks("url: http://127.0.0.1:1/health\nstate: s.json\nevidence: { dir: dumps }\nchecks:\n  - critical: x > 1\n")
	require.NoError(t, err)
	assert.Equal(t, &Evidence{Dir: "dumps", Keep: 20, line: 3}, s.Evidence)
	assert.Equal(t, []string{"evidence: /debug/pprof/goroutine?debug=2 on the target's origin saved in dumps, the newest 20 kept"}, s.Describe())
	for src, want := range map[string]string{
		"url: http://a/h\nstate: s.json\nevidence: { url: http://a/x }\n":          "line 3: evidence: give dir, the folder the dumps are saved in",
		"url: http://a/h\nstate: s.json\nevidence: { dir: d, keep: 0 }\n":          `line 3: evidence: keep "0": want a number of files, 1 or more`,
		"url: http://a/h\nstate: s.json\nevidence: { dir: d, url: 'ftp://a/x' }\n": "line 3: evidence: url: want an http(s) URL",
		"url: health.json\nstate: s.json\nevidence: { dir: d }\n":                  "line 3: evidence: the target is not an http(s) URL: give url",
		"url: http://a/h\nevidence: { dir: d }\n":                                  "line 2: evidence: it remembers the last state in the state file",
		"url: http://a/h\nstate: s.json\nevidence: { dir: d, directory: e }\n":     `unknown key "directory"`,
	} {
		_, err := loadChecks(src + "checks:\n  - critical: x > 1\n")
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}

// evidenceTarget is a service on loopback whose goroutine dump is
// "dump N", N counting the requests for it; fail makes it answer 404.
type evidenceTarget struct {
	*httptest.Server
	mu    sync.Mutex
	dumps int
	fail  bool
}

func newEvidenceTarget(t *testing.T) *evidenceTarget {
	et := &evidenceTarget{}
	et.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		et.mu.Lock()
		defer et.mu.Unlock()
		if r.URL.Path != "/debug/pprof/goroutine" || r.URL.Query().Get("debug") != "2" || et.fail {
			http.NotFound(w, r)
			return
		}
		et.dumps++
		_, _ = io.WriteString(w, "dump "+strings.Repeat("x", et.dumps))
	}))
	t.Cleanup(et.Close)
	return et
}

// evidenceRun runs the notifications of a report at minute min, with the
// evidence saved by the probe's Capture.
func evidenceRun(t *testing.T, p *probe.Probe, set *Settings, rb *robot, rep *probe.Report) Result {
	t.Helper()
	return Run(context.Background(), p.Config(), set, rep, Options{Client: rb.Client(), Capture: p.Capture, Stderr: io.Discard,
		Now: func() time.Time { return rep.Time }, Environ: []string{"PATH=" + os.Getenv("PATH")}})
}

// saved are the files of dir, by name.
func saved(t *testing.T, dir string) []string {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestEvidence: the dump is saved when the state turns from OK to a
// problem and right before an action runs, once however many runs see it,
// mode 0600, the message naming the file; the folder keeps the newest; a
// capture that fails is said in the message and the action runs anyway.
func TestEvidence(t *testing.T) {
	et := newEvidenceTarget(t)
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	cfg.Target = et.URL + "/health?token=s3cr3t-token-77"
	dir := filepath.Join(t.TempDir(), "dumps")
	set.Evidence = &Evidence{Dir: dir, Keep: 2}
	set.Fires = []Fire{{Check: "goroutines", Cmd: "true", Timeout: 5 * time.Second, Max: 5}}
	p, err := probe.Compile(cfg)
	require.NoError(t, err)
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	step := func(min int, st probe.State) Result {
		rep := at(st, t0.Add(time.Duration(min)*time.Minute))
		rep.Outcomes[0].State = st
		return evidenceRun(t, p, set, rb, rep)
	}
	require.Empty(t, step(0, probe.OK).Failures)
	assert.Empty(t, saved(t, dir), "OK: nothing saved")
	res := step(1, probe.Critical)
	require.Empty(t, res.Failures)
	files := saved(t, dir)
	require.Equal(t, []string{"evidence-20261208T100100.000000000Z.txt"}, files)
	assert.Equal(t, []string{"evidence saved: " + filepath.Join(dir, files[0])}, res.Notes)
	info, err := os.Stat(filepath.Join(dir, files[0]))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	b, err := os.ReadFile(filepath.Join(dir, files[0]))
	require.NoError(t, err)
	assert.Equal(t, "dump x", string(b))
	bodies := rb.bodies()
	require.Len(t, bodies, 1)
	assert.Contains(t, bodies[0]["events"], "evidence saved: "+filepath.Join(dir, files[0]))

	require.Empty(t, step(2, probe.Critical).Failures)
	assert.Len(t, saved(t, dir), 1, "CRITICAL still, no action: nothing more")
	step(3, probe.Warning)
	assert.Len(t, saved(t, dir), 1, "a problem to a problem is no turn")
	step(4, probe.OK)
	step(5, probe.Critical)
	step(6, probe.OK)
	step(7, probe.Critical)
	assert.Equal(t, []string{"evidence-20261208T100500.000000000Z.txt", "evidence-20261208T100700.000000000Z.txt"}, saved(t, dir), "keep: 2")

	et.mu.Lock()
	et.fail = true
	et.mu.Unlock()
	step(8, probe.OK)
	res = step(9, probe.Critical)
	require.Len(t, res.Failures, 1)
	assert.Contains(t, res.Failures[0].Error(), "evidence not saved: "+et.URL+"/debug/pprof/goroutine?debug=2 answered HTTP 404")
	assert.NotContains(t, res.Failures[0].Error(), "s3cr3t")
	last := rb.bodies()[len(rb.bodies())-1]
	assert.Contains(t, last["events"], "goroutines started (4 of 5 in 24h)", "the action ran anyway")
}

// TestEvidenceUniqueNames: several captures in one instant keep one file
// each.
func TestEvidenceUniqueNames(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	var names []string
	for i := range 3 {
		p, err := saveEvidence(dir, []byte{byte('a' + i)}, now)
		require.NoError(t, err)
		names = append(names, filepath.Base(p))
	}
	assert.Equal(t, []string{"evidence-20261208T100000.000000000Z.txt", "evidence-20261208T100000.000000000Z-2.txt", "evidence-20261208T100000.000000000Z-3.txt"}, names)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600))
	require.NoError(t, pruneEvidence(dir, 1))
	assert.Equal(t, []string{"evidence-20261208T100000.000000000Z-3.txt", "notes.txt"}, saved(t, dir), "the newest kept; another file left alone")
}

// TestEvidenceBeforeAnAction: a check that starts firing while the state
// stays CRITICAL saves the evidence before its action runs.
func TestEvidenceBeforeAnAction(t *testing.T) {
	et := newEvidenceTarget(t)
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	cfg.Target = et.URL + "/health"
	dir := t.TempDir()
	set.Evidence = &Evidence{Dir: dir, Keep: 20}
	set.Fires = []Fire{{Check: "restart", Cmd: "true", Timeout: 5 * time.Second, Max: 3}}
	p, err := probe.Compile(cfg)
	require.NoError(t, err)
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	for i, restart := range []bool{false, false, true} {
		rep := at(probe.Critical, t0.Add(time.Duration(i)*time.Minute))
		if restart {
			rep.Outcomes = append(rep.Outcomes, probe.Outcome{Name: "restart", Level: probe.LevelCritical, State: probe.Critical, Summary: "restart=11005 > 10000"})
		}
		require.Empty(t, evidenceRun(t, p, set, rb, rep).Failures)
	}
	assert.Equal(t, []string{"evidence-20261208T100000.000000000Z.txt", "evidence-20261208T100200.000000000Z.txt"}, saved(t, dir), "the first run (no run before: a turn) and the restart's")
}
