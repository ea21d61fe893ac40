package expr

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Env is what an expression is evaluated against: the document and the facts
// the caller measured while fetching it.
type Env struct {
	// Doc is the JSON document; the caller has validated it.
	Doc string
	// Status, Time, Size and CertDays are the probe facts $status (HTTP
	// status code), $time (seconds to fetch), $size (body bytes) and
	// $cert_days (days until the earliest certificate expiry). A nil field
	// is a fact that this probe does not have, such as $status when reading
	// a file or $cert_days over plain http.
	Status, Time, Size, CertDays *float64
	// Now is the time age() measures against, and the end of the windows of
	// the window functions; the zero value means time.Now().
	Now time.Time
	// History holds the earlier values of the document's paths, for the
	// window functions (growth(goroutines, 1h)); nil means none.
	History History

	cache map[string]gjson.Result // see Preload
}

// Sample is one recorded value of a path.
type Sample struct {
	Time  time.Time
	Value float64
}

// History is where the window functions read a path's samples. The newest
// sample is the path's current value: the caller records the document's
// value before evaluating.
type History interface {
	// Samples returns the path's samples, oldest first.
	Samples(path string) []Sample
}

// Observation is a value that an evaluation read, for reports such as
// "(got 2156)". For each comparison evaluated, in order, Trace gives first
// its left side as a whole (for arithmetic, the number computed), then each
// value read inside the comparison: the paths, facts and functions of an
// arithmetic left side, then the $.paths and $facts of the right side, with
// Part set. Literals are never observations.
type Observation struct {
	Subject string // as written canonically: "goroutines", "$time", "len(items)", "a / b", "$.memory.sys_mb"
	Path    string // the document path when the subject is a plain path (or a right-hand $.path), else ""
	Value   Value
	Part    bool // a value read inside the comparison (an arithmetic factor or the right side), not its left side
}

// ErrorKind classifies why an expression could not be decided. Callers map
// every kind to the on_missing state; the kinds let them word it.
type ErrorKind uint8

// The kinds of evaluation error.
const (
	// ErrMissing: the path is not in the document, or the fact is not
	// available for this probe.
	ErrMissing ErrorKind = iota + 1
	// ErrNull: the value is null where another type is needed.
	ErrNull
	// ErrType: a scalar of the wrong type ("abc" where a number is needed)
	// or a value a function cannot use.
	ErrType
	// ErrNotScalar: an array or object where a single value is needed.
	ErrNotScalar
	// ErrHistory: a window function has too little history to decide
	// (fewer than two samples in the window, or samples spanning less than
	// half of it). This is not a problem with the document: callers should
	// not alert, and say so.
	ErrHistory
	// ErrArith: arithmetic over the document's values has no finite
	// result: a division (or %) by zero, or a result that is infinite or
	// NaN. Like ErrType, it belongs to the on_missing state.
	ErrArith
)

// EvalError is why an expression could not be decided: which operand, and
// what was found there.
type EvalError struct {
	Kind    ErrorKind
	Subject string // path, $fact, function call or arithmetic, as written canonically
	Got     string // what was found, e.g. `object`, `string "abc"`, or for ErrArith the problem ("division by zero"); empty for ErrMissing
	Want    string // what was needed, e.g. "number"
	Detail  string // optional further explanation
}

