package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// loadChecks reads a checks file with the section, as the one-shot probe
// does, Check included.
func loadChecks(src string) (*Settings, error) {
	var s Settings
	env := func(k string) string { return map[string]string{"HOOK": "https://example.com/hook"}[k] }
	cfg, err := probe.ParseConfig([]byte(src), ".", env, probe.WithSections(&s))
	if err != nil {
		return nil, err
	}
	return &s, s.Check(cfg)
}

// TestLoadFire: a check's on_fire keys, with their defaults; every bad
// value is an error with its line.
func TestLoadFire(t *testing.T) {
	s, err := loadChecks("state: s.json\nchecks:\n  - { name: goroutines, critical: goroutines > 5000 }\n  - name: restart\n    critical: goroutines > 10000\n    on_fire: systemctl restart app\n    on_fire_max: 2\n  - critical: x > 1\n    on_fire: echo\n    on_fire_cooldown: 0s\n    on_fire_timeout: 1m\n")
	require.NoError(t, err)
	assert.Equal(t, []Fire{
		{Check: "restart", Cmd: "systemctl restart app", Cooldown: 30 * time.Minute, Timeout: 30 * time.Second, Max: 2, line: 6},
		{Check: "x", Cmd: "echo", Cooldown: 0, Timeout: time.Minute, Max: 3, line: 9},
	}, s.Fires)
	assert.Equal(t, []string{
		`check "restart": on_fire: systemctl restart app (cooldown 30m, timeout 30s, at most 2 in 24h)`,
		`check "x": on_fire: echo (cooldown none, timeout 1m, at most 3 in 24h)`,
	}, s.Describe())

	for v, want := range map[string]time.Duration{"0m": 0, "00s": 0, "48h": 48 * time.Hour, "90": 90 * time.Second} {
		s, err := loadChecks("state: s.json\nchecks:\n  - { name: r, critical: g > 1, on_fire: echo, on_fire_cooldown: " + v + " }\naction_cooldown: " + v + "\n")
		require.NoError(t, err, v)
		assert.Equal(t, want, s.Fires[0].Cooldown, v)
		assert.Equal(t, want, s.ActionCooldown, v)
	}

	const check = "checks:\n  - name: restart\n    critical: g > 10000\n"
	for src, want := range map[string]string{
		"state: s.json\n" + check + "    on_fire: echo\n    on_fire_max: 0\n":                         `line 6: check "restart": on_fire_max "0": want a number of runs in 24h, 1 or more`,
		"state: s.json\n" + check + "    on_fire: echo\n    on_fire_max: -1\n":                        `line 6: check "restart": on_fire_max "-1": want a number of runs in 24h, 1 or more`,
		"state: s.json\n" + check + "    on_fire: echo\n    on_fire_timeout: x\n":                     `line 6: check "restart": on_fire_timeout: timeout "x": want seconds`,
		"state: s.json\n" + check + "    on_fire: ''\n":                                               `line 5: check "restart": on_fire: want a command`,
		"state: s.json\n" + check + "    on_fire_max: 2\n":                                            `line 5: check "restart": on_fire_cooldown, on_fire_timeout and on_fire_max go with on_fire`,
		check + "    on_fire: echo\n":                                                                 `line 4: check "restart": on_fire remembers its runs in the state file: give --state FILE or state: in the checks file`,
		"state: s.json\nchecks:\n  - name: restart\n    on_fire: echo\n":                              `line 3: check "restart": needs a warning or a critical expression`,
		"state: s.json\n" + check + "    on_fir: echo\n":                                              `line 5: unknown key "on_fir" (did you mean on_fire?)`,
		"state: s.json\n" + check + "    on_fire:\n":                                                  `line 5: check "restart": on_fire: want a command`,
		"state: s.json\n" + check + "    on_fire: echo\n    on_fire_cooldown: -1m\n":                  `line 6: check "restart": on_fire_cooldown "-1m": want 0 or more`,
		"state: s.json\n" + check + "    on_fire: echo\n    on_fire_cooldown: soon\n":                 `line 6: check "restart": on_fire_cooldown "soon": want a duration (30m, 2h) or seconds, 0 for none`,
		"state: s.json\nchecks:\n  - warning: g > 2000\n  - critical: g > 10000\n    on_fire: echo\n": `line 5: check "g": on_fire needs a name that no other check or metric has, and 2 have this one`,
		"state: s.json\n" + check + "    on_fire: echo\nmetrics:\n  - { path: x, label: restart }\n":  `line 5: check "restart": on_fire needs a name that no other check or metric has, and 2 have this one`,
		"state: s.json\nnotify:\n  - { url_env: HOOK, states: [critical, bad] }\n":                    `line 3: notify 1: states: "bad": want warning, critical or unknown`,
		"state: s.json\nnotify:\n  - { url_env: HOOK, states: [ok] }\n":                               `line 3: notify 1: states: "ok": want warning, critical or unknown`,
	} {
		_, err := loadChecks(src)
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}

// fireRun is a run of the restart check's action at the minute min of a
// day: goroutines=g, the action's log in out.
type fireRun struct {
	t   *testing.T
	cfg *probe.Config
	set *Settings
	out *bytes.Buffer
	t0  time.Time
}

func newFireRun(t *testing.T, fire Fire) *fireRun {
	cfg, set := runConfig(t, "")
	set.Fires = []Fire{fire}
	return &fireRun{t: t, cfg: cfg, set: set, out: &bytes.Buffer{}, t0: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
}

// report is a run whose restart check sees g goroutines.
func report(g int, at time.Time) *probe.Report {
	rep := &probe.Report{Target: "http://app/health", Time: at, State: probe.OK}
	o := probe.Outcome{Name: "restart", Level: probe.LevelCritical, State: probe.OK, Value: &probe.Value{Kind: expr.Number, Num: float64(g)}}
	if g > 10000 {
		rep.State, o.State = probe.Critical, probe.Critical
	}
	rep.Outcomes = []probe.Outcome{o}
	return rep
}

func (f *fireRun) at(min int, g int) Result {
	f.t.Helper()
	tm := f.t0.Add(time.Duration(min) * time.Minute)
	s := newSender(f.cfg, f.set, report(g, tm), Options{Stderr: f.out, Now: func() time.Time { return tm }, Environ: []string{"PATH=" + os.Getenv("PATH")}})
	return act(context.Background(), s)
}

// TestFireCooldownAndMax: a check's action waits for its cooldown (said
// once in a note) and runs when it is over if the check still fires; it
// runs at most Max times in any 24 hours (withheld, said, and said again
// counted, not repeated); the runs of a day ago no longer count.
func TestFireCooldownAndMax(t *testing.T) {
	f := newFireRun(t, Fire{Check: "restart", Cmd: `echo "$JSONPROBE_CHECK=$JSONPROBE_VALUE"`, Cooldown: 30 * time.Minute, Timeout: 5 * time.Second, Max: 2})
	steps := []struct {
		min, g int
		note   string
	}{
		{0, 11000, ""},
		{5, 11000, ""},
		{6, 100, ""},
		{10, 12000, "restart not run yet: it ran 10m ago (on_fire_cooldown 30m); it runs when the cooldown is over if restart still fires"},
		{20, 12000, ""}, // said once
		{31, 12500, ""}, // the cooldown is over, and it still fires: it runs
		{32, 100, ""},
		{70, 13000, "restart withheld: 2 of 2 in 24h"},
		{71, 100, ""},
		{120, 14000, "restart withheld: 2 of 2 in 24h (2 times in 50m)"},
		{121, 100, ""},
		{24*60 + 1, 15000, ""}, // the first run is a day old
	}
	for _, st := range steps {
		res := f.at(st.min, st.g)
		require.Empty(t, res.Failures)
		if st.note == "" {
			assert.Empty(t, res.Notes, "minute %d", st.min)
		} else {
			assert.Equal(t, []string{st.note}, res.Notes, "minute %d", st.min)
		}
	}
	assert.Equal(t, "restart=11000\nrestart=12500\nrestart=15000\n", f.out.String())
}

// TestFireFollowUp: the next message tells what followed the action: the
// state so long after it, its count, and how it failed; the one after
// that no longer.
func TestFireFollowUp(t *testing.T) {
	repeating, once := newRobot(t, Webhook), newRobot(t, Webhook)
	f := newFireRun(t, Fire{Check: "restart", Cmd: "exit 3", Cooldown: 0, Timeout: 5 * time.Second, Max: 3})
	f.set.Receivers = []Receiver{{Kind: Webhook, URL: repeating.URL + "/hook", After: 1, Repeat: 5 * time.Minute}, {Kind: Webhook, URL: once.URL + "/hook", After: 1}}
	run := func(min, g int) Result {
		tm := f.t0.Add(time.Duration(min) * time.Minute)
		return Run(context.Background(), f.cfg, f.set, report(g, tm), Options{Client: repeating.Client(), Stderr: f.out, Now: func() time.Time { return tm }})
	}
	require.Empty(t, run(0, 100).Failures)
	res := run(1, 11000)
	require.Len(t, res.Failures, 1)
	assert.Equal(t, "on_fire of restart: exit status 3", res.Failures[0].Error())
	require.Empty(t, run(7, 11000).Failures)
	require.Empty(t, run(9, 100).Failures)
	events := func(rb *robot) (out [][]any) {
		for _, b := range rb.bodies() {
			ev, _ := b["events"].([]any)
			out = append(out, ev)
		}
		return out
	}
	assert.Equal(t, [][]any{
		{"restart started (1 of 3 in 24h)"},
		{"still CRITICAL 6m after the restart (1 of 3; it failed: exit status 3)"},
		nil,
	}, events(repeating))
	assert.Equal(t, [][]any{
		{"restart started (1 of 3 in 24h)"},
		{"recovered 8m after the restart; it failed: exit status 3"},
	}, events(once))
}

// TestReceiverStates: a receiver of CRITICAL only hears nothing at
// WARNING, and a drop from CRITICAL to WARNING is its recovery, which says
// the state as it is.
func TestReceiverStates(t *testing.T) {
	rb := newRobot(t, Slack)
	cfg, set := runConfig(t, "")
	set.Receivers = []Receiver{{Kind: Slack, URL: rb.URL + "/services/T0/B0/" + strings.Repeat("x", 24), After: 1, States: []probe.State{probe.Critical}}}
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var texts []string
	for i, st := range []probe.State{probe.OK, probe.Warning, probe.Critical, probe.Warning, probe.OK} {
		rep := at(st, t0.Add(time.Duration(i)*time.Minute))
		rep.Outcomes[0].State = st
		require.Empty(t, Run(context.Background(), cfg, set, rep, Options{Client: rb.Client()}).Failures)
	}
	for _, b := range rb.bodies() {
		text, _ := b["text"].(string)
		title, _, _ := strings.Cut(text, "\n")
		texts = append(texts, title)
	}
	assert.Equal(t, []string{
		"CRITICAL jsonprobe: http://app/health (was OK)",
		"OK jsonprobe: http://app/health recovered after 1m (was CRITICAL, now WARNING)",
	}, texts)
}

// TestChangeOfProblem: while the state holds, a check that starts firing
// is a message that names it, and one that stops is too; after: counts the
// runs of the new problem; a memory from before the checks firing were
// kept is taken as told.
func TestChangeOfProblem(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var m Memory
	step := func(min int, firing ...string) (Change, bool) {
		tm := t0.Add(time.Duration(min) * time.Minute)
		m.ObserveFiring(probe.Critical, append([]string{}, firing...), tm)
		c, due := m.Due(2, 0, tm)
		if due {
			m.Delivered(tm)
		}
		return c, due
	}
	_, due := step(0, "goroutines")
	assert.False(t, due, "after: 2")
	_, due = step(1, "goroutines")
	assert.True(t, due)
	_, due = step(2, "goroutines", "restart")
	assert.False(t, due, "after: 2 counts the new problem's runs")
	c, due := step(3, "goroutines", "restart")
	require.True(t, due)
	assert.Equal(t, []string{"restart"}, c.NowAlso)
	assert.Empty(t, c.NoLonger)
	step(4, "goroutines")
	c, due = step(5, "goroutines")
	require.True(t, due)
	assert.Equal(t, []string{"restart"}, c.NoLonger)
	rep := critical()
	_, text, err := Render(nil, Slack, rep, Change{State: probe.Critical, Previous: probe.Critical, NowAlso: []string{"goroutines"}, NoLonger: []string{"restart"}}, "web-1")
	require.NoError(t, err)
	assert.Equal(t, "CRITICAL jsonprobe: http://app/health still; now also goroutines=6000 > 5000; no longer restart\nhost: web-1\n- goroutines 6000 > 5000", text)

	// A new problem while a second check flaps: after: counts the state's
	// runs for its message, the firing set's for a change of problem.
	var n Memory
	for i, fire := range [][]string{{}, {"goroutines"}, {"goroutines", "restart"}, {"goroutines"}, {"goroutines", "restart"}} {
		st := probe.Critical
		if i == 0 {
			st = probe.OK
		}
		tm := t0.Add(time.Duration(i) * time.Minute)
		n.ObserveFiring(st, fire, tm)
		c, due := n.Due(2, 0, tm)
		if i == 2 {
			require.True(t, due, "CRITICAL for two runs")
			assert.Equal(t, probe.OK, c.Previous)
			n.Settle("x", "CRITICAL", []string{"goroutines"}, true, tm)
			assert.Equal(t, []string{"goroutines"}, n.NotifiedFiring, "the set the message named, not the newest")
			continue
		}
		assert.False(t, due, "run %d", i)
	}

	// A state file written before: notified, firing not kept.
	var back Memory
	require.NoError(t, json.Unmarshal([]byte(`{"notified":"CRITICAL","sent_at":"2026-12-07T10:00:00Z","current":"CRITICAL","since":"2026-12-07T10:00:00Z","runs":3,"seen":"2026-12-07T10:00:00Z"}`), &back))
	back.ObserveFiring(probe.Critical, []string{"goroutines"}, t0.Add(time.Minute))
	_, due = back.Due(1, 0, t0.Add(time.Minute))
	assert.False(t, due, "no message for what was told before the upgrade")
}

// TestEventLines: a receiver's first message tells only the run's own
// events; a message holds at most ten lines of them.
func TestEventLines(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	old := Event{At: t0, Check: "restart", Ran: true, N: 1, Max: 3}
	now := Event{At: t0.Add(time.Hour), Check: "restart", Withheld: true, N: 3, Max: 3}
	assert.Equal(t, []string{"restart withheld: 3 of 3 in 24h"}, eventLines([]Event{old, now}, time.Time{}, now.At, probe.Critical))
	assert.Equal(t, []string{"still CRITICAL 1h after the restart (1 of 3)", "restart withheld: 3 of 3 in 24h"}, eventLines([]Event{old, now}, t0, now.At, probe.Critical))
	var many []Event
	for i := range 15 {
		many = append(many, Event{At: now.At, Note: fmt.Sprintf("note %d", i)})
	}
	lines := eventLines(many, t0, now.At, probe.Critical)
	require.Len(t, lines, 10)
	assert.Equal(t, "note 8", lines[8])
	assert.Equal(t, "… and 6 more", lines[9])
}
