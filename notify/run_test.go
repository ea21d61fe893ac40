package notify

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// runConfig is a probe's Config with a state file in a folder of the
// test's, and Settings with a receiver at url.
func runConfig(t *testing.T, url string) (*probe.Config, *Settings) {
	cfg := probe.NewConfig()
	cfg.Target = "http://app/health"
	cfg.StatePath = filepath.Join(t.TempDir(), "state.json")
	cfg.Timeout = 2 * time.Second
	set := &Settings{}
	if url != "" {
		set.Receivers = []Receiver{{Kind: "webhook", URL: url, After: 1}}
	}
	return cfg, set
}

func at(state probe.State, t time.Time) *probe.Report {
	rep := critical()
	rep.State, rep.Time = state, t
	return rep
}

// TestRunSendsOutsideTheLock: while a message is sent and while the action
// runs, the state file is not locked: another run may take it.
func TestRunSendsOutsideTheLock(t *testing.T) {
	var (
		cfg *probe.Config
		set *Settings
	)
	lockFree := make(chan error, 1)
	srv := newRobot(t, Webhook)
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 500*time.Millisecond)
		defer cancel()
		lockFree <- probe.FileStore{Path: cfg.StatePath}.UpdateMemory(ctx, "other", time.Now(), func(b []byte) ([]byte, error) { return []byte(`{}`), nil })
		inner.ServeHTTP(w, r)
	})
	cfg, set = runConfig(t, srv.URL+"/hook")
	set.OnChange = "flock -w 1 " + cfg.StatePath + ".lock true && echo lock-free"
	var out bytes.Buffer
	errs := Run(context.Background(), cfg, set, at(probe.Critical, time.Now()), Options{Client: srv.Client(), Stderr: &out, Backoff: time.Millisecond}).Failures
	assert.Empty(t, errs)
	require.Len(t, srv.bodies(), 1)
	assert.NoError(t, <-lockFree, "the lock was free during the delivery")
	assert.Equal(t, "lock-free\n", out.String(), "the lock was free during the action")
}

// TestRunInterrupted: a run a signal ended sends nothing and is not
// remembered.
func TestRunInterrupted(t *testing.T) {
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs := Run(ctx, cfg, set, at(probe.Critical, time.Now()), Options{Client: rb.Client()}).Failures
	require.Len(t, errs, 1)
	assert.EqualError(t, errs[0], "notify: skipped: the run was interrupted")
	rep := at(probe.Unknown, time.Now())
	rep.Err = probe.ErrInterrupted
	assert.Len(t, Run(context.Background(), cfg, set, rep, Options{Client: rb.Client()}).Failures, 1)
	assert.Empty(t, rb.bodies())
	_, err := os.Stat(cfg.StatePath)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing remembered")
}

// TestRunWaitsForTheLockNoLongerThanTheTimeout: a state file another
// process keeps locked holds the run for -t, not for ever, and nothing is
// sent.
func TestRunWaitsForTheLockNoLongerThanTheTimeout(t *testing.T) {
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	cfg.Timeout = 300 * time.Millisecond
	held, release, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		_ = probe.FileStore{Path: cfg.StatePath}.UpdateMemory(context.Background(), "x", time.Now(), func([]byte) ([]byte, error) {
			close(held)
			<-release
			return []byte(`{}`), nil
		})
	}()
	<-held
	defer func() { close(release); <-done }() // before the folder goes
	errs := Run(context.Background(), cfg, set, at(probe.Critical, time.Now()), Options{Client: rb.Client()}).Failures
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "lock: still held by another run at the deadline; nothing sent")
	assert.Empty(t, rb.bodies())
}

// TestRunStateNotWritable: a state file that cannot keep the memory is an
// error, and nothing is sent (else every run would send again).
func TestRunStateNotWritable(t *testing.T) {
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	require.NoError(t, os.Mkdir(cfg.StatePath, 0o700))
	errs := Run(context.Background(), cfg, set, at(probe.Critical, time.Now()), Options{Client: rb.Client()}).Failures
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "is a directory: it cannot keep the memory; nothing sent")
	assert.Empty(t, rb.bodies())
}