// Error returns e.g. "goroutines: not found", "memory: got object, want
// number" or "a / b: division by zero (b is 0)".
func (e *EvalError) Error() string {
	var msg string
	switch {
	case e.Kind == ErrHistory:
		msg = e.Subject + ": too little history (" + e.Got + ")"
	case e.Kind == ErrArith:
		msg = e.Subject + ": " + e.Got
	case e.Kind == ErrMissing && strings.HasPrefix(e.Subject, "$") && !strings.HasPrefix(e.Subject, "$."):
		msg = e.Subject + ": not available"
	case e.Kind == ErrMissing:
		msg = e.Subject + ": not found"
	default:
		msg = e.Subject + ": got " + e.Got
		if e.Want != "" {
			msg += ", want " + e.Want
		}
	}
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Eval decides the expression for env. The result is an error, never false,
// when an operand it needed was missing or of the wrong type; && and ||
// evaluate left to right and stop as soon as the result is known.
func (e *Expr) Eval(env *Env) (bool, error) {
	ok, err := e.root.eval(env, nil)
	if err != nil {
		e.explain(env, err)
	}
	return ok, err
}

// Trace is like Eval and also returns the values it read (see
// Observation): for each comparison evaluated, in order, its left side,
// then the values read inside it. When evaluation fails, the values read
// before the failure are returned with the error.
func (e *Expr) Trace(env *Env) (bool, []Observation, error) {
	var obs []Observation
	ok, err := e.root.eval(env, &obs)
	if err != nil {
		e.explain(env, err)
	}
	return ok, obs, err
}

// explain adds conditionHint to the error of an expression that is one
// operand and not a boolean (goroutines). The operand is read again for
// its value, which the error holds only as text; this runs only when
// evaluation failed.
func (e *Expr) explain(env *Env, err error) {
	c, isCmp := e.root.(*cmpNode)
	ee, isEval := err.(*EvalError)
	if !isCmp || !isEval || c.op != opNone || ee.Want != "boolean" || ee.Subject != c.lhsText() {
		return
	}
	if v, rerr := c.lhs.resolve(env); rerr == nil {
		ee.Detail = conditionHint(ee.Subject, v)
	}
}

func (n *orNode) eval(env *Env, tr *[]Observation) (bool, error) {
	l, err := n.l.eval(env, tr)
	if err != nil || l {
		return l, err
	}
	return n.r.eval(env, tr)
}

func (n *andNode) eval(env *Env, tr *[]Observation) (bool, error) {
	l, err := n.l.eval(env, tr)
	if err != nil || !l {
		return false, err
	}
	return n.r.eval(env, tr)
}

func (n *notNode) eval(env *Env, tr *[]Observation) (bool, error) {
	x, err := n.x.eval(env, tr)
	if err != nil {
		return false, err
	}
	return !x, nil
}

func (n *cmpNode) eval(env *Env, tr *[]Observation) (bool, error) {
	// The plain comparison of Eval (goroutines > 5000) reads its operand
	// and literal directly: left and right would copy each Value once more.
	var lhs, rhs Value
	var rhsSubject string
	var err error
	if n.lsum == nil && tr == nil {
		lhs, err = n.lhs.resolve(env)
	} else {
		lhs, err = n.left(env, tr)
	}
	if err != nil {
		return false, err
	}
	if n.rsum == nil && n.rhs.kind != litPath {
		rhs = n.rhs.value()
	} else if rhs, rhsSubject, err = n.right(env, tr); err != nil {
		return false, err
	}
	if n.lsum == nil && n.lhs.kind == opdFunc {
		switch n.lhs.fn {
		case fnAny, fnAll:
			return n.quantify(lhs, rhs, rhsSubject)
		case fnVersion:
			return n.compareVersion(lhs, rhs, rhsSubject)
		}
	}
	ok, bad := n.compare(lhs, rhs)
	if bad != nil {
		return false, n.blame(bad, lhs, rhs, rhsSubject)
	}
	return ok, nil
}

// left reads the left side: its operand, or the number its arithmetic
// computes. The left side as a whole is observed first, then the values
// read for its arithmetic; if the arithmetic fails, those read before the
// failure are observed.
func (n *cmpNode) left(env *Env, tr *[]Observation) (Value, error) {
	if n.lsum == nil {
		v, err := n.lhs.resolve(env)
		if err != nil {
			return v, err
		}
		if tr != nil {
			o := Observation{Subject: n.lhs.String(), Value: v}
			if n.lhs.kind == opdPath {
				o.Path = n.lhs.path
			}
			*tr = append(*tr, o)
		}
		return v, nil
	}
	if tr == nil {
		f, err := n.lsum.eval(env, nil)
		return Value{Kind: Number, Num: f}, err
	}
	var parts []Observation
	f, err := n.lsum.eval(env, &parts)
	if err != nil {
		*tr = append(*tr, parts...)
		return Value{}, err
	}
	v := Value{Kind: Number, Num: f}
	*tr = append(append(*tr, Observation{Subject: n.lsum.String(), Value: v}), parts...)
	return v, nil
}

// right reads the right side: a literal, the value at a $.path, or the
// number its arithmetic (or $fact) computes. rhsSubject names a $.path for
// errors; the values read are observed as parts.
func (n *cmpNode) right(env *Env, tr *[]Observation) (rhs Value, rhsSubject string, err error) {
	switch {
	case n.rsum != nil:
		f, err := n.rsum.eval(env, tr)
		return Value{Kind: Number, Num: f}, "", err
	case n.rhs.kind == litPath:
		rhsSubject = "$." + formatPath(n.rhs.path)
		r := env.lookup(n.rhs.path)
		if !r.Exists() {
			return Value{}, "", env.notFound(rhsSubject, n.rhs.path, "$.", true)
		}
		rhs = valueOf(r)
		if tr != nil {
			*tr = append(*tr, Observation{Subject: rhsSubject, Path: n.rhs.path, Value: rhs, Part: true})
		}
		return rhs, rhsSubject, nil
	}
	return n.rhs.value(), "", nil
}

// quantify applies the comparison to the elements of the array arr in
// order, stopping as soon as the answer is known, like && and ||: any() is
// true at the first element that matches, all() false at the first that does
// not. So any() of an empty array is false and all() true. An element of the
// wrong type, reached before the answer is known, is an error.
func (n *cmpNode) quantify(arr, rhs Value, rhsSubject string) (bool, error) {
	all := n.lhs.fn == fnAll
	result := all
	var err error
	i := 0
	gjson.Parse(arr.Raw).ForEach(func(_, el gjson.Result) bool {
		v := valueOf(el)
		ok, bad := n.compare(v, rhs)
		if bad != nil {
			if !bad.rhsWrong {
				err = typeError(fmt.Sprintf("%s[%d]", formatPath(n.lhs.path), i), v, bad.want)
			} else {
				err = n.blame(bad, v, rhs, rhsSubject)
			}
			return false
		}
		i++
		if ok != all {
			result = !all
			return false
		}
		return true
	})
	if err != nil {
		return false, err
	}
	return result, nil
}

// mismatch is a comparison that could not be made: which side was wrong and
// what it needed to be.
type mismatch struct {
	rhsWrong bool
	want     string
}

// blame turns a mismatch into an EvalError naming the side at fault: the
// left side, the $.path or arithmetic on the right, or else the whole
// comparison.
func (n *cmpNode) blame(m *mismatch, lhs, rhs Value, rhsSubject string) error {
	if !m.rhsWrong {
		return typeError(n.lhsText(), lhs, m.want)
	}
	if rhsSubject == "" && n.rsum != nil {
		rhsSubject = n.rsum.String()
	}
	if rhsSubject == "" {
		var b strings.Builder
		n.write(&b, precOr)
		rhsSubject = b.String()
	}
	return typeError(rhsSubject, rhs, m.want)
}

// conditionHint is said of an expression that is one operand and not a
// boolean: that a check wants a condition, with one over the value v found
// at subject as the example. A shell that is given -c goroutines > 5000
// unquoted passes -c goroutines and sends its output to a file named 5000,
// so the hint says to quote it without knowing what the shell took.
func conditionHint(subject string, v Value) string {
	var cond string
	switch v.Kind {
	case Number:
		cond = subject + " > " + v.String()
	case String:
		cond = subject + " != " + strconv.Quote(v.Str)
	case Null:
		cond = subject + " != null"
	default: // an array or object, only ever at a path
		cond = "len(" + subject + ") > 0"
	}
	return "a check needs a condition such as " + cond + "; in a shell, quote it"
}

// typeError reports that v, found at subject, is not what was wanted.
func typeError(subject string, v Value, want string) *EvalError {
	e := &EvalError{Subject: subject, Got: describe(v), Want: want}
	switch v.Kind {
	case Null:
		e.Kind = ErrNull
	case Array, Object:
		e.Kind = ErrNotScalar
	default:
		e.Kind = ErrType
	}
	return e
}

// describe names a value's type and, for scalars, the value itself:
// `string "abc"`, `number 5`, `object`.
func describe(v Value) string {
	switch v.Kind {
	case Null, Array, Object:
		return v.Kind.String()
	}
	return v.Kind.String() + " " + v.String()
}

// compare applies n's operator to lhs and rhs.
func (n *cmpNode) compare(lhs, rhs Value) (bool, *mismatch) {
	switch n.op {
	case opNone:
		if lhs.Kind != Bool {
			return false, &mismatch{want: "boolean"}
		}
		return lhs.Bool, nil
	case opMatch, opNoMatch:
		var s string
		switch lhs.Kind {
		case String:
			s = lhs.Str
		case Number:
			s = lhs.String()
		default:
			return false, &mismatch{want: "string"}
		}
		return n.re.MatchString(s) == (n.op == opMatch), nil
	case opContains:
		return contains(lhs, rhs)
	case opEq, opNe:
		eq, bad := equal(lhs, rhs)
		if bad != nil {
			return false, bad
		}
		return eq == (n.op == opEq), nil
	}
	c, bad := order(lhs, rhs)
	if bad != nil {
		return false, bad
	}
	return n.op.holds(c), nil
}

// wantOf names the type that rhs asks of the left side.
func wantOf(rhs Value) string {
	if rhs.Kind == Array || rhs.Kind == Object {
		return "a single value"
	}
	return rhs.Kind.String()
}

// equal is == : numbers (and numeric strings) by value, strings exactly,
// booleans and null as JSON. Comparing different types is a mismatch, except
// that anything may be compared with null.
func equal(lhs, rhs Value) (bool, *mismatch) {
	if rhs.Kind == Array || rhs.Kind == Object {
		return false, &mismatch{rhsWrong: true, want: "a single value"}
	}
	if rhs.Kind == Null {
		return lhs.Kind == Null, nil
	}
	switch lhs.Kind {
	case Null, Array, Object:
		return false, &mismatch{want: wantOf(rhs)}
	}
	switch rhs.Kind {
	case Bool:
		if lhs.Kind != Bool {
			return false, &mismatch{want: "boolean"}
		}
		return lhs.Bool == rhs.Bool, nil
	case String:
		if lhs.Kind == String {
			return lhs.Str == rhs.Str, nil
		}
	}
	c, bad := compareAsNumbers(lhs, rhs)
	return c == 0 && bad == nil, bad
}

// order compares for < <= > >=: numbers (and numeric strings) by value, two
// strings that are not both numbers by their bytes.
func order(lhs, rhs Value) (int, *mismatch) {
	switch rhs.Kind {
	case Null, Bool, Array, Object:
		return 0, &mismatch{rhsWrong: true, want: "number or string"}
	}
	switch lhs.Kind {
	case Null, Bool, Array, Object:
		return 0, &mismatch{want: wantOf(rhs)}
	}
	if lhs.Kind == String && rhs.Kind == String {
		_, _, ln := lhs.number()
		_, _, rn := rhs.number()
		if !ln || !rn {
			return strings.Compare(lhs.Str, rhs.Str), nil
		}
	}
	return compareAsNumbers(lhs, rhs)
}

// compareAsNumbers compares two scalars that must both be numbers or
// numeric strings.
func compareAsNumbers(lhs, rhs Value) (int, *mismatch) {
	a, ad, aok := lhs.number()
	b, bd, bok := rhs.number()
	if !aok {
		return 0, &mismatch{want: wantOf(rhs)}
	}
	if !bok {
		// A numeric left side against a non-numeric string literal.
		return 0, &mismatch{want: wantOf(rhs)}
	}
	return compareNumbers(a, ad, b, bd), nil
}

// contains is substring on strings and membership (by ==) on arrays.
func contains(lhs, rhs Value) (bool, *mismatch) {
	switch lhs.Kind {
	case String:
		if rhs.Kind != String {
			return false, &mismatch{rhsWrong: true, want: "string"}
		}
		return strings.Contains(lhs.Str, rhs.Str), nil
	case Array:
		if rhs.Kind == Array || rhs.Kind == Object {
			return false, &mismatch{rhsWrong: true, want: "a single value"}
		}
		found := false
		gjson.Parse(lhs.Raw).ForEach(func(_, el gjson.Result) bool {
			eq, bad := equal(valueOf(el), rhs)
			found = eq && bad == nil
			return !found
		})
		return found, nil
	}
	return false, &mismatch{want: "string or array"}
}

// resolve reads an operand's value.
func (o *operand) resolve(env *Env) (Value, error) {
	switch o.kind {
	case opdFact:
		p := [numFacts]*float64{env.Status, env.Time, env.Size, env.CertDays}[o.fact]
		if p == nil {
			return Value{}, &EvalError{Kind: ErrMissing, Subject: o.String(), Detail: factMissingReason(o.fact)}
		}
		return Value{Kind: Number, Num: *p}, nil
	case opdFunc:
		return o.call(env)
	}
	r := env.lookup(o.path)
	if !r.Exists() {
		return Value{}, env.notFound(o.String(), o.path, "", true)
	}
	return valueOf(r), nil
}

func factMissingReason(f fact) string {
	switch f {
	case factCertDays:
		return "the target is not https"
	case factStatus:
		return "the target is not http"
	}
	return "not measured for this target"
}

// call evaluates a function operand.
func (o *operand) call(env *Env) (Value, error) {
	if o.window > 0 {
		return o.windowCall(env)
	}
	r := env.lookup(o.path)
	if o.fn == fnExists {
		return Value{Kind: Bool, Bool: r.Exists()}, nil
	}
	subject := formatPath(o.path)
	if !r.Exists() {
		return Value{}, env.notFound(subject, o.path, "", false)
	}
	v := valueOf(r)
	switch o.fn {
	case fnLen:
		switch v.Kind {
		case String:
			return Value{Kind: Number, Num: float64(utf8.RuneCountInString(v.Str))}, nil
		case Array, Object:
			n := 0
			r.ForEach(func(_, _ gjson.Result) bool { n++; return true })
			return Value{Kind: Number, Num: float64(n)}, nil
		}
		return Value{}, typeError(subject, v, "array, object or string")
	case fnAny, fnAll:
		if v.Kind != Array {
			return Value{}, typeError(subject, v, "array")
		}
		return v, nil
	case fnVersion:
		// Compared as a version by the comparison, which names it.
		return v, nil
	case fnAge:
		return age(subject, v, env.Now)
	}
	return aggregate(o.fn, subject, v, r)
}

// aggregate computes min, max, sum or avg over an array of numbers (numeric
// strings count as numbers). min, max and avg of an empty array are errors;
// the sum of an empty array is 0.
func aggregate(fn function, subject string, v Value, r gjson.Result) (Value, error) {
	if v.Kind != Array {
		return Value{}, typeError(subject, v, "array of numbers")
	}
	var acc float64
	var err error
	n := 0
	r.ForEach(func(_, el gjson.Result) bool {
		ev := valueOf(el)
		f, _, ok := ev.number()
		if !ok {
			err = typeError(fmt.Sprintf("%s[%d]", subject, n), ev, "number")
			return false
		}
		switch {
		case n == 0 && fn != fnSum && fn != fnAvg:
			acc = f
		case fn == fnMin:
			acc = math.Min(acc, f)
		case fn == fnMax:
			acc = math.Max(acc, f)
		default:
			acc += f
		}
		n++
		return true
	})
	if err != nil {
		return Value{}, err
	}
	if n == 0 && fn != fnSum {
		return Value{}, &EvalError{Kind: ErrType, Subject: subject, Got: "empty array", Want: "at least one number"}
	}
	if fn == fnAvg {
		acc /= float64(n)
	}
	return Value{Kind: Number, Num: acc}, nil
}

// timeLayouts are the timestamp forms age() reads: RFC 3339; the same
// with a space for the "T" (as Python prints it), with an offset without
// a colon (+0000, as strftime's %z prints it) or with no zone, which is
// UTC; an ISO 8601 date alone (midnight UTC); and RFC 1123 (HTTP-dates, in
// GMT, or with a numeric zone). Fractions of a second are optional
// wherever there are seconds.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
	// Only GMT (and UTC) by name: Go reads other zone names it does not
	// know as UTC, silently.
	"Mon, 02 Jan 2006 15:04:05 GMT",
	"Mon, 02 Jan 2006 15:04:05 UTC",
	time.RFC1123Z,
}

