package notify

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/checksfile"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// Fire is a check's own action (on_fire:): a command run (sh -c) when the
// check starts firing, at its warning or critical level; at most Max runs
// in any 24 hours, none within Cooldown of the last.
type Fire struct {
	Check    string
	Cmd      string
	Cooldown time.Duration
	Timeout  time.Duration
	Max      int
	line     int // of on_fire: (or its first key), for errors found later
}

// The defaults of a check's action.
const (
	DefaultFireCooldown = 30 * time.Minute
	DefaultFireTimeout  = 30 * time.Second
	DefaultFireMax      = 3
	fireWindow          = 24 * time.Hour // what Max counts over
)

// DecodeCheck reads a check entry's on_fire keys.
func (s *Settings) DecodeCheck(check string, key, value *yaml.Node, _ checksfile.File) error {
	f := s.fire(check, key.Line)
	var v checksfile.Scalar
	if err := value.Decode(&v); err != nil {
		return err
	}
	if v.Line == 0 {
		v.Line = key.Line // an empty value: the key's line
	}
	var err error
	switch key.Value {
	case "on_fire":
		if v.Value == "" {
			return checksfile.Errorf(v.Line, "check %q: on_fire: want a command", check)
		}
		f.Cmd, f.line = v.Value, key.Line
	case "on_fire_max":
		if f.Max, err = strconv.Atoi(v.Value); err != nil || f.Max < 1 {
			return checksfile.Errorf(v.Line, "check %q: on_fire_max %q: want a number of runs in 24h, 1 or more", check, v.Value)
		}
	case "on_fire_cooldown":
		if f.Cooldown, err = parseCooldown(v.Value); err != nil {
			return checksfile.Errorf(v.Line, "check %q: on_fire_cooldown %v", check, err)
		}
	default:
		if f.Timeout, err = probe.ParseTimeout(v.Value); err != nil {
			return checksfile.Errorf(v.Line, "check %q: on_fire_timeout: %v", check, err)
		}
	}
	return nil
}

// parseCooldown reads a cooldown: a duration (30m) or seconds, 0 for
// none.
func parseCooldown(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		d, err = time.Duration(f*float64(time.Second)), nil
	}
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q: want a duration (30m, 2h) or seconds, 0 for none", s)
	case d < 0:
		return 0, fmt.Errorf("%q: want 0 or more", s)
	}
	return d, nil
}

// fire is the action of check, added with its defaults when new (at line,
// for errors).
func (s *Settings) fire(check string, line int) *Fire {
	i := slices.IndexFunc(s.Fires, func(f Fire) bool { return f.Check == check })
	if i < 0 {
		s.Fires = append(s.Fires, Fire{Check: check, Cooldown: DefaultFireCooldown, Timeout: DefaultFireTimeout, Max: DefaultFireMax, line: line})
		i = len(s.Fires) - 1
	}
	return &s.Fires[i]
}

// checkFires makes sure an on_fire_* key came with on_fire, and that no
// other check or metric of cfg has the name of a check with an action: it
// is what tells the check firing (goroutines > 2000, unnamed, is named
// goroutines as goroutines > 10000 is).
func (s *Settings) checkFires(cfg *probe.Config) error {
	for _, f := range s.Fires {
		if f.Cmd == "" {
			return checksfile.Errorf(f.line, "check %q: on_fire_cooldown, on_fire_timeout and on_fire_max go with on_fire: give the command to run", f.Check)
		}
		n := 0
		for _, c := range cfg.Checks {
			if c.Name == f.Check {
				n++
			}
		}
		for _, m := range cfg.Metrics {
			if m.Name() == f.Check {
				n++
			}
		}
		if n > 1 {
			return checksfile.Errorf(f.line, "check %q: on_fire needs a name that no other check or metric has, and %d have this one: give the check a name: of its own", f.Check, n)
		}
	}
	return nil
}

// actionLog is what the state file keeps of a target's checks' actions:
// whether each check fired in the newest run and when its action ran, and
// the events of the last 24 hours, for the messages.
type actionLog struct {
	Checks map[string]*fireMemory `json:"checks,omitempty"`
	Events []Event                `json:"events,omitempty"`
	// State is the newest run's, which started at Seen: the previous
	// state of the next.
	State string    `json:"state,omitempty"`
	Seen  time.Time `json:"seen,omitzero"`
}

// fireMemory is what a check's action remembers: whether the check fired
// in the newest run (seen), and when the action ran in the last 24 hours.
type fireMemory struct {
	Firing bool        `json:"firing,omitempty"`
	Seen   time.Time   `json:"seen,omitzero"`
	Ran    []time.Time `json:"ran,omitempty"`
	// Waiting says the check started firing within the cooldown: the
	// action runs when the cooldown is over, if the check still fires.
	Waiting bool `json:"waiting,omitempty"`
}

