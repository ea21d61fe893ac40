package expr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Range is a Nagios threshold range as defined by the monitoring-plugins
// development guidelines
// (https://www.monitoring-plugins.org/doc/guidelines.html#THRESHOLDFORMAT).
//
// Its text form is [@]start:end or [@]end:
//
//	10       alert if v < 0 or v > 10   (start defaults to 0)
//	:10      the same                   (an empty start is 0)
//	10:      alert if v < 10            (an omitted end is +∞)
//	~:10     alert if v > 10            ("~" is −∞)
//	10:20    alert if v < 10 or v > 20
//	@10:20   alert if 10 ≤ v ≤ 20       ("@" inverts the range)
//
// Both ends are inclusive and Start ≤ End always holds for a parsed Range.
// The zero Range is "0:0", which alerts for every value except 0.
type Range struct {
	Start, End float64 // bounds; -Inf for "~" start, +Inf for an omitted end
	Inside     bool    // "@": alert when inside [Start,End] instead of outside
}

// ParseRange parses s. The empty string means "not set" and returns (nil, nil),
// as for a threshold that was not given (C's _set_thresholds gets NULL).
//
// A range means what monitoring-plugins' C library (lib/utils_base.c,
// parse_range_string, read at commit 7db2b280) and Perl's
// Monitoring::Plugin::Range make of it:
//
//	range  = ["@"] ( [end] | [start] ":" [end] )
//	start  = "~" | number
//	end    = number
//	number = ["+" | "-"] digits ["." digits]
//
// Empty parts are read as C reads them, in every case:
//
//	:5.75  is 0:5.75  C sets a start of strtod(":5.75") = 0 (lines 136-138);
//	                  Perl agrees, and both test it.
//	@:10   is @0:10   the same after "@" (lines 127-130).
//	:      is 0:      start 0 as above; an empty end leaves end_infinity,
//	                  set by default (line 123), since strcmp(end_str, "")
//	                  is 0 (lines 144-147). Alerts below 0.
//	@:     is @0:     the same, inverted: alerts from 0 up.
//	@      is @0:     after "@" there is no ":", so end_str is "" (line 142)
//	                  and the end stays +∞, the start 0 (line 120).
//	~:     is −∞..+∞  start_infinity (line 135) and end_infinity: accepted
//	                  because either end is infinite (line 149). It never
//	                  alerts; "@~:" always does, as check_range's last case
//	                  (lines 248-277).
//
// Perl rejects ":", "@:" and "@" (its pattern wants a digit or "~") and
// accepts "~:" as C does. A start above the end is an error in both (C
// returns NULL, lines 149-153), so an empty start before a negative end
// (":-5") is one; "~:-5" is meant.
//
// Everything else stays strict, so that a typo in a threshold is a
// configuration error rather than a silently different alert. C reads each
// number with strtod and ignores whatever follows it, so to C "10:20%" is
// 10:20, "1-10" is 0:1, "1:2:3" is 1:2, " ~:10" is 0:10 and "foo" is 0:0.
// The two differ on other number forms: strtod reads exponents in either
// case, hexadecimal, "inf" and "nan"; Perl's pattern ([-+]?[\d.]+ with an
// optional lower-case "e" part) reads 1e3 but not 1E3 or hexadecimal, and
// lets "1.2.3" through. Numbers are therefore plain decimals, which both
// read alike: no exponent, no leading or trailing ".", no hexadecimal, no
// "inf" or "nan", no unit or other text after them; one ":" at most and
// no whitespace anywhere.
func ParseRange(s string) (*Range, error) {
	if s == "" {
		return nil, nil
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return nil, rangeErrorf(s, "whitespace is not allowed")
	}
	body, inside := strings.CutPrefix(s, "@")
	if strings.Count(body, ":") > 1 {
		return nil, rangeErrorf(s, `only one ":" is allowed`)
	}
	// An end that is not given is +∞, as C's default (line 123).
	r := &Range{Inside: inside, End: math.Inf(1)}
	startText, endText, hasColon := strings.Cut(body, ":")
	if !hasColon {
		// The short form: "10" means "0:10", and "@" alone "@0:".
		startText, endText = "", body
	}
	switch startText {
	case "":
		// C's strtod of ":…" is 0.
	case "~":
		r.Start = math.Inf(-1)
	default:
		start, err := parseRangeNumber(startText)
		if err != nil {
			return nil, wrapRangeError(s, err)
		}
		r.Start = start
	}
	if endText == "" {
		return r, nil
	}
	end, err := parseRangeNumber(endText)
	if err != nil {
		return nil, wrapRangeError(s, err)
	}
	switch {
	case startText == "" && end < 0:
		hint := "~:" + endText
		if inside {
			hint = "@" + hint
		}
		return nil, rangeErrorf(s, "end %s is less than the implied start 0; write %q for no lower bound",
			formatRangeBound(end), hint)
	case r.Start > end:
		return nil, rangeErrorf(s, "start %s is greater than end %s",
			formatRangeBound(r.Start), formatRangeBound(end))
	}
	r.End = end
	return r, nil
}

