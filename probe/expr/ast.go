package expr

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Precedence levels, loosest first, for printing the canonical form.
const (
	precOr = iota + 1
	precAnd
	precUnary
)

// node is one element of a parsed expression.
type node interface {
	eval(env *Env, tr *[]Observation) (bool, error)
	write(b *strings.Builder, prec int)
}

type orNode struct{ l, r node }

type andNode struct{ l, r node }

type notNode struct{ x node }

// cmpNode is a comparison, or with op == opNone an operand on its own that
// must be a boolean.
type cmpNode struct {
	lhs operand
	op  opKind
	rhs literal
	re  *regexp.Regexp // for =~ and !~, compiled at parse time
	// lsum is the left side when it is arithmetic (a - b > 5); lhs is then
	// unused. rsum is the right side when it is arithmetic or a $fact
	// (a > $.b * 2, a > $time); rhs is then unused.
	lsum, rsum *sum
	// ver is the version literal on the right of version(p), parsed with
	// the expression; nil for a $.path.
	ver *version
}

// lhsText is the left side as written canonically: "goroutines",
// "len(items)", "memory.alloc_mb / memory.sys_mb".
func (n *cmpNode) lhsText() string {
	if n.lsum != nil {
		return n.lsum.String()
	}
	return n.lhs.String()
}

// reads calls fn for every value the comparison reads, left to right: its
// operand or the values of its left arithmetic, then the $.path or the
// values of its right arithmetic.
func (n *cmpNode) reads(fn func(operand)) {
	if n.lsum != nil {
		n.lsum.reads(fn)
	} else {
		fn(n.lhs)
	}
	switch {
	case n.rsum != nil:
		n.rsum.reads(fn)
	case n.rhs.kind == litPath:
		fn(operand{kind: opdPath, path: n.rhs.path})
	}
}

func (n *orNode) write(b *strings.Builder, prec int) {
	writeBinary(b, prec, precOr, " || ", n.l, n.r)
}

func (n *andNode) write(b *strings.Builder, prec int) {
	writeBinary(b, prec, precAnd, " && ", n.l, n.r)
}

// writeBinary prints a left-associative binary node: a right operand of the
// same precedence keeps its parentheses so the tree reads back the same.
func writeBinary(b *strings.Builder, prec, own int, op string, l, r node) {
	if prec > own {
		b.WriteByte('(')
	}
	l.write(b, own)
	b.WriteString(op)
	r.write(b, own+1)
	if prec > own {
		b.WriteByte(')')
	}
}

func (n *notNode) write(b *strings.Builder, _ int) {
	b.WriteByte('!')
	if c, ok := n.x.(*cmpNode); ok && c.op != opNone {
		b.WriteByte('(')
		c.write(b, precOr)
		b.WriteByte(')')
		return
	}
	n.x.write(b, precUnary)
}

func (n *cmpNode) write(b *strings.Builder, _ int) {
	if n.lsum != nil {
		n.lsum.write(b, precSum)
	} else {
		b.WriteString(n.lhs.String())
	}
	if n.op == opNone {
		return
	}
	b.WriteByte(' ')
	b.WriteString(n.op.String())
	b.WriteByte(' ')
	if n.rsum != nil {
		n.rsum.write(b, precSum)
	} else {
		b.WriteString(n.rhs.String())
	}
}

// opKind is a comparison operator.
type opKind uint8

const (
	opNone opKind = iota
	opEq
	opNe
	opGt
	opGe
	opLt
	opLe
	opMatch
	opNoMatch
	opContains
)

// opTable lists the operators longest first, so that ">=" wins over ">".
var opTable = []struct {
	text string
	op   opKind
}{
	{"==", opEq}, {"!=", opNe}, {">=", opGe}, {"<=", opLe}, {"=~", opMatch},
	{"!~", opNoMatch}, {">", opGt}, {"<", opLt}, {"contains", opContains},
}

func (o opKind) String() string {
	for _, t := range opTable {
		if t.op == o {
			return t.text
		}
	}
	return ""
}

func (o opKind) ordering() bool { return o >= opGt && o <= opLe }

// holds applies an equality or ordering operator to c, the result of a
// comparison (-1, 0 or 1).
func (o opKind) holds(c int) bool {
	switch o {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	}
	return c <= 0
}

// operandKind tells what the left side of a comparison reads.
type operandKind uint8

const (
	opdPath operandKind = iota
	opdFact
	opdFunc
)

// operand is the left side of a comparison: a path, a probe fact or a
// function over a path.
type operand struct {
	kind operandKind
	path string
	fact fact
	fn   function
	// window is the span of a window function (growth(p, 1h)) in seconds,
	// 0 for a function over the document; windowRaw is the duration as
	// written.
	window    float64
	windowRaw string
}

// String prints the operand as it is written in an expression; it is also
// the subject named in evaluation errors.
func (o operand) String() string {
	switch o.kind {
	case opdFact:
		return "$" + o.fact.String()
	case opdFunc:
		if o.windowRaw != "" {
			return o.fn.String() + "(" + formatPath(o.path) + ", " + o.windowRaw + ")"
		}
		return o.fn.String() + "(" + formatPath(o.path) + ")"
	}
	return formatPath(o.path)
}

// fact is a probe fact: a number the caller measured, not part of the
// document.
type fact uint8

const (
	factStatus fact = iota
	factTime
	factSize
	factCertDays
	numFacts
)

var factNames = [numFacts]string{"status", "time", "size", "cert_days"}

func (f fact) String() string { return factNames[f] }

func factByName(name string) (fact, bool) {
	for i, n := range factNames {
		if n == name {
			return fact(i), true
		}
	}
	return 0, false
}