// wantTimestamp is what age() needs, for error messages.
const wantTimestamp = "timestamp (RFC 3339 or ISO 8601 date, RFC 1123, Unix seconds or milliseconds)"

// unixMillisFrom is the magnitude from which a Unix timestamp is read as
// milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
const unixMillisFrom = 1e11

// age returns the seconds from the timestamp v to now.
func age(subject string, v Value, now time.Time) (Value, error) {
	if now.IsZero() {
		now = time.Now()
	}
	if f, _, ok := v.number(); ok && !math.IsInf(f, 0) {
		if math.Abs(f) >= unixMillisFrom {
			f /= 1000
		}
		sec := float64(now.UnixNano())/1e9 - f
		return Value{Kind: Number, Num: sec}, nil
	}
	if v.Kind != String {
		return Value{}, typeError(subject, v, wantTimestamp)
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, v.Str); err == nil {
			return Value{Kind: Number, Num: now.Sub(t).Seconds()}, nil
		}
	}
	return Value{}, typeError(subject, v, wantTimestamp)
}

// Fact returns a pointer to f, for filling Env's optional facts.
func Fact(f float64) *float64 { return &f }

// windowCall evaluates a window function over the path's samples that are
// newer than Now minus the window.
func (o *operand) windowCall(env *Env) (Value, error) {
	now := env.Now
	if now.IsZero() {
		now = time.Now()
	}
	var all []Sample
	if env.History != nil {
		all = env.History.Samples(o.path)
	}
	from := now.Add(-time.Duration(o.window * float64(time.Second)))
	// Samples come oldest first: the window is a slice of them, found by
	// binary search (a long-running probe holds thousands).
	lo := sort.Search(len(all), func(i int) bool { return all[i].Time.After(from) })
	hi := sort.Search(len(all), func(i int) bool { return all[i].Time.After(now) })
	var win []Sample
	if lo < hi {
		win = all[lo:hi]
	}
	span := 0.0
	if len(win) > 0 {
		span = win[len(win)-1].Time.Sub(win[0].Time).Seconds()
	}
	if len(win) < 2 || span < o.window/2 {
		return Value{}, &EvalError{Kind: ErrHistory, Subject: o.String(), Got: historyText(len(win), span)}
	}
	if o.fn == fnGrowth && win[0].Value == 0 {
		return Value{}, &EvalError{Kind: ErrType, Subject: o.String(), Got: "oldest sample 0", Want: "a nonzero oldest sample to compare with"}
	}
	return Value{Kind: Number, Num: o.fold(win, span)}, nil
}

