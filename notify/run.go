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
	"slices"
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
	Stderr  io.Writer        // the actions' output, its secrets redacted
	// Capture reads the evidence URL with the probe's client and
	// credentials (probe.Probe.Capture); nil: no evidence is saved.
	Capture func(ctx context.Context, url string) (*probe.Response, error)
	Quiet   bool          // the actions' output only when one failed
	Backoff time.Duration // before the first retry (default 1s)
	Timeout time.Duration // one receiver's delivery, retries included (default 10s)
	// Secrets and SecretVars are the other front-ends' secrets (a push
	// URL's token) and the variables they come from: the action gets
	// neither, beside the probe's and the receivers' own.
	Secrets    []string
	SecretVars []string
}

// Result is what a run's notifications and actions have to say: the
// failures, one line each, without keys or secrets; and the notes, such
// as an action that waits for its cooldown, which the next message tells
// too (for -v).
type Result struct {
	Failures []error
	Notes    []string
}

// Run sends each receiver of s what rep owes it, runs s's action when the
// state changed, and each check's action when it started firing. rep is
// the probe's own: no sink's failure folded in; cfg is its configuration
// (the state file, the target, the timeout, its secrets). Each memory is
// read and changed under the state file's lock, waited for no longer than
// cfg.Timeout, and the lock is not held while a message is sent or an
// action runs: a run claims a message, sends it, and then settles the
// claim, and records an action's run before it starts, so runs that
// overlap send each change once and run each action once. A delivery that
// fails leaves its message owed to the next run (at least once). The
// actions run while the messages are sent: a restart does not wait for a
// slow receiver. A run that was interrupted sends nothing and counts for
// nothing. The probe's state does not change for a failure.
func Run(ctx context.Context, cfg *probe.Config, set *Settings, rep *probe.Report, o Options) Result {
	if ctx.Err() != nil || errors.Is(rep.Err, probe.ErrInterrupted) {
		return Result{Failures: []error{errors.New("notify: skipped: the run was interrupted")}}
	}
	s := newSender(cfg, set, rep, o)
	var res Result
	acts := s.decide(ctx, &res)
	done := make(chan []error)
	go func() { done <- s.runAll(ctx, acts) }()
	for _, r := range set.Receivers {
		if err := s.notify(ctx, r); err != nil {
			res.Failures = append(res.Failures, err)
		}
	}
	res.Failures = append(res.Failures, <-done...)
	return res
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
	// events are the actions' of the last 24 hours, this run's decisions
	// included, for the messages; previous is the state of the run before.
	events   []Event
	previous string
	turned   bool // the run turned the state from OK to a problem
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

// notify claims the message r is owed, if any, sends it, and settles the
// claim. r sees the run through its states: (view).
func (s *sender) notify(ctx context.Context, r Receiver) error {
	if r.Kind == "" {
		r.Kind = KindOf(r.URL)
	}
	name := "notify/" + s.key + "/" + digest(r.URL)
	by := rand.Text()
	state, firing := r.view(s.rep)
	var c Change
	due := false
	var told []string // the checks firing that the message says
	err := remember(ctx, s, name, func(m *Memory, now time.Time) {
		if !m.ObserveFiring(state, firing, s.at) {
			return
		}
		m.Expire(now)
		since := m.SentAt
		c, due = m.Due(r.After, r.Repeat, s.at)
		c.Events = eventLines(s.events, since, s.at, state)
		told = m.Firing
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
		m.Settle(by, c.State.String(), told, err == nil, s.at)
	})
	switch {
	case err != nil:
		return fmt.Errorf("notify: %w; the message stays owed to the next run", err)
	case settled != nil:
		return fmt.Errorf("notify: sent, but %w: it may be sent again", settled)
	}
	return nil
}

// view is rep's state and firing checks as r is told of them: a state
// not among its States counts as OK, and only the checks firing at one of
// them count.
func (r Receiver) view(rep *probe.Report) (probe.State, []string) {
	if len(r.States) > 0 && !slices.Contains(r.States, rep.State) {
		return probe.OK, []string{}
	}
	return rep.State, firing(rep, r.States)
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
// previous_state, and the change of problem and the events when there are
// any.
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
	doc = append(doc[:len(doc)-1], `,"previous_state":`+prev...)
	if change := problemChange(rep, c); change != "" {
		q, _ := json.Marshal(change)
		doc = append(append(doc, `,"change":`...), q...)
	}
	if len(c.Events) > 0 {
		q, _ := json.Marshal(c.Events)
		doc = append(append(doc, `,"events":`...), q...)
	}
	return append(doc, '}')
}
