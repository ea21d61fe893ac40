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

// ParseRange parses s. The empty string means "not set" and returns (nil, nil).
//
// The grammar is strict, so that a typo in a threshold is a configuration
// error rather than a silently different alert:
//
//	range  = ["@"] ( end | start ":" [end] )
//	start  = "~" | number
//	end    = number
//	number = ["+" | "-"] digits ["." digits]
//
// Numbers are plain decimals: no exponent, no leading or trailing ".", no
// hexadecimal, no "inf" or "nan", and no whitespace anywhere. The guidelines
// do not define a form with an empty start, so ":10" and ":" are rejected
// rather than guessed at; write "0:10" (or just "10") or "~:10". "~:" is
// rejected too: a range unbounded on both sides is not a threshold.
func ParseRange(s string) (*Range, error) {
	if s == "" {
		return nil, nil
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return nil, rangeErrorf(s, "whitespace is not allowed")
	}
	body, inside := strings.CutPrefix(s, "@")
	if body == "" {
		return nil, rangeErrorf(s, `missing bounds after "@"`)
	}
	if strings.Count(body, ":") > 1 {
		return nil, rangeErrorf(s, `only one ":" is allowed`)
	}
	r := &Range{Inside: inside}
	startText, endText, hasColon := strings.Cut(body, ":")
	if !hasColon {
		// The guidelines' short form: "10" means "0:10".
		end, err := parseRangeNumber(body)
		if err != nil {
			return nil, wrapRangeError(s, err)
		}
		if end < 0 {
			hint := "~:" + body
			if inside {
				hint = "@" + hint
			}
			return nil, rangeErrorf(s, "end %s is less than the implied start 0; write %q for no lower bound",
				formatRangeBound(end), hint)
		}
		r.End = end
		return r, nil
	}
	switch startText {
	case "":
		return nil, rangeErrorf(s, `missing start before ":"; write a number, or "~" for negative infinity`)
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
		if math.IsInf(r.Start, -1) {
			return nil, rangeErrorf(s, `missing end after "~:"; a range unbounded on both sides is not a threshold`)
		}
		r.End = math.Inf(1)
		return r, nil
	}
	end, err := parseRangeNumber(endText)
	if err != nil {
		return nil, wrapRangeError(s, err)
	}
	if r.Start > end {
		return nil, rangeErrorf(s, "start %s is greater than end %s",
			formatRangeBound(r.Start), formatRangeBound(end))
	}
	r.End = end
	return r, nil
}

// Alert reports whether v raises an alert for this range (outside [Start,End]
// inclusive ends, or inside with @). A nil Range is an unset threshold and
// never alerts. NaN is never inside a range, so it alerts unless Inside is set.
func (r *Range) Alert(v float64) bool {
	if r == nil {
		return false
	}
	in := r.Start <= v && v <= r.End
	return in == r.Inside
}

// String returns the canonical text, e.g. "10", "10:", "~:10", "10:20",
// "@10:20", "@~:5"; parsing it again yields an equal Range. A start of 0 with
// a finite end is omitted ("10" rather than "0:10"), the shortest form the
// guidelines allow. Numbers are printed in plain decimal, never in scientific
// notation. A Range unbounded on both sides, which ParseRange never returns,
// prints as "~:".
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