// Alert reports whether v raises an alert for this range (outside [Start,End]
// inclusive ends, or inside with @). A nil Range is an unset threshold and
// never alerts. As in C's check_range, an infinite end holds every value on
// its side, so "~:" holds every value and never alerts (and "@~:" always
// does); NaN is outside any other range, so it alerts unless Inside is set.
func (r *Range) Alert(v float64) bool {
	if r == nil {
		return false
	}
	in := (math.IsInf(r.Start, -1) || r.Start <= v) && (math.IsInf(r.End, 1) || v <= r.End)
	return in == r.Inside
}

// Valid reports whether r is a range ParseRange can return: no NaN bound,
// a start that is finite or −∞, an end that is finite or +∞, and Start ≤
// End. Only such a range prints as text that parses back to it; a Range
// built by hand may be none.
func (r Range) Valid() bool {
	// A NaN bound fails the comparison.
	return !math.IsInf(r.Start, 1) && !math.IsInf(r.End, -1) && r.Start <= r.End
}

// String returns the canonical text, e.g. "10", "10:", "~:10", "10:20",
// "@10:20", "@~:5"; parsing it again yields an equal Range. A start of 0 with
// a finite end is omitted ("10" rather than "0:10"), the shortest form the
// guidelines allow. Numbers are printed in plain decimal, never in scientific
// notation. A Range unbounded on both sides prints as "~:".
func (r Range) String() string {
	var b strings.Builder
	if r.Inside {
		b.WriteByte('@')
	}
	endless := math.IsInf(r.End, 1)
	switch {
	case math.IsInf(r.Start, -1):
		b.WriteString("~:")
	case r.Start == 0 && !endless:
		// "0:10" is written "10".
	default:
		b.WriteString(formatRangeBound(r.Start))
		b.WriteByte(':')
	}
	if !endless {
		b.WriteString(formatRangeBound(r.End))
	}
	return b.String()
}

// Classify returns Critical if crit alerts for v, else Warning if warn alerts,
// else OK. Critical is checked first, as in the guidelines' examples where
// "-w10 -c20" is critical above 20 even though the warning range alerts too;
// nil ranges never alert.
func Classify(v float64, warn, crit *Range) State {
	if crit.Alert(v) {
		return Critical
	}
	if warn.Alert(v) {
		return Warning
	}
	return OK
}

// rangeErrorf formats an error about the range text s; every ParseRange error
// goes through here so the wording stays in one place.
func rangeErrorf(s, format string, args ...any) error {
	return fmt.Errorf("range %q: %s", s, fmt.Sprintf(format, args...))
}

// wrapRangeError adds the range text s to err, a reason from parseRangeNumber.
func wrapRangeError(s string, err error) error {
	return fmt.Errorf("range %q: %w", s, err)
}

// parseRangeNumber parses one bound, which must be a plain decimal number.
// Its errors are the reason only; the caller adds the range text.
func parseRangeNumber(s string) (float64, error) {
	if s == "~" {
		return 0, errors.New(`"~" (negative infinity) is only allowed as the start, before ":"`)
	}
	if !isPlainDecimal(s) {
		if _, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
			// Go would read it ("1e3", ".5", "inf", "0x10"), so the operator
			// probably meant a number: say which spellings are allowed.
			return 0, fmt.Errorf("%q is not a plain decimal number; write digits with an optional sign and fraction, like -1.5", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Only overflow is possible here: the syntax is already checked.
		return 0, fmt.Errorf("%q is out of range for a 64-bit float", s)
	}
	if f == 0 {
		f = 0 // "-0" is 0: keeps String from printing "-0"
	}
	return f, nil
}

// isPlainDecimal reports whether s is ["+"|"-"] digits ["." digits].
func isPlainDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// formatRangeBound prints a finite bound in plain decimal with the fewest
// digits that parse back to the same float64.
func formatRangeBound(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
