package output

import (
	"math"
	"strconv"
	"strings"

	"github.com/jsonprobe/jsonprobe/probe"
)

// PerfData formats the perfdata items, space-separated, in the given order.
//
// Each item is written as the monitoring-plugins guidelines define it,
// 'label'=value[UOM];warn;crit;min;max, with trailing empty fields left
// out:
//
//	goroutines=2156;~:2000;~:5000
//	memory.sys_mb=512MB
//	time=0.004s;~:1;~:5;0
//	'disk free'=12GB
//
// The label is quoted only when it holds a character other than letters,
// digits and "_.:/-"; a "'" in it is doubled. The guidelines forbid "=" in
// a label, and a "|", a line break or a control character would end the
// perfdata, so each of those becomes "_". Values, min and max are plain
// decimals, never scientific notation; warn and crit are written as
// canonical Nagios ranges. An item whose value is NaN or infinite cannot be
// written and is left out; a threshold, min or max that is not a valid
// range or number is left empty rather than corrupting the line, and a UOM
// that is not made of letters and "%" is dropped.
func PerfData(items []probe.Perf) string {
	var b strings.Builder
	for _, p := range items {
		item, ok := perfItem(p)
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(item)
	}
	return b.String()
}

// perfItem formats one item; ok is false when its value cannot be written.
func perfItem(p probe.Perf) (item string, ok bool) {
	if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
		return "", false
	}
	fields := []string{
		perfNumber(p.Value) + perfUOM(p.UOM),
		perfRange(p.Warn),
		perfRange(p.Crit),
		perfBound(p.Min),
		perfBound(p.Max),
	}
	for len(fields) > 1 && fields[len(fields)-1] == "" {
		fields = fields[:len(fields)-1]
	}
	return perfLabel(p.Label) + "=" + strings.Join(fields, ";"), true
}

// perfLabel sanitises and, when needed, quotes a label.
func perfLabel(s string) string {
	s = strings.ToValidUTF8(s, "_")
	s = strings.Map(func(r rune) rune {
		// "=" and "|" the guidelines forbid; ";" separates the fields,
		// and parsers that do not honour the quotes would split on it.
		if r == '=' || r == '|' || r == ';' || isBreaking(r) {
			return '_'
		}
		return r
	}, s)
	if s == "" {
		// An empty label cannot be told apart from a missing one.
		return "_"
	}
	for _, r := range s {
		if !isBareLabelRune(r) {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
	}
	return s
}

// isBareLabelRune reports whether r may appear in an unquoted label.
func isBareLabelRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("_.:/-", r)
}

// perfNumber writes f in plain decimal; -0 is written 0.
func perfNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// perfUOM returns uom when it cannot break the item's syntax, else "". The
// guidelines list s, ms, us, %, B, KB, MB, TB and c; Icinga also reads
// units such as GB, KiB or packets, so any run of letters and "%" is kept.
func perfUOM(uom string) string {
	if uom == "" || len(uom) > 16 {
		return ""
	}
	for i := 0; i < len(uom); i++ {
		c := uom[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '%') {
			return ""
		}
	}
	return uom
}

// perfRange returns r as a canonical Nagios range, or "" when r is nil or
// not a range that any text parses to.
func perfRange(r *probe.Range) string {
	if r == nil || !r.Valid() {
		return ""
	}
	return r.String()
}

// perfBound returns s as a plain decimal, or "" when s is empty or not a
// finite number.
func perfBound(s string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return perfNumber(f)
}
