package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// threeLevels is the guide's three levels: notify over 2000, get ready
// over 5000, restart over 10000; warnings to the group, criticals to the
// on-call's robot too.
const threeLevels = `url: health.json
state: state.json
checks:
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - name: restart
    critical: goroutines > 10000
    on_fire: echo "$JSONPROBE_CHECK $JSONPROBE_VALUE $JSONPROBE_STATE was $JSONPROBE_PREVIOUS_STATE" >> RESTARTS
    on_fire_cooldown: 0s
on_change: echo "$JSONPROBE_STATE" >> CHANGES
action_cooldown: 1h
notify:
  - { kind: wecom, url_env: GROUP_ROBOT }
  - { kind: wecom, url_env: ONCALL_ROBOT, states: [critical] }
`

// levelsSetup writes checks (in a folder of its own, with the document
// beside it) and points the robots' variables at two loopback WeCom
// receivers; probe runs jsonprobe -q on goroutines=g.
func levelsSetup(t *testing.T, checks string) (group, oncall *hookReceiver, dir string, probe func(g string) (int, string, string)) {
	group, oncall = newHookReceiver(t), newHookReceiver(t)
	t.Setenv("GROUP_ROBOT", group.srv.URL+"/cgi-bin/webhook/send?key="+hookKey)
	t.Setenv("ONCALL_ROBOT", oncall.srv.URL+"/cgi-bin/webhook/send?key="+hookKey)
	dir = t.TempDir()
	file := filepath.Join(dir, "checks.yaml")
	checks = strings.ReplaceAll(checks, "RESTARTS", filepath.Join(dir, "restarts"))
	checks = strings.ReplaceAll(checks, "CHANGES", filepath.Join(dir, "changes"))
	require.NoError(t, os.WriteFile(file, []byte(checks), 0o600))
	probe = func(g string) (int, string, string) {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "health.json"), []byte(`{"goroutines":`+g+`}`), 0o600))
		return runArgs(t, "-q", "-f", file)
	}
	return group, oncall, dir, probe
}

