package notify

import (
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
	// Sending is the claim of the run that is sending a message now.
	Sending *Claim `json:"sending,omitempty"`
}

// Claim says that a run is sending the message of State, outside the state
// file's lock. Other runs send nothing until it is settled or Until has
// passed (the run that claimed it died): at least once, and once when all
// goes well.
type Claim struct {
	State string    `json:"state"`
	By    string    `json:"by"`
	Until time.Time `json:"until"`
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
}

// Observe records the state of a run that started at at. A run that
// started before the newest one observed (it ended later, behind a lock) is
// not counted, and Observe says false.
func (m *Memory) Observe(state probe.State, at time.Time) bool {
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
	m.Runs++
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
	if m.Current != m.Sending.State {
		m.Notified = m.Sending.State
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
	m.Sending = &Claim{State: m.Current, By: by, Until: until}
	return true
}

// Settle ends the claim of the run by: when its message of state went out
// (sent), state is the one notified, as of at (the run's start, the clock
// Due measures repeat: by); when not, it stays owed.
func (m *Memory) Settle(by, state string, sent bool, at time.Time) {
	if sent {
		m.Notified, m.SentAt = state, at
	}
	if m.Sending != nil && m.Sending.By == by {
		m.Sending = nil
	}
}

// Delivered records that the message of the current state went out at now.
func (m *Memory) Delivered(now time.Time) { m.Notified, m.SentAt = m.Current, now }
