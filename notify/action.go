package notify

// The actions: on_change, run when the state changes, and a check's
// on_fire, run when the check starts firing. Each is decided, and its run
// recorded, under the state file's lock before the messages are sent, so
// that runs that overlap run it once; the commands run while the messages
// are sent.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
)

// actionMemory is on_change's: its own change memory, when it last ran,
// and the state a cooldown let pass (said once).
type actionMemory struct {
	Memory
	RanAt   time.Time `json:"ran_at,omitzero"`
	Waiting string    `json:"waiting,omitempty"`
}

// action is one command a run decided to run: on_change, for change, or
// the on_fire of a check (fire).
type action struct {
	fire   *Fire
	change Change
}

// decide records the run in the actions' memories and returns the actions
// to run now. What held one back (a cooldown, on_fire_max) is a note of
// res, and an event the messages tell.
func (s *sender) decide(ctx context.Context, res *Result) []action {
	var acts []action
	var events []Event
	if s.set.OnChange != "" {
		c, run, note, err := s.decideOnChange(ctx)
		switch {
		case err != nil:
			res.Failures = append(res.Failures, err)
		case run:
			acts = append(acts, action{change: c})
		case note != "":
			events = append(events, Event{At: s.at, Note: note})
		}
	}
	if len(s.set.Fires) == 0 && s.set.OnChange == "" && s.set.Evidence == nil {
		return acts
	}
	fires, err := s.decideFires(ctx, events)
	if err != nil {
		res.Failures = append(res.Failures, err)
	}
	for _, f := range fires {
		acts = append(acts, action{fire: f})
	}
	for _, e := range s.events {
		if e.At.Equal(s.at) && !e.Ran {
			res.Notes = append(res.Notes, e.line())
		}
	}
	if s.set.Evidence != nil && err == nil && (len(acts) > 0 || s.turned) {
		s.keepEvidence(ctx, res)
	}
	return acts
}

// keepEvidence saves the evidence before the actions run and the messages
// go, which tell the file (or why there is none), as the next would.
func (s *sender) keepEvidence(ctx context.Context, res *Result) {
	ev := s.capture(ctx)
	s.events = append(s.events, ev)
	s.record(ctx, ev)
	if ev.Failed != "" {
		res.Failures = append(res.Failures, errors.New(ev.Note))
		return
	}
	res.Notes = append(res.Notes, ev.Note)
}

// decideOnChange decides whether on_change runs: when the state changed,
// and not again within ActionCooldown of its last run (no restart loop). A
// change within the cooldown waits for its end, and runs the action then
// if the state is still not the one acted on; note says so, once. A run is
// recorded before the action starts: it runs at most once per change.
func (s *sender) decideOnChange(ctx context.Context) (c Change, run bool, note string, err error) {
	err = remember(ctx, s, "action/"+s.key, func(m *actionMemory, now time.Time) {
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
				note = fmt.Sprintf("on_change: not run for %s yet: it ran %s ago (action_cooldown %s); it runs after the cooldown if the state holds", ch.State, span(now.Sub(m.RanAt)), span(s.set.ActionCooldown))
			}
			return
		}
		m.Delivered(now)
		m.RanAt, m.Waiting = now, ""
		c, run = ch, true
	})
	if err != nil {
		err = fmt.Errorf("on_change: %w; not run", err)
	}
	return c, run, note, err
}

// runAll runs the actions decided, one after the other, and returns their
// failures.
func (s *sender) runAll(ctx context.Context, acts []action) []error {
	var errs []error
	for _, a := range acts {
		var err error
		if a.fire != nil {
			err = s.runFire(ctx, *a.fire)
		} else if err = s.runOnChange(ctx, a.change); err != nil {
			// Told by the next message too: -q may keep it off stderr.
			s.record(ctx, Event{At: s.at, Note: strings.Replace(err.Error(), "on_change: ", "on_change failed: ", 1)})
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// runOnChange runs on_change for c, with JSONPROBE_STATE,
// JSONPROBE_PREVIOUS_STATE, JSONPROBE_SUMMARY and JSONPROBE_TARGET set,
// within ActionTimeout.
func (s *sender) runOnChange(ctx context.Context, c Change) error {
	prev := ""
	if !c.First {
		prev = c.Previous.String()
	}
	timeout := s.set.ActionTimeout
	if timeout <= 0 {
		timeout = DefaultActionTimeout
	}
	env := []string{"JSONPROBE_STATE=" + c.State.String(), "JSONPROBE_PREVIOUS_STATE=" + prev,
		"JSONPROBE_SUMMARY=" + output.OneLine(s.rep.Summary()), "JSONPROBE_TARGET=" + s.rep.Target}
	return s.run(ctx, command{what: "on_change", line: s.set.OnChange, timeout: timeout, timeoutKey: "action_timeout", env: env})
}

// command is a shell command an action runs: what names it in errors, env
// is what it gets beside the process's environment.
type command struct {
	what, line string
	timeout    time.Duration
	timeoutKey string // the key that sets timeout, for the error
	env        []string
}

// run runs c (sh -c) within its timeout: in its own process group,
// so that the timeout ends what it started too; without the variables
// that hold the probe's secrets (by their values, and by name the ones
// that may hold one: the SecretVars of the probe, the receivers and
// Options); its output, with the secrets redacted, on o.Stderr (with
// o.Quiet, only when it failed).
func (s *sender) run(ctx context.Context, c command) error {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	redact := s.cfg.Redactor(append(s.set.Secrets(), s.o.Secrets...)...)
	hidden := slices.Concat(s.cfg.SecretVars, s.set.SecretVars, s.o.SecretVars)
	cmd := exec.CommandContext(actx, "sh", "-c", c.line)
	for _, kv := range s.o.Environ {
		name, _, _ := strings.Cut(kv, "=")
		if redact.String(kv) == kv && !slices.Contains(hidden, name) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, c.env...)
	var out bytes.Buffer
	lw := &limitedWriter{w: &out, n: 64 << 10}
	cmd.Stdout, cmd.Stderr = lw, lw
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		err = fmt.Errorf("%s: stopped: the run was interrupted (%v)", c.what, context.Cause(ctx))
	case actx.Err() != nil:
		err = fmt.Errorf("%s: stopped after %s (%s)", c.what, c.timeout, c.timeoutKey)
	case err != nil:
		err = fmt.Errorf("%s: %v", c.what, err)
	}
	if s.o.Stderr != nil && out.Len() > 0 && (err != nil || !s.o.Quiet) {
		text := redact.String(out.String())
		if lw.cut {
			text = strings.TrimRight(text, "\n") + "\n… (output cut at 64 KiB)\n"
		}
		_, _ = io.WriteString(s.o.Stderr, text)
	}
	return err
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