// lines are a file's lines; none when it is not there.
func lines(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestThreeLevels drives one document through the guide's levels: the
// restart runs once per firing of its check, never over 5000 alone, and
// the fourth firing in 24 hours is withheld; the message names the check
// that newly fired while the state stayed CRITICAL; the critical-only
// receiver hears nothing at WARNING; every -q OK run is silent, also the
// one whose change on_change's cooldown holds back.
func TestThreeLevels(t *testing.T) {
	group, oncall, dir, probe := levelsSetup(t, threeLevels)
	restarts := filepath.Join(dir, "restarts")
	steps := []struct {
		g              string
		code           int
		restarts       int
		group, oncall  string // the newest message's first line, "" for none new
		groupHas, also string // text in the group's newest message
	}{
		{g: "1000"},
		{g: "2500", code: 1, group: "WARNING jsonprobe: health.json (was OK)"},
		{g: "6005", code: 2, group: "CRITICAL jsonprobe: health.json (was WARNING)", oncall: "CRITICAL jsonprobe: health.json (was OK)"},
		{g: "11005", code: 2, restarts: 1, group: "CRITICAL jsonprobe: health.json still; now also restart=11005 > 10000",
			oncall: "CRITICAL jsonprobe: health.json still; now also restart=11005 > 10000", groupHas: "\nrestart started (1 of 3 in 24h)"},
		{g: "11005", code: 2, restarts: 1},
		{g: "1000", restarts: 1, group: "OK jsonprobe: health.json recovered after ", oncall: "OK jsonprobe: health.json recovered after ",
			groupHas: "\nrecovered ", also: " after the restart"},
		{g: "11005", code: 2, restarts: 2, group: "CRITICAL jsonprobe: health.json (was OK)", oncall: "CRITICAL jsonprobe: health.json (was OK)",
			groupHas: "\nrestart started (2 of 3 in 24h)"},
		{g: "1000", restarts: 2, group: "OK jsonprobe:", oncall: "OK jsonprobe:"},
		{g: "11005", code: 2, restarts: 3, group: "CRITICAL jsonprobe:", oncall: "CRITICAL jsonprobe:", groupHas: "\nrestart started (3 of 3 in 24h)"},
		{g: "1000", restarts: 3, group: "OK jsonprobe:", oncall: "OK jsonprobe:"},
		{g: "11005", code: 2, restarts: 3, group: "CRITICAL jsonprobe:", oncall: "CRITICAL jsonprobe:", groupHas: "\nrestart withheld: 3 of 3 in 24h"},
	}
	for i, st := range steps {
		gBefore, oBefore := len(group.got()), len(oncall.got())
		code, stdout, stderr := probe(st.g)
		assert.Equal(t, st.code, code, "step %d: goroutines=%s", i, st.g)
		assert.Len(t, lines(t, restarts), st.restarts, "step %d: goroutines=%s", i, st.g)
		assert.Empty(t, stderr, "step %d: goroutines=%s", i, st.g)
		if st.code == 0 {
			assert.Empty(t, stdout, "step %d: -q and OK: nothing printed", i)
		}
		for _, r := range []struct {
			h      *hookReceiver
			before int
			want   string
		}{{group, gBefore, st.group}, {oncall, oBefore, st.oncall}} {
			r.h.mu.Lock()
			texts := r.h.texts[r.before:]
			r.h.mu.Unlock()
			if r.want == "" {
				assert.Empty(t, texts, "step %d: goroutines=%s", i, st.g)
				continue
			}
			require.Len(t, texts, 1, "step %d: goroutines=%s", i, st.g)
			assert.True(t, strings.HasPrefix(texts[0], strings.Replace(r.want, "health.json", filepath.Join(dir, "health.json"), 1)), "step %d: %q", i, texts[0])
			if r.h == group {
				assert.Contains(t, texts[0], st.groupHas, "step %d", i)
				assert.Contains(t, texts[0], st.also, "step %d", i)
			}
		}
	}
	assert.Equal(t, []string{"WARNING"}, lines(t, filepath.Join(dir, "changes")), "on_change: the first change; the cooldown held the others")
	assert.Equal(t, "restart 11005 CRITICAL was CRITICAL", lines(t, restarts)[0])
	assert.Equal(t, "restart 11005 CRITICAL was OK", lines(t, restarts)[1])
}

// TestThreeLevelsVerboseNotes: what held an action back is said on stderr
// with -v, and in the message; with -q alone not.
func TestThreeLevelsVerboseNotes(t *testing.T) {
	checks := strings.Replace(threeLevels, "on_fire_cooldown: 0s", "on_fire_cooldown: 0s\n    on_fire_max: 1", 1)
	_, _, dir, probe := levelsSetup(t, checks)
	probe("11005")
	probe("1000")
	_, _, stderr := probe("11005")
	assert.Empty(t, stderr)
	probe("1000")
	file := filepath.Join(dir, "checks.yaml")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "health.json"), []byte(`{"goroutines":11005}`), 0o600))
	_, _, stderr = runArgs(t, "-q", "-v", "-f", file)
	assert.Regexp(t, `^jsonprobe: restart withheld: 1 of 1 in 24h \(2 times in \d+s\)\n$`, stderr, "the -q run's withheld, then this one: counted")
	assert.Len(t, lines(t, filepath.Join(dir, "restarts")), 1)
}

// TestThreeLevelsOverlappingRuns: 20 runs at once, after an OK run, run
// the restart once.
func TestThreeLevelsOverlappingRuns(t *testing.T) {
	checks := strings.Replace(threeLevels, `>> RESTARTS`, `>> RESTARTS; sleep 0.3`, 1)
	_, _, dir, probe := levelsSetup(t, checks)
	code, _, _ := probe("1000")
	require.Equal(t, 0, code)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "health.json"), []byte(`{"goroutines":11005}`), 0o600))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			run(context.Background(), []string{"jsonprobe", "-q", "-t", "30s", "-f", filepath.Join(dir, "checks.yaml")}, io.Discard, io.Discard)
		})
	}
	wg.Wait()
	assert.Len(t, lines(t, filepath.Join(dir, "restarts")), 1)
}

// readmeBlock is the first ```yaml block of README.md after heading.
func readmeBlock(t *testing.T, heading string) string {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "\n"+heading+"\n")
	require.True(t, ok, "README.md has no %q", heading)
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	require.True(t, ok)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return block
}