// Event is what an action did in a run, or was kept from doing, which the
// next message tells.
type Event struct {
	At       time.Time `json:"at"`              // the run's start
	Check    string    `json:"check,omitempty"` // whose on_fire; "" for on_change
	Ran      bool      `json:"ran,omitempty"`
	Withheld bool      `json:"withheld,omitempty"` // over on_fire_max
	N        int       `json:"n,omitempty"`        // runs in 24h, this one included
	Max      int       `json:"max,omitempty"`
	Note     string    `json:"note,omitempty"`   // why it waits (a cooldown)
	Failed   string    `json:"failed,omitempty"` // how its run failed
	// Times counts the same event folded into this one since First.
	Times int       `json:"times,omitempty"`
	First time.Time `json:"first,omitzero"`
}

// line is the event as the message of its run says it.
func (e Event) line() string {
	var s string
	switch {
	case e.Ran:
		return fmt.Sprintf("%s started (%d of %d in 24h)", e.Check, e.N, e.Max)
	case e.Withheld:
		s = fmt.Sprintf("%s withheld: %d of %d in 24h", e.Check, e.N, e.Max)
	default:
		s = e.Note
	}
	if e.Times > 1 {
		s += fmt.Sprintf(" (%d times in %s)", e.Times, span(e.At.Sub(e.First)))
	}
	return s
}

// add keeps e in the log. A check's action held back again (withheld, or
// waiting for its cooldown) replaces the same event before it, counted:
// a flapping check does not fill the messages.
func (l *actionLog) add(e Event) {
	if !e.Ran && e.Check != "" {
		if i := slices.IndexFunc(l.Events, func(o Event) bool { return !o.Ran && o.Check == e.Check && o.Withheld == e.Withheld }); i >= 0 {
			old := l.Events[i]
			e.Times, e.First = max(old.Times, 1)+1, old.First
			if e.First.IsZero() {
				e.First = old.At
			}
			l.Events = slices.Delete(l.Events, i, i+1)
		}
	}
	l.Events = append(l.Events, e)
}

// followUp is what followed an action's run, as of at, in state: "still
// CRITICAL 5m after the restart (2 of 3)", "recovered 4m after the
// restart".
func (e Event) followUp(at time.Time, state probe.State) string {
	failed := ""
	if e.Failed != "" {
		failed = "; it failed: " + e.Failed
	}
	if state == probe.OK {
		return fmt.Sprintf("recovered %s after the %s%s", span(at.Sub(e.At)), e.Check, failed)
	}
	return fmt.Sprintf("still %s %s after the %s (%d of %d%s)", state, span(at.Sub(e.At)), e.Check, e.N, e.Max, failed)
}

// eventLines are the events a message of the run at tells, in state: the
// run's own, and those of the runs since the receiver's last message
// (whose run started at since): what followed an action's run (also one
// that message told of), and what held one back.
func eventLines(events []Event, since, at time.Time, state probe.State) []string {
	var out []string
	for _, e := range events {
		switch {
		case e.At.Equal(at):
			out = append(out, e.line())
		case e.At.After(at) || e.At.Before(since) || since.IsZero():
			// A receiver's first message tells this run's events only.
		case e.Ran:
			out = append(out, e.followUp(at, state))
		case e.At.After(since):
			out = append(out, e.line())
		}
	}
	if len(out) > maxEventLines {
		out = append(out[:maxEventLines-1], fmt.Sprintf("… and %d more", len(out)-maxEventLines+1))
	}
	return out
}

// maxEventLines is the most event lines a message holds.
const maxEventLines = 10

// firing are the checks of rep that fire, at their warning or critical
// level, whose state is among states (none: any).
func firing(rep *probe.Report, states []probe.State) []string {
	out := []string{}
	for _, o := range rep.Outcomes {
		switch {
		case o.Level != probe.LevelWarning && o.Level != probe.LevelCritical && o.Level != probe.LevelMetric:
		case o.State != probe.Warning && o.State != probe.Critical:
		case len(states) > 0 && !slices.Contains(states, o.State):
		case !slices.Contains(out, o.Name):
			out = append(out, o.Name)
		}
	}
	return out
}