// TestRunOlderRunAfterANewerOne: a run that started before the newest run
// seen is not counted: its stale state is not sent.
func TestRunOlderRunAfterANewerOne(t *testing.T) {
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	t0 := time.Now()
	o := Options{Client: rb.Client()}
	require.Empty(t, Run(context.Background(), cfg, set, at(probe.OK, t0), o))
	require.Empty(t, Run(context.Background(), cfg, set, at(probe.Critical, t0.Add(2*time.Second)), o))
	require.Empty(t, Run(context.Background(), cfg, set, at(probe.OK, t0.Add(time.Second)), o))
	var states []any
	for _, b := range rb.bodies() {
		states = append(states, b["state"])
	}
	assert.Equal(t, []any{"CRITICAL"}, states)
}

// TestActionEnvironmentAndOutput: the action gets no variable that holds
// one of the probe's secrets, and what it prints has them redacted.
func TestActionEnvironmentAndOutput(t *testing.T) {
	const key = "robot-key-7c1e9a0b52"
	cfg, set := runConfig(t, "")
	cfg.BearerToken = "token-3a9f27c1"
	set.OnChange = `env | grep -c '^KEEP=' ; env | grep -c '^HOOK=\|^JSONPROBE_NOTIFY_URL=' || true; echo "said $KEEP token-3a9f27c1"`
	set.Receivers = []Receiver{{URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key, After: 1}}
	// A variable the command line overrode (--notify given) holds a
	// secret the probe does not use: dropped by its name.
	cfg.SecretVars = []string{"JSONPROBE_NOTIFY_URL"}
	var out bytes.Buffer
	s := newSender(cfg, set, at(probe.Critical, time.Now()), Options{Stderr: &out,
		Environ: []string{"KEEP=plain", "HOOK=wecom=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key,
			"JSONPROBE_NOTIFY_URL=https://other.example.com/hook/unused-9f2", "PATH=" + os.Getenv("PATH")}})
	require.Empty(t, act(context.Background(), s).Failures)
	assert.Equal(t, "1\n0\nsaid plain ***\n", out.String())
}

// TestActionInterrupted: a run ended by a signal says so, not that the
// action timed out.
func TestActionInterrupted(t *testing.T) {
	cfg, set := runConfig(t, "")
	set.OnChange = "sleep 30"
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	s := newSender(cfg, set, at(probe.Critical, time.Now()), Options{Stderr: &bytes.Buffer{}})
	errs := act(ctx, s).Failures
	require.Len(t, errs, 1)
	assert.True(t, strings.HasPrefix(errs[0].Error(), "on_change: stopped: the run was interrupted"), errs[0].Error())
}

// act decides and runs s's actions, as Run does besides the messages.
func act(ctx context.Context, s *sender) Result {
	var res Result
	res.Failures = append(res.Failures, s.runAll(ctx, s.decide(ctx, &res))...)
	return res
}

// TestActionWaitsForTheCooldown: a change within the cooldown is a note,
// said once, and acted on when the cooldown is over, if the state holds.
func TestActionWaitsForTheCooldown(t *testing.T) {
	cfg, set := runConfig(t, "")
	set.ActionCooldown = time.Hour
	set.OnChange = `echo "$JSONPROBE_PREVIOUS_STATE>$JSONPROBE_STATE"`
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	step := func(state probe.State, min int) []string {
		t.Helper()
		tm := now.Add(time.Duration(min) * time.Minute)
		res := act(context.Background(), newSender(cfg, set, at(state, tm), Options{Stderr: &out, Now: func() time.Time { return tm }}))
		require.Empty(t, res.Failures)
		return res.Notes
	}
	require.Empty(t, step(probe.OK, 0))
	require.Empty(t, step(probe.Critical, 5))
	assert.Equal(t, []string{"on_change: not run for OK yet: it ran 5m ago (action_cooldown 1h); it runs after the cooldown if the state holds"}, step(probe.OK, 10))
	assert.Empty(t, step(probe.OK, 15), "said once")
	assert.Empty(t, step(probe.OK, 66), "the cooldown is over")
	assert.Equal(t, "OK>CRITICAL\nCRITICAL>OK\n", out.String())
}

