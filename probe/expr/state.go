package expr

// State is a monitoring-plugin state. The numeric values are the plugin exit
// codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
type State int

// The four plugin states, valued as their exit codes.
const (
	OK       State = 0
	Warning  State = 1
	Critical State = 2
	Unknown  State = 3
)

// String returns the state's upper-case name as plugins print it: "OK",
// "WARNING", "CRITICAL" or "UNKNOWN".
func (s State) String() string {
	switch s {
	case OK:
		return "OK"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	default:
		return "UNKNOWN"
	}
}

// severity ranks states for Worst: CRITICAL > WARNING > UNKNOWN > OK, the
// monitoring-plugins 3 order.
func (s State) severity() int {
	switch s {
	case OK:
		return 0
	case Unknown:
		return 1
	case Warning:
		return 2
	default:
		return 3
	}
}

// Worst returns the more severe of a and b in the order
// CRITICAL > WARNING > UNKNOWN > OK.
func Worst(a, b State) State {
	if b.severity() > a.severity() {
		return b
	}
	return a
}