// decideFires records, under the state file's lock, which checks fire in
// this run, its state (whether it turned from OK to a problem), and
// pending (events decided before); a check's action runs
// when it starts firing, unless it ran within its cooldown or Max times in
// the last 24 hours (withheld). The run is recorded before the action
// starts: it runs once per firing, however many runs overlap. It returns
// the actions to run, and keeps the events for the messages.
func (s *sender) decideFires(ctx context.Context, pending []Event) ([]*Fire, error) {
	fires := firing(s.rep, nil)
	var run []*Fire
	err := remember(ctx, s, "actions/"+s.key, func(l *actionLog, now time.Time) {
		l.Events = slices.DeleteFunc(l.Events, func(e Event) bool { return now.Sub(e.At) >= fireWindow })
		l.Events = append(l.Events, pending...)
		if l.Checks == nil {
			l.Checks = map[string]*fireMemory{}
		}
		if !s.at.Before(l.Seen) {
			s.previous, l.State, l.Seen = l.State, s.rep.State.String(), s.at
			s.turned = captureTurned(s.previous, s.rep.State)
		}
		for i, f := range s.set.Fires {
			m := l.Checks[f.Check]
			if m == nil {
				m = &fireMemory{}
				l.Checks[f.Check] = m
			}
			if ev := m.decide(f, slices.Contains(fires, f.Check), s.at, now); ev != nil {
				l.add(*ev)
				if ev.Ran {
					run = append(run, &s.set.Fires[i])
				}
			}
		}
		s.events = slices.Clone(l.Events)
	})
	if err != nil {
		return nil, fmt.Errorf("actions: %w; none run", err)
	}
	return run, nil
}

// decide records whether f's check fires in the run that started at, and
// returns the event when it started firing: the action runs, or waits for
// its cooldown, or is withheld.
func (m *fireMemory) decide(f Fire, fires bool, at, now time.Time) *Event {
	if at.Before(m.Seen) {
		return nil // a run older than the newest one counted
	}
	m.Seen = at
	started := fires && !m.Firing
	m.Firing = fires
	if !started && !(fires && m.Waiting) {
		m.Waiting = m.Waiting && fires
		return nil
	}
	m.Ran = slices.DeleteFunc(m.Ran, func(t time.Time) bool { return now.Sub(t) >= fireWindow })
	switch {
	case len(m.Ran) > 0 && f.Cooldown > 0 && now.Sub(m.Ran[len(m.Ran)-1]) < f.Cooldown:
		if m.Waiting {
			return nil // said when it started firing
		}
		m.Waiting = true
		last := m.Ran[len(m.Ran)-1]
		return &Event{At: at, Check: f.Check, Note: fmt.Sprintf("%s not run yet: it ran %s ago (on_fire_cooldown %s); it runs when the cooldown is over if %s still fires",
			f.Check, span(now.Sub(last)), span(f.Cooldown), f.Check)}
	case len(m.Ran) >= f.Max:
		m.Waiting = false
		return &Event{At: at, Check: f.Check, Withheld: true, N: len(m.Ran), Max: f.Max}
	}
	m.Ran, m.Waiting = append(m.Ran, now), false
	return &Event{At: at, Check: f.Check, Ran: true, N: len(m.Ran), Max: f.Max}
}

// runFire runs f's command, with the environment on_change gets and the
// check's name and value; a failure is recorded in its event, for the
// next message.
func (s *sender) runFire(ctx context.Context, f Fire) error {
	value := ""
	for _, o := range s.rep.Outcomes {
		switch {
		case o.Name != f.Check || o.Value == nil || value != "":
		case o.Value.Kind == expr.String:
			value = o.Value.Str // as the document has it, unquoted
		default:
			value = o.Value.String()
		}
	}
	env := []string{"JSONPROBE_STATE=" + s.rep.State.String(), "JSONPROBE_PREVIOUS_STATE=" + s.previous, "JSONPROBE_SUMMARY=" + output.OneLine(s.rep.Summary()),
		"JSONPROBE_TARGET=" + s.rep.Target, "JSONPROBE_CHECK=" + f.Check, "JSONPROBE_VALUE=" + value}
	err := s.run(ctx, command{what: "on_fire of " + f.Check, line: f.Cmd, timeout: f.Timeout, timeoutKey: "on_fire_timeout", env: env})
	if err == nil {
		return nil
	}
	reason := strings.TrimPrefix(err.Error(), "on_fire of "+f.Check+": ")
	if rerr := remember(ctx, s, "actions/"+s.key, func(l *actionLog, _ time.Time) {
		for i, e := range l.Events {
			if e.Ran && e.Check == f.Check && e.At.Equal(s.at) {
				l.Events[i].Failed = reason
			}
		}
	}); rerr != nil {
		return fmt.Errorf("%w (and not recorded: %v)", err, rerr)
	}
	return err
}

// record adds e to the actions' memory, for the next message; a memory
// that cannot be written loses it (the run's failure says why anyway).
func (s *sender) record(ctx context.Context, e Event) {
	_ = remember(ctx, s, "actions/"+s.key, func(l *actionLog, _ time.Time) { l.add(e) })
}