// fold is the window function of win, samples over span seconds.
func (o *operand) fold(win []Sample, span float64) float64 {
	first, last := win[0], win[len(win)-1]
	f := 0.0
	switch o.fn {
	case fnDelta:
		f = last.Value - first.Value
	case fnGrowth:
		f = (last.Value - first.Value) / math.Abs(first.Value) * 100
	case fnRate:
		// As rate() in time-series databases: a drop is a counter
		// reset, after which the new value counts as increase from 0.
		for i := 1; i < len(win); i++ {
			if d := win[i].Value - win[i-1].Value; d >= 0 {
				f += d
			} else {
				f += win[i].Value
			}
		}
		f /= span
	case fnMin, fnMax:
		f = first.Value
		for _, s := range win[1:] {
			if o.fn == fnMin {
				f = math.Min(f, s.Value)
			} else {
				f = math.Max(f, s.Value)
			}
		}
	default: // fnAvg
		for _, s := range win {
			f += s.Value
		}
		f /= float64(len(win))
	}
	return f
}

// historyText says how much history there is: "2 samples over 5m".
func historyText(n int, span float64) string {
	unit := "samples"
	if n == 1 {
		unit = "sample"
	}
	if n < 2 {
		return fmt.Sprintf("%d %s", n, unit)
	}
	return fmt.Sprintf("%d %s over %s", n, unit, formatSpan(span))
}

// formatSpan prints seconds as a short duration: 90s is "1m30s", 3600s
// "1h".
func formatSpan(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "" {
		return "0s"
	}
	return s
}
