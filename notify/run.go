package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// Options are what a run's notifications need beyond the Config.
type Options struct {
	Client  *http.Client
	Host    string           // the host name the message names
	Now     func() time.Time // time.Now when nil
	Environ []string         // the action's environment, JSONPROBE_* added
	Stderr  io.Writer        // the action's output, its secrets redacted
	Backoff time.Duration    // before the first retry (default 1s)
	Timeout time.Duration    // one receiver's delivery, retries included (default 10s)
	// Secrets and SecretVars are the other front-ends' secrets (a push
	// URL's token) and the variables they come from: the action gets
	// neither, beside the probe's and the receivers' own.
	Secrets    []string
	SecretVars []string
}

// Run sends each receiver of s what rep owes it, and runs s's action
// when the state changed. rep is the probe's own: no sink's failure folded
// in; cfg is its configuration (the state file, the target, the timeout,
// its secrets). Each receiver's memory (and the action's) is read and
// changed under the state file's lock, waited for no longer than
// cfg.Timeout, and the lock is not held while a message is sent or the
// action runs: a run claims the message, sends it, and then settles the
// claim, so runs that overlap send each change once. A delivery that fails
// leaves its message owed to the next run (at least once). A run that was
// interrupted sends nothing and counts for nothing. Run returns the
// failures, one line each, without keys or secrets; the probe's state does
// not change for them.
func Run(ctx context.Context, cfg *probe.Config, set *Settings, rep *probe.Report, o Options) []error {
	if ctx.Err() != nil || errors.Is(rep.Err, probe.ErrInterrupted) {
		return []error{errors.New("notify: skipped: the run was interrupted")}
	}
	s := newSender(cfg, set, rep, o)
	var errs []error
	for _, r := range set.Receivers {
		if err := s.notify(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	if set.OnChange != "" {
		if err := s.act(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// sender is one run's notifications: its report, where their memories are
// kept, and how long a run may take to settle a claim.
type sender struct {
	cfg   *probe.Config
	set   *Settings
	rep   *probe.Report
	o     Options
	store probe.FileStore
	key   string
	at    time.Time     // when the run started: the order of observations
	wait  time.Duration // for the state file's lock
}

func newSender(cfg *probe.Config, set *Settings, rep *probe.Report, o Options) *sender {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.Backoff == 0 {
		o.Backoff = time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	s := &sender{cfg: cfg, set: set, rep: rep, o: o, store: probe.FileStore{Path: cfg.StatePath},
		key: probe.StateKey(cfg.Target), at: rep.Time, wait: cfg.Timeout}
	if s.at.IsZero() {
		s.at = o.Now()
	}
	if s.wait <= 0 {
		s.wait = probe.DefaultTimeout
	}
	return s
}

// notify claims the message n is owed, if any, sends it, and settles the
// claim.
func (s *sender) notify(ctx context.Context, r Receiver) error {
	if r.Kind == "" {
		r.Kind = KindOf(r.URL)
	}
	name := "notify/" + s.key + "/" + digest(r.URL)
	by := rand.Text()
	var c Change
	due := false
	err := remember(ctx, s, name, func(m *Memory, now time.Time) {
		if !m.Observe(s.rep.State, s.at) {
			return
		}
		m.Expire(now)
		c, due = m.Due(r.After, r.Repeat, s.at)
		// The claim outlasts the delivery and the wait to settle it.
		due = due && m.Claim(by, now, now.Add(s.o.Timeout+s.wait+5*time.Second))
	})
	if err != nil {
		return fmt.Errorf("notify: %w; nothing sent", err)
	}
	if !due {
		return nil
	}
	err = s.deliver(ctx, r, c)
	settled := remember(ctx, s, name, func(m *Memory, _ time.Time) {
		m.Settle(by, c.State.String(), err == nil, s.at)
	})
	switch {
	case err != nil:
		return fmt.Errorf("notify: %w; the message stays owed to the next run", err)
	case settled != nil:
		return fmt.Errorf("notify: sent, but %w: it may be sent again", settled)
	}
	return nil
}

// deliver renders the message of c and sends it within the delivery
// timeout.
func (s *sender) deliver(ctx context.Context, r Receiver, c Change) error {
	var tmpl *template.Template
	if r.Template != "" {
		tmpl = template.Must(template.New("message").Parse(r.Template)) // parsed at load
	}
	title, text, err := Render(tmpl, r.Kind, s.rep, c, s.o.Host)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	return Deliver(ctx, s.o.Client, r, title, text, webhookDoc(s.rep, c), s.o.Now, s.o.Backoff)
}

// remember runs fn on the memory name keeps in the state file, under its
// lock, waited for no longer than s.wait, and writes it back; now is when
// the lock was taken. A memory that does not read starts afresh.
func remember[M any](ctx context.Context, s *sender, name string, fn func(m *M, now time.Time)) error {
	ctx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	return s.store.UpdateMemory(ctx, name, s.o.Now(), func(old []byte) ([]byte, error) {
		var m M
		if len(old) > 0 {
			_ = json.Unmarshal(old, &m)
		}
		fn(&m, s.o.Now())
		return json.Marshal(m)
	})
}

// digest names a receiver in the state file without its key.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// webhookDoc is a plain webhook's body: the run's -o json document with
// previous_state.
func webhookDoc(rep *probe.Report, c Change) []byte {
	var b bytes.Buffer
	_ = output.JSON(&b, rep)
	doc := bytes.TrimRight(b.Bytes(), "\n")
	if len(doc) == 0 {
		return nil
	}
	prev := "null"
	if !c.First {
		prev = `"` + c.Previous.String() + `"`
	}
	return append(doc[:len(doc)-1], []byte(`,"previous_state":`+prev+`}`)...)
}

// actionMemory is the action's: its own change memory, when it last ran,
// and the state a cooldown let pass (said once).
type actionMemory struct {
	Memory
	RanAt   time.Time `json:"ran_at,omitzero"`
	Waiting string    `json:"waiting,omitempty"`
}

// act runs cfg.OnChange (sh -c) when the state changed, with
// JSONPROBE_STATE, JSONPROBE_PREVIOUS_STATE, JSONPROBE_SUMMARY and
// JSONPROBE_TARGET set, within ActionTimeout, and not again within
// ActionCooldown of its last run: no restart loop. A change within the
// cooldown waits for its end, and runs the action then if the state is
// still not the one acted on. The run is recorded before the action starts
// and outside the lock: an action runs at most once per change.
func (s *sender) act(ctx context.Context) error {
	var c Change
	run := false
	var waits error
	err := remember(ctx, s, "action/"+s.key, func(m *actionMemory, now time.Time) {
		if !m.Observe(s.rep.State, s.at) {
			return
		}
		ch, due := m.Due(1, 0, s.at)
		if !due {
			m.Waiting = ""
			return
		}
		if !m.RanAt.IsZero() && now.Sub(m.RanAt) < s.set.ActionCooldown {
			if m.Waiting != m.Current {
				m.Waiting = m.Current
				waits = fmt.Errorf("on_change: not run for %s yet: it ran %s ago (action_cooldown %s); it runs after the cooldown if the state holds", ch.State, span(now.Sub(m.RanAt)), s.set.ActionCooldown)
			}
			return
		}
		m.Delivered(now)
		m.RanAt, m.Waiting = now, ""
		c, run = ch, true
	})
	if err != nil {
		return fmt.Errorf("on_change: %w; not run", err)
	}
	if !run {
		return waits
	}
	return s.runAction(ctx, c)
}

// runAction runs the action of c: in its own process group, so that its
// timeout ends what it started too; without the variables that hold the
// probe's secrets (by their values, and by name the ones that may hold
// one: the SecretVars of the probe, the receivers and Options); its output, with the secrets redacted, on
// o.Stderr.
func (s *sender) runAction(ctx context.Context, c Change) error {
	timeout := s.set.ActionTimeout
	if timeout <= 0 {
		timeout = DefaultActionTimeout
	}
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	redact := s.cfg.Redactor(append(s.set.Secrets(), s.o.Secrets...)...)
	hidden := slices.Concat(s.cfg.SecretVars, s.set.SecretVars, s.o.SecretVars)
	cmd := exec.CommandContext(actx, "sh", "-c", s.set.OnChange)
	prev := ""
	if !c.First {
		prev = c.Previous.String()
	}
	for _, kv := range s.o.Environ {
		name, _, _ := strings.Cut(kv, "=")
		if redact.String(kv) == kv && !slices.Contains(hidden, name) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"JSONPROBE_STATE="+c.State.String(), "JSONPROBE_PREVIOUS_STATE="+prev,
		"JSONPROBE_SUMMARY="+output.OneLine(s.rep.Summary()), "JSONPROBE_TARGET="+s.rep.Target)
	var out bytes.Buffer
	lw := &limitedWriter{w: &out, n: 64 << 10}
	cmd.Stdout, cmd.Stderr = lw, lw
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if s.o.Stderr != nil && out.Len() > 0 {
		text := redact.String(out.String())
		if lw.cut {
			text = strings.TrimRight(text, "\n") + "\n… (output cut at 64 KiB)\n"
		}
		_, _ = io.WriteString(s.o.Stderr, text)
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("on_change: stopped: the run was interrupted (%v)", context.Cause(ctx))
	case actx.Err() != nil:
		return fmt.Errorf("on_change: stopped after %s (action_timeout)", timeout)
	case err != nil:
		return fmt.Errorf("on_change: %v", err)
	}
	return nil
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	w   io.Writer
	n   int
	cut bool
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	k := len(p)
	if len(p) > l.n {
		p, l.cut = p[:l.n], true
	}
	l.n -= len(p)
	_, err := l.w.Write(p)
	return k, err
}