func factList() string {
	var names []string
	for _, n := range factNames {
		names = append(names, "$"+n)
	}
	return strings.Join(names, ", ")
}

// function is one of the functions an operand may call.
type function uint8

const (
	fnExists function = iota
	fnLen
	fnMin
	fnMax
	fnSum
	fnAvg
	fnAny
	fnAll
	fnAge
	fnDelta
	fnRate
	fnGrowth
	fnVersion
	numFuncs
)

var funcNames = [numFuncs]string{"exists", "len", "min", "max", "sum", "avg", "any", "all", "age", "delta", "rate", "growth", "version"}

// numeric reports whether the function gives a number, which arithmetic
// can use: not exists(), any(), all() or version().
func (f function) numeric() bool {
	switch f {
	case fnExists, fnAny, fnAll, fnVersion:
		return false
	}
	return true
}

// windowed tells how a function takes a window argument: never, always
// (delta, rate, growth) or optionally (min, max, avg: over an array without
// one, over the path's history with one).
func (f function) windowed() (allowed, required bool) {
	switch f {
	case fnDelta, fnRate, fnGrowth:
		return true, true
	case fnMin, fnMax, fnAvg:
		return true, false
	}
	return false, false
}

func (f function) String() string { return funcNames[f] }

func funcByName(name string) (function, bool) {
	for i, n := range funcNames {
		if n == name {
			return function(i), true
		}
	}
	return 0, false
}

func funcList() string {
	var names []string
	for _, n := range funcNames {
		names = append(names, n+"()")
	}
	return strings.Join(names, ", ")
}

// literalKind tells what the right side of a comparison holds.
type literalKind uint8

const (
	litNumber literalKind = iota
	litString
	litBool
	litNull
	litPath
)

// literal is the right side of a comparison.
type literal struct {
	kind     literalKind
	raw      string  // litNumber, litBool, litNull: the text as written
	num      float64 // litNumber: the value; durations in seconds, sizes in bytes
	duration bool    // litNumber written as a duration
	size     bool    // litNumber written as a size (3GiB)
	str      string  // litString
	b        bool    // litBool
	path     string  // litPath, without the "$." prefix
}

// String prints the literal in canonical form: strings always in double
// quotes, numbers and durations as written.
func (l literal) String() string {
	switch l.kind {
	case litString:
		return strconv.Quote(l.str)
	case litPath:
		return "$." + formatPath(l.path)
	}
	return l.raw
}

// value returns the literal as a Value; for litPath it is resolved by the
// caller.
func (l literal) value() Value {
	switch l.kind {
	case litNumber:
		if l.duration || l.size {
			return Value{Kind: Number, Num: l.num}
		}
		return Value{Kind: Number, Num: l.num, Raw: l.raw}
	case litString:
		return Value{Kind: String, Str: l.str}
	case litBool:
		return Value{Kind: Bool, Bool: l.b}
	}
	return Value{Kind: Null}
}

// Range returns the Nagios range equivalent to the expression when it is a
// single comparison with a number literal (> N is ~:N, >= N is @N:, < N is
// N:, <= N is @~:N), with its left side as written canonically (an operand
// or arithmetic), so that perfdata can carry the threshold. Any other
// expression has none (ok is false).
func (e *Expr) Range() (subject string, r Range, ok bool) {
	c, isCmp := e.root.(*cmpNode)
	if !isCmp || c.rsum != nil || c.rhs.kind != litNumber || !c.op.ordering() {
		return "", Range{}, false
	}
	switch {
	case c.lsum == nil && c.lhs.kind == opdFunc && !c.lhs.fn.numeric():
		return "", Range{}, false
	case math.IsInf(c.rhs.num, 0):
		return "", Range{}, false
	}
	n, inf := c.rhs.num, math.Inf(1)
	if n == 0 {
		n = 0 // "-0" is 0, as ParseRange makes it: x > -0 prints "~:0", not "~:-0"
	}
	switch c.op {
	case opGt:
		r = Range{Start: -inf, End: n}
	case opGe:
		r = Range{Start: n, End: inf, Inside: true}
	case opLt:
		r = Range{Start: n, End: inf}
	default:
		r = Range{Start: -inf, End: n, Inside: true}
	}
	return c.lhsText(), r, true
}

// Simple reports whether the expression is a single comparison of an
// operand with a value (goroutines > 5000), whose report can be written as
// "goroutines=5234 > 5000".
func (e *Expr) Simple() bool {
	c, ok := e.root.(*cmpNode)
	return ok && c.op != opNone
}

// Subject returns the left side, as written canonically, of an expression
// that is a single comparison or a lone operand ("goroutines" for
// goroutines > 5000, "memory.alloc_mb / memory.sys_mb" for
// memory.alloc_mb / memory.sys_mb > 0.9), or "" for an expression joined
// with &&, || or !.
func (e *Expr) Subject() string {
	if c, ok := e.root.(*cmpNode); ok {
		return c.lhsText()
	}
	return ""
}

// SubjectPath returns the document path of an expression that is a single
// comparison or a lone operand whose left side is one plain path
// ("memory.alloc_mb" for memory.alloc_mb > 3072, also for $.memory.alloc_mb
// > 3072). ok is false when the left side is a function, a probe fact or
// arithmetic, and for an expression joined with &&, || or !.
func (e *Expr) SubjectPath() (path string, ok bool) {
	if c, isCmp := e.root.(*cmpNode); isCmp && c.lsum == nil && c.lhs.kind == opdPath {
		return c.lhs.path, true
	}
	return "", false
}
