package probe

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// ParseTimeout reads a deadline: Go duration syntax ("10s", "1m30s") or a
// plain number of seconds ("10", "2.5"), as plugins take -t.
func ParseTimeout(s string) (time.Duration, error) {
	var d time.Duration
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) {
		if f > maxTimeout.Seconds() {
			return 0, fmt.Errorf("timeout %q: at most %s", s, maxTimeout)
		}
		d = time.Duration(f * float64(time.Second))
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, fmt.Errorf("timeout %q: want seconds (10) or a duration (10s, 1m)", s)
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("timeout %q: must be greater than 0", s)
	case d > maxTimeout:
		return 0, fmt.Errorf("timeout %q: at most %s", s, maxTimeout)
	}
	return d, nil
}

// maxTimeout bounds -t: a probe is one fetch, and a day is far beyond any
// plugin timeout a core would allow.
const maxTimeout = 24 * time.Hour

// ParseState reads a plugin state name for on_error and on_missing: ok,
// warning, critical or unknown, in any case.
func ParseState(s string) (State, error) {
	switch strings.ToLower(s) {
	case "ok":
		return OK, nil
	case "warning", "warn":
		return Warning, nil
	case "critical", "crit":
		return Critical, nil
	case "unknown":
		return Unknown, nil
	}
	return Unknown, fmt.Errorf("state %q: want ok, warning, critical or unknown", s)
}

// StateNames are the names ParseState reads, as the options list them.
func StateNames() []string { return []string{"ok", "warning", "critical", "unknown"} }

// ParseSize reads a byte count for --max-body: the sizes of expressions
// (expr.ParseBytes: "16MiB", "1.5GB", "512kB", "1048576"), and for the
// option's older spellings the bare binary suffixes K, M and G ("1G" is
// 1GiB), which expressions leave out because 1m is a minute there.
func ParseSize(s string) (int64, error) {
	f, ok := expr.ParseBytes(s)
	for i, suffix := range []string{"K", "M", "G"} {
		if num, cut := strings.CutSuffix(s, suffix); cut && !ok {
			var n float64
			if n, ok = expr.ParseBytes(strings.TrimSpace(num)); ok {
				f = n * float64(int64(1)<<(10*(i+1)))
			}
		}
	}
	if !ok || !(f >= 1) || f > 1<<40 {
		return 0, fmt.Errorf("size %q: want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576", s)
	}
	return int64(f), nil
}

// ParseStatusList reads accepted HTTP status codes: "200", "200,204",
// "2xx", "200-299", or a mix.
func ParseStatusList(s string) (StatusSet, error) {
	var set StatusSet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		r, ok := parseStatusRange(part)
		if !ok {
			return nil, fmt.Errorf("expect_status %q: %q is not a status code, class (2xx) or range (200-299)", s, part)
		}
		set = append(set, r)
	}
	return set, nil
}

