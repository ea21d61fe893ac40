package notify

import (
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// Memory is what a receiver's notifications remember of one target between
// runs: kept in the state file, read and written under its lock, so that
// runs that overlap send each change once.
type Memory struct {
	// Notified is the state last delivered ("" before any).
	Notified string    `json:"notified,omitempty"`
	SentAt   time.Time `json:"sent_at,omitzero"`
	// Current is the state of the last run, since Since, for Runs runs in a
	// row.
	Current string    `json:"current,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	Runs    int       `json:"runs,omitempty"`
	// ProblemSince is when the state left OK, for "recovered after".
	ProblemSince time.Time `json:"problem_since,omitzero"`
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

// Observe records a run's state at now.
func (m *Memory) Observe(state probe.State, now time.Time) {
	s := state.String()
	if s != m.Current {
		if state != probe.OK && (m.Current == "" || m.Current == probe.OK.String()) {
			m.ProblemSince = now
		}
		m.Current, m.Since, m.Runs = s, now, 0
	}
	m.Runs++
}

// Due says whether a message is owed after the run Observe recorded: the
// state differs from the one last delivered and has held for after runs
// (a first run ever only when it is not OK), or an unchanged problem has
// gone repeat without a message (repeat > 0). A delivery that failed left
// Notified as it was, so the message is owed again on the next run.
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
			c.ProblemFor = now.Sub(m.ProblemSince)
		}
		return c, true
	case state != probe.OK && repeat > 0 && now.Sub(m.SentAt) >= repeat:
		c.Previous, c.Repeat = state, true
		return c, true
	}
	return c, false
}

// Delivered records that the message of the current state went out at now.
func (m *Memory) Delivered(now time.Time) { m.Notified, m.SentAt = m.Current, now }