// TestReadmeThreeLevels runs README.md's three levels as written, as its
// cron line does, with the target and the state file given on the command
// line (-u, --state), against a real HTTP target and loopback robots, and
// docker-compose a script that records its arguments.
func TestReadmeThreeLevels(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "app.yaml")
	require.NoError(t, os.WriteFile(file, []byte(readmeBlock(t, "## The guide's three alert levels")), 0o600))
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o700))
	calls := filepath.Join(dir, "docker-compose.calls")
	require.NoError(t, os.WriteFile(filepath.Join(bin, "docker-compose"), []byte("#!/bin/sh\necho \"$*\" >> "+calls+"\n"), 0o700))
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	group, oncall := newHookReceiver(t), newHookReceiver(t)
	oncall.dingtalk = true
	t.Setenv("GROUP_ROBOT", group.srv.URL+"/cgi-bin/webhook/send?key="+hookKey)
	t.Setenv("ONCALL_ROBOT", oncall.srv.URL+"/robot/send?access_token="+hookKey)
	var mu sync.Mutex
	goroutines := "1000"
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"ok","goroutines":`+goroutines+`}`)
	}))
	t.Cleanup(target.Close)
	for _, st := range []struct {
		g              string
		code, restarts int
		group, oncall  []string
	}{
		{"1000", 0, 0, nil, nil},
		{"2500", 1, 0, []string{"WARNING"}, nil},
		{"6005", 2, 0, []string{"WARNING", "CRITICAL"}, []string{"CRITICAL"}},
		{"11005", 2, 1, []string{"WARNING", "CRITICAL", "CRITICAL"}, []string{"CRITICAL", "CRITICAL"}},
		{"11005", 2, 1, []string{"WARNING", "CRITICAL", "CRITICAL"}, []string{"CRITICAL", "CRITICAL"}},
		{"1000", 0, 1, []string{"WARNING", "CRITICAL", "CRITICAL", "OK"}, []string{"CRITICAL", "CRITICAL", "OK"}},
	} {
		mu.Lock()
		goroutines = st.g
		mu.Unlock()
		code, stdout, stderr := runArgs(t, "-q", "-f", file, "-u", target.URL+"/api/monitor/health", "--state", filepath.Join(dir, "app.state"))
		assert.Equal(t, st.code, code, "goroutines=%s: %s", st.g, stdout)
		assert.Empty(t, stderr, "goroutines=%s", st.g)
		if code == 0 {
			assert.Empty(t, stdout, "goroutines=%s: -q and OK", st.g)
		}
		assert.Len(t, lines(t, calls), st.restarts, "goroutines=%s", st.g)
		assert.Equal(t, st.group, group.got(), "goroutines=%s", st.g)
		assert.Equal(t, st.oncall, oncall.got(), "goroutines=%s", st.g)
	}
	assert.Equal(t, []string{"restart one-api"}, lines(t, calls))
	oncall.mu.Lock()
	defer oncall.mu.Unlock()
	assert.Contains(t, oncall.texts[1], "still; now also restart=11005 > 10000")
	assert.Contains(t, oncall.texts[1], "\nrestart started (1 of 3 in 24h)")
	assert.Contains(t, oncall.texts[2], " after the restart")
}

// TestThreeLevelsCheckConfig: --check-config lists each check's action
// with its limits and each receiver with its states, keys redacted; the
// commented block of checks.example.yaml, uncommented, loads too.
func TestThreeLevelsCheckConfig(t *testing.T) {
	t.Setenv("GROUP_ROBOT", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+hookKey)
	t.Setenv("ONCALL_ROBOT", "https://oapi.dingtalk.com/robot/send?access_token="+hookKey)
	code, stdout, stderr := runArgs(t, "-f", "contrib/three-levels.yaml", "--check-config")
	require.Equal(t, 0, code, stdout+stderr)
	assert.Equal(t, "JSONPROBE OK - config valid: 4 checks, 0 metrics, target http://localhost:3000/api/monitor/health, timeout 10s\n"+
		"notify 1: wecom https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***, after 1 run, every state, repeat 1h\n"+
		"notify 2: dingtalk https://oapi.dingtalk.com/robot/send?access_token=***, after 1 run, CRITICAL only\n"+
		"check \"restart\": on_fire: docker-compose restart one-api (cooldown 30m, timeout 2m, at most 3 in 24h)\n", stdout)

	b, err := os.ReadFile("checks.example.yaml")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(b), "# The guide's three alert levels")
	require.True(t, ok)
	var top, checks []string
	for _, l := range strings.Split(block, "\n") {
		switch {
		case strings.HasPrefix(l, "#   - name:"), strings.HasPrefix(l, "#     "):
			checks = append(checks, strings.TrimPrefix(l, "# "))
		case strings.HasPrefix(l, "# state:"), strings.HasPrefix(l, "# notify:"), strings.HasPrefix(l, "#   - {"):
			top = append(top, strings.TrimPrefix(l, "# "))
		}
	}
	require.Len(t, top, 4)
	require.Len(t, checks, 3)
	example := strings.Replace(string(b), "\nchecks:\n", "\n"+strings.Join(top, "\n")+"\nchecks:\n"+strings.Join(checks, "\n")+"\n", 1)
	file := filepath.Join(t.TempDir(), "example.yaml")
	require.NoError(t, os.WriteFile(file, []byte(example), 0o600))
	code, stdout, stderr = runArgs(t, "-f", file, "--check-config")
	require.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stdout, "config valid: 5 checks, ")
	assert.Contains(t, stdout, "notify 2: dingtalk https://oapi.dingtalk.com/robot/send?access_token=***, after 1 run, CRITICAL only\n")
	assert.Contains(t, stdout, `check "restart": on_fire: docker-compose restart one-api (cooldown 30m, timeout 30s, at most 3 in 24h)`)
	assert.NotContains(t, stdout, hookKey)
}

// TestFireReviewCases: --check-config hides a token in an action's
// command; watch reads a check's on_fire but not on_fire at the top of a
// file (nor notify: in a check); with -q an OK run is silent even when its
// recovery message cannot be sent, which -v says and a later run sends.
func TestFireReviewCases(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	write := func(s string) {
		require.NoError(t, os.WriteFile(file, []byte(s), 0o600))
	}
	write("url: h.json\nstate: s.json\nchecks:\n  - name: r\n    critical: g > 1\n    on_fire: 'curl \"http://127.0.0.1:1/x?access_token=abcdef123\"'\n")
	code, stdout, _ := runArgs(t, "-f", file, "--check-config")
	require.Equal(t, 0, code, stdout)
	assert.Contains(t, stdout, `check "r": on_fire: curl "http://127.0.0.1:1/x?access_token=***"`)
	assert.NotContains(t, stdout, "abcdef123")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "h.json"), []byte(`{"g":0}`), 0o600))
	code, stdout, stderr := runArgs(t, "watch", "--plain", "--for", "300ms", "-f", file)
	assert.Equal(t, 0, code, stdout+stderr)
	write("url: h.json\non_fire: echo\nchecks:\n  - { critical: g > 1 }\n")
	code, stdout, _ = runArgs(t, "watch", "--plain", "--for", "300ms", "-f", file)
	assert.Equal(t, 3, code)
	assert.Contains(t, stdout, `line 2: unknown key "on_fire"`)
	write("url: h.json\nchecks:\n  - { critical: g > 1, notify: x }\n")
	code, stdout, _ = runArgs(t, "watch", "--plain", "--for", "300ms", "-f", file)
	assert.Equal(t, 3, code)
	assert.Contains(t, stdout, `unknown key "notify"`)

	h := newHookReceiver(t)
	u := "wecom=" + h.srv.URL + "/cgi-bin/webhook/send?key=" + hookKey
	probe := func(g string, args ...string) (int, string, string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "h.json"), []byte(`{"g":`+g+`}`), 0o600))
		return runArgs(t, append([]string{"-q", "-c", "g > 1", "--state", filepath.Join(dir, "n.state"), "--notify", u, filepath.Join(dir, "h.json")}, args...)...)
	}
	probe("0")
	probe("5")
	require.Equal(t, []string{"CRITICAL"}, h.got())
	url := h.srv.URL
	h.srv.Close()
	code, stdout, stderr = probe("0")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout+stderr, "-q and OK: silent, the failure too")
	_, _, stderr = probe("0", "-v")
	assert.Contains(t, stderr, "the message stays owed to the next run")
	h2 := newHookReceiverAt(t, url)
	code, stdout, stderr = probe("0")
	assert.Equal(t, 0, code)
	assert.Empty(t, stdout+stderr)
	assert.Equal(t, []string{"OK"}, h2.got(), "sent by a later run")
}