// TestRunRepeat: repeat: 10m with runs 5 min apart re-sends on every
// second run, though each delivery ends after its run began.
func TestRunRepeat(t *testing.T) {
	rb := newRobot(t, Webhook)
	cfg, set := runConfig(t, rb.URL+"/hook")
	set.Receivers[0].Repeat = 10 * time.Minute
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var sent []int
	for i := range 5 {
		start := t0.Add(time.Duration(i) * 5 * time.Minute)
		clock := start
		now := func() time.Time { clock = clock.Add(50 * time.Millisecond); return clock }
		before := len(rb.bodies())
		require.Empty(t, Run(context.Background(), cfg, set, at(probe.Critical, start), Options{Client: rb.Client(), Now: now}).Failures)
		if len(rb.bodies()) > before {
			sent = append(sent, i*5)
		}
	}
	assert.Equal(t, []int{0, 10, 20}, sent, "minutes")
}

// TestRunUnsettledClaim: a message that went out but whose run could not
// record it is not the last word: when its claim runs out, the recovery
// after it is still sent; a state still the one claimed is owed again.
func TestRunUnsettledClaim(t *testing.T) {
	t0 := time.Now()
	var m Memory
	m.Observe(probe.OK, t0)
	m.Due(1, 0, t0)
	m.Observe(probe.Critical, t0.Add(time.Minute))
	_, due := m.Due(1, 0, t0.Add(time.Minute))
	require.True(t, due)
	require.True(t, m.Claim("a", t0.Add(time.Minute), t0.Add(2*time.Minute))) // sent; never settled
	owed := m
	owed.Observe(probe.Critical, t0.Add(5*time.Minute))
	owed.Expire(t0.Add(5 * time.Minute))
	c, due := owed.Due(1, 0, t0.Add(5*time.Minute))
	assert.True(t, due, "still CRITICAL: maybe never sent, so sent again")
	assert.Equal(t, probe.Critical, c.State)

	m.Observe(probe.OK, t0.Add(5*time.Minute))
	m.Expire(t0.Add(5 * time.Minute))
	c, due = m.Due(1, 0, t0.Add(5*time.Minute))
	assert.True(t, due, "the recovery is not lost")
	assert.True(t, c.Recovered)
	assert.Equal(t, probe.Critical, c.Previous)
}

// TestRunKeepsNoSecret: a signed DingTalk robot's key and secret are in
// no error and not in the state file, whether the signature is right or
// wrong.
func TestRunKeepsNoSecret(t *testing.T) {
	for _, secret := range []string{robotSecret, "SECwrong0000000000"} {
		rb := newRobot(t, DingTalk)
		rb.wantSign = true
		cfg, set := runConfig(t, "")
		set.Receivers = []Receiver{{Kind: "dingtalk", URL: rb.URL + "/robot/send?access_token=" + robotKey, Secret: secret, After: 1}}
		errs := Run(context.Background(), cfg, set, at(probe.Critical, time.Now()), Options{Client: rb.Client(), Backoff: time.Millisecond}).Failures
		b, err := os.ReadFile(cfg.StatePath)
		require.NoError(t, err)
		text := string(b)
		for _, e := range errs {
			text += e.Error()
		}
		if secret == robotSecret {
			assert.Empty(t, errs)
			assert.Len(t, rb.bodies(), 1)
		} else {
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Error(), "errcode 310000: sign not match")
		}
		assert.NotContains(t, text, robotKey)
		assert.NotContains(t, text, secret)
	}
}