func parseStatusRange(s string) (StatusRange, bool) {
	if len(s) == 3 && strings.HasSuffix(strings.ToLower(s), "xx") && s[0] >= '1' && s[0] <= '5' {
		lo := int(s[0]-'0') * 100
		return StatusRange{lo, lo + 99}, true
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || l < 100 || h > 599 || l > h {
		return StatusRange{}, false
	}
	return StatusRange{l, h}, true
}

// String writes the set back as it is written on the command line.
func (s StatusSet) String() string {
	if len(s) == 0 {
		return "2xx"
	}
	var parts []string
	for _, r := range s {
		switch {
		case r.Lo == r.Hi:
			parts = append(parts, strconv.Itoa(r.Lo))
		case r.Lo%100 == 0 && r.Hi == r.Lo+99:
			parts = append(parts, strconv.Itoa(r.Lo/100)+"xx")
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", r.Lo, r.Hi))
		}
	}
	return strings.Join(parts, ",")
}

// uoms are the perfdata units of the monitoring-plugins guidelines (plus GB).
var uoms = []string{"", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"}

// checkUOM rejects a unit that monitoring cores would not accept.
func checkUOM(u string) error {
	for _, ok := range uoms {
		if u == ok {
			return nil
		}
	}
	return fmt.Errorf("unit %q: want one of s, ms, us, %%, B, KB, MB, GB, TB, c", u)
}

// AddRedactParam adds a query parameter name whose values are secrets
// (--redact-param, redact_params:): a whole name, as it stands before "="
// in a query.
func (c *Config) AddRedactParam(name string) error {
	if name == "" || strings.ContainsAny(name, "=&#? \t") {
		return fmt.Errorf("%q: want a query parameter name, as it stands before = in a URL", name)
	}
	c.RedactParams = append(c.RedactParams, name)
	return nil
}

// AddCheck adds a -w or -c expression from the command line. It may be
// named with a "NAME: " prefix (-c 'consul critical: #.Checks|@flatten|#(Status=="critical")#|# > 0');
// unnamed, it is named for its operand. A warning and a critical
// expression of the same name (-w 'goroutines > 2000' -c 'goroutines >
// 5000') become one check.
func (c *Config) AddCheck(level, src string) error {
	name, src := splitName(src)
	if strings.TrimSpace(src) == "" {
		// No check at this level: check_jsonprobe!URL!!5000 is
		// critical-only, and so is '$ARG1$: $ARG2$' with ARG2 empty.
		return nil
	}
	e, err := expr.Parse(src)
	if err != nil {
		if before, _, ok := strings.Cut(src, ": "); ok && name == "" && strings.Contains(before, " ") {
			return fmt.Errorf("%w (a check's name before \": \" holds no quotes, brackets or operator characters)", err)
		}
		return err
	}
	if name == "" {
		name = checkName(e)
	}
	for i := range c.Checks {
		ch := &c.Checks[i]
		if ch.Name != name {
			continue
		}
		if level == "critical" && ch.Critical == nil {
			ch.Critical = e
			return nil
		}
		if level == "warning" && ch.Warning == nil {
			ch.Warning = e
			return nil
		}
	}
	ch := Check{Name: name}
	if level == "critical" {
		ch.Critical = e
	} else {
		ch.Warning = e
	}
	c.Checks = append(c.Checks, ch)
	return nil
}

// ParseMetric reads a -m spec, written like perfdata:
// PATH[=LABEL][;WARN;CRIT[;MIN;MAX]], WARN and CRIT in Nagios range syntax.
// A unit may follow the label in brackets: memory.sys_mb=sys[MB].
func ParseMetric(spec string) (Metric, error) {
	fields := splitOutside(spec, ';')
	if len(fields) > 5 {
		return Metric{}, fmt.Errorf("metric %q: too many fields, want PATH[=LABEL][;WARN;CRIT[;MIN;MAX]]", spec)
	}
	for len(fields) < 5 {
		fields = append(fields, "")
	}
	m := Metric{Path: fields[0], Min: fields[3], Max: fields[4]}
	if i := labelSep(m.Path); i >= 0 {
		m.Path, m.Label = m.Path[:i], m.Path[i+1:]
	}
	if l, u, ok := strings.Cut(m.Label, "["); ok && strings.HasSuffix(u, "]") {
		m.Label, m.UOM = l, strings.TrimSuffix(u, "]")
	}
	if err := m.validate(fields[1], fields[2]); err != nil {
		return Metric{}, fmt.Errorf("metric %q: %w", spec, err)
	}
	return m, nil
}

// validate parses the ranges and checks the rest of a metric.
func (m *Metric) validate(warn, crit string) error {
	if m.Path == "" {
		return errors.New("missing path")
	}
	if reservedLabels[m.Label] {
		return fmt.Errorf("label %q is the fetch's own; choose another", m.Label)
	}
	if _, err := expr.Parse("exists(" + m.Path + ")"); err != nil {
		return fmt.Errorf("path %q is not a valid path", m.Path)
	}
	var err error
	if m.Warn, err = expr.ParseRange(warn); err != nil {
		return err
	}
	if m.Crit, err = expr.ParseRange(crit); err != nil {
		return err
	}
	for _, b := range []string{m.Min, m.Max} {
		if b == "" {
			continue
		}
		if _, err := strconv.ParseFloat(b, 64); err != nil || strings.ContainsAny(b, "eExXnN") {
			return fmt.Errorf("min/max %q: want a plain number", b)
		}
	}
	return checkUOM(m.UOM)
}

// labelSep finds the "=" that separates PATH from LABEL: the last one outside
// brackets and quotes that is not part of "==".
func labelSep(s string) int {
	idx := -1
	walkOutside(s, func(i int) {
		if s[i] == '=' && (i == 0 || s[i-1] != '=' && s[i-1] != '!') && (i+1 >= len(s) || s[i+1] != '=') {
			idx = i
		}
	})
	return idx
}

// splitOutside splits s at sep where it stands outside brackets and quotes,
// so that gjson queries keep their operators.
func splitOutside(s string, sep byte) []string {
	var parts []string
	last := 0
	walkOutside(s, func(i int) {
		if s[i] == sep {
			parts = append(parts, s[last:i])
			last = i + 1
		}
	})
	return append(parts, s[last:])
}

// walkOutside calls fn with the index of every byte of s outside brackets
// and double-quoted strings.
func walkOutside(s string, fn func(i int)) {
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
		case quoted:
			quoted = c != '"'
		case c == '"':
			quoted = true
		case c == '(' || c == '[' || c == '{':
			depth++
		case (c == ')' || c == ']' || c == '}') && depth > 0:
			depth--
		case depth == 0:
			fn(i)
		}
	}
}

// splitName cuts the "NAME: " prefix off a command-line expression. The
// name is the text before the first ": " when it holds none of the
// characters of quotes, brackets or operators, so that no expression is
// misread: a path ends at white space, and ": " stands in an expression
// only inside a string or a query. A key that ends in ":" is written in
// backticks.
func splitName(src string) (name, rest string) {
	i := strings.Index(src, ": ")
	if i < 0 && strings.HasSuffix(src, ":") {
		i = len(src) - 1 // "disk:" with nothing after: a name, no expression
	}
	if i <= 0 || strings.ContainsAny(src[:i], "\"'`()[]{}=<>!&|~$#@*?,") {
		return "", src
	}
	name = strings.TrimSpace(src[:i])
	if name == "" {
		return "", src
	}
	return name, strings.TrimPrefix(src[i+1:], " ")
}

// checkName names a check that has no name: for the operand of a single
// comparison ("goroutines"), else for its first expression as written.
func checkName(exprs ...*expr.Expr) string {
	for _, e := range exprs {
		if e == nil {
			continue
		}
		if subject := e.Subject(); subject != "" {
			return subject
		}
		return e.String()
	}
	return ""
}
