package notify

import (
	"slices"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// Memory is what a receiver's notifications remember of one target between
// runs: kept in the state file, read and changed under its lock, so that
// runs that overlap send each change once.
type Memory struct {
	// Notified is the state last delivered ("" before any).
	Notified string    `json:"notified,omitempty"`
	SentAt   time.Time `json:"sent_at,omitzero"`
	// Current is the state of the newest run, since Since, for Runs runs
	// in a row; Seen is when that run started.
	Current string    `json:"current,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Runs    int       `json:"runs,omitempty"`
	Seen    time.Time `json:"seen,omitzero"`
	// ProblemSince is when the problem being notified began, for
	// "recovered after".
	ProblemSince time.Time `json:"problem_since,omitzero"`
	// Firing are the checks firing in the newest run; NotifiedFiring those
	// of the problem last delivered (null in a memory older than them:
	// they are taken as told).
	Firing         []string `json:"firing,omitempty"`
	NotifiedFiring []string `json:"notified_firing"`
	// FiringRuns counts the runs in a row with the same checks firing:
	// after: holds a change of problem for as many runs as a change of
	// state, without a flapping check holding back the state's message.
	FiringRuns int `json:"firing_runs,omitempty"`
	// Sending is the claim of the run that is sending a message now.
	Sending *Claim `json:"sending,omitempty"`
}

// Claim says that a run is sending the message of State, outside the state
// file's lock. Other runs send nothing until it is settled or Until has
// passed (the run that claimed it died): at least once, and once when all
// goes well.
type Claim struct {
	State  string    `json:"state"`
	Firing []string  `json:"firing,omitempty"`
	By     string    `json:"by"`
	Until  time.Time `json:"until"`
}

// Change is a message that is due: the state, the one notified before, and
// what kind of message it is.
type Change struct {
	State, Previous probe.State
	First           bool          // nothing was notified before
	Repeat          bool          // the same problem again (repeat:)
	Recovered       bool          // back to OK
	Held            time.Duration // how long the state has held
	ProblemFor      time.Duration // for a recovery: how long the problem lasted
	// A change of problem: while the state held, these checks started
	// firing, and these stopped.
	NowAlso, NoLonger []string
	// Events are what the actions did since the last message, told with
	// this one.
	Events []string
}

// Observe records the state of a run that started at at. A run that
// started before the newest one observed (it ended later, behind a lock) is
// not counted, and Observe says false.
func (m *Memory) Observe(state probe.State, at time.Time) bool {
	return m.ObserveFiring(state, []string{}, at)
}

// ObserveFiring is Observe with the checks firing in the run (their names,
// in check order): a check that starts or stops firing while the state
// holds is a change of problem, told as one.
func (m *Memory) ObserveFiring(state probe.State, firing []string, at time.Time) bool {
	if at.Before(m.Seen) {
		return false
	}
	m.Seen = at
	s := state.String()
	if s != m.Current {
		ok := probe.OK.String()
		if state != probe.OK && (m.Current == "" || m.Current == ok) && (m.Notified == "" || m.Notified == ok) {
			// A problem begins; a blip to OK under after: is still the
			// problem notified.
			m.ProblemSince = at
		}
		m.Current, m.Since, m.Runs = s, at, 0
	}
	if !slices.Equal(firing, m.Firing) {
		m.Firing, m.FiringRuns = firing, 0
	}
	if m.NotifiedFiring == nil && m.Notified != "" {
		m.NotifiedFiring = m.Firing // a memory from before firing was kept
	}
	m.Runs++
	m.FiringRuns++
	return true
}

// Due says whether a message is owed after the run Observe recorded at
// now: the state differs from the one last delivered and has held for
// after runs (a first run ever only when it is not OK), or an unchanged
// problem has gone repeat without a message (repeat > 0). A delivery that
// failed left Notified as it was, so the message is owed again on the next
// run.
func (m *Memory) Due(after int, repeat time.Duration, now time.Time) (Change, bool) {
	state, _ := probe.ParseState(m.Current)
	c := Change{State: state, Held: now.Sub(m.Since)}
	if m.Notified == "" && state == probe.OK {
		// A first OK is the baseline, said to nobody: the first change
		// from it is a problem "was OK".
		m.Notified = m.Current
	}
	if m.Runs < max(after, 1) {
		return c, false
	}
	switch {
	case m.Notified == "":
		c.First = true
		return c, state != probe.OK
	case m.Current != m.Notified:
		c.Previous, _ = probe.ParseState(m.Notified)
		if state == probe.OK {
			c.Recovered = true
			c.ProblemFor = m.Since.Sub(m.ProblemSince)
		}
		return c, true
	case state != probe.OK && !slices.Equal(m.Firing, m.NotifiedFiring):
		if m.FiringRuns < max(after, 1) {
			return c, false
		}
		c.Previous = state
		c.NowAlso, c.NoLonger = minus(m.Firing, m.NotifiedFiring), minus(m.NotifiedFiring, m.Firing)
		return c, true
	case state != probe.OK && repeat > 0 && now.Sub(m.SentAt) >= repeat:
		c.Previous, c.Repeat = state, true
		return c, true
	}
	return c, false
}

// Expire ends, at now, a claim whose run did not settle it in time (it
// died, or could not take the lock again): its message may have gone out.
// When the state is still the one claimed, the message stays owed (at
// least once); when not, the claimed state counts as notified, so that the
// change from it is sent and a recovery is not lost.
func (m *Memory) Expire(now time.Time) {
	if m.Sending == nil || now.Before(m.Sending.Until) {
		return
	}
	if m.Current != m.Sending.State || !slices.Equal(m.Firing, m.Sending.Firing) {
		m.Notified, m.NotifiedFiring = m.Sending.State, told(m.Sending.Firing)
	}
	m.Sending = nil
}

// Claim marks the message of the current state as sent by the run by until
// until; it says false when another run's claim still holds at now.
func (m *Memory) Claim(by string, now, until time.Time) bool {
	m.Expire(now)
	if m.Sending != nil {
		return false
	}
	m.Sending = &Claim{State: m.Current, Firing: m.Firing, By: by, Until: until}
	return true
}

// Settle ends the claim of the run by: when its message of state and of
// the checks firing went out (sent), they are the ones notified, as of at
// (the run's start, the clock Due measures repeat: by); when not, it stays
// owed.
func (m *Memory) Settle(by, state string, firing []string, sent bool, at time.Time) {
	if m.Sending != nil && m.Sending.By == by {
		m.Sending = nil
	}
	if sent {
		m.Notified, m.NotifiedFiring, m.SentAt = state, told(firing), at
	}
}

// Delivered records that the message of the current state went out at now.
func (m *Memory) Delivered(now time.Time) {
	m.Notified, m.NotifiedFiring, m.SentAt = m.Current, told(m.Firing), now
}

// told is firing as notified: never null, which would read as a memory
// from before firing was kept.
func told(firing []string) []string { return append([]string{}, firing...) }

// minus is a without b's names, in a's order.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
