package expr

import (
	"math"
	"strconv"
	"strings"
)

// arithOp is an arithmetic operator.
type arithOp uint8

const (
	arNone arithOp = iota
	arAdd
	arSub
	arMul
	arDiv
	arMod
)

var arithText = [...]string{"", "+", "-", "*", "/", "%"}

func (o arithOp) String() string { return arithText[o] }

// Precedence levels of arithmetic, loosest first, for printing.
const (
	precSum = iota + 1
	precProduct
	precFactor
)

func (o arithOp) prec() int {
	switch o {
	case arAdd, arSub:
		return precSum
	case arMul, arDiv, arMod:
		return precProduct
	}
	return precFactor
}

// sum is an arithmetic expression: l op r, or with op arNone a single
// factor f.
type sum struct {
	op   arithOp
	l, r *sum
	f    factor
}

// factor is a leaf of an arithmetic expression: a number, duration or size
// literal, or a value read from the document or the probe.
type factor struct {
	lit    *literal // the literal (kind litNumber); nil for a value read
	read   operand  // a path, $fact or function when lit is nil
	dollar bool     // read is a path written as $.path, on the right side
}

// String prints the expression in canonical form: single spaces around
// the operators, parentheses only where needed.
func (s *sum) String() string {
	var b strings.Builder
	s.write(&b, precSum)
	return b.String()
}

// write prints s; a right operand of the same precedence keeps its
// parentheses (a - (b - c)) so that the tree reads back the same.
func (s *sum) write(b *strings.Builder, prec int) {
	if s.op == arNone {
		b.WriteString(s.f.String())
		return
	}
	own := s.op.prec()
	if prec > own {
		b.WriteByte('(')
	}
	s.l.write(b, own)
	b.WriteByte(' ')
	b.WriteString(s.op.String())
	b.WriteByte(' ')
	s.r.write(b, own+1)
	if prec > own {
		b.WriteByte(')')
	}
}

// String prints the factor as it is written. A path that reads like a
// number (a key "0" or "1h") is put in backticks, since inside arithmetic
// the bare word is the number.
func (f *factor) String() string {
	switch {
	case f.lit != nil:
		return f.lit.raw
	case f.dollar:
		return "$." + formatPath(f.read.path)
	case f.read.kind == opdPath && isNumberWord(f.read.path):
		return "`" + f.read.path + "`"
	}
	return f.read.String()
}

// eval computes the expression. Each value read is appended to tr (when
// it is not nil) as a Part observation, in order, before it is checked to
// be a number.
func (s *sum) eval(env *Env, tr *[]Observation) (float64, error) {
	if s.op == arNone {
		return s.f.eval(env, tr)
	}
	l, err := s.l.eval(env, tr)
	if err != nil {
		return 0, err
	}
	r, err := s.r.eval(env, tr)
	if err != nil {
		return 0, err
	}
	var f float64
	switch s.op {
	case arAdd:
		f = l + r
	case arSub:
		f = l - r
	case arMul:
		f = l * r
	default:
		if r == 0 {
			return 0, &EvalError{Kind: ErrArith, Subject: s.String(), Got: "division by zero", Detail: s.r.String() + " is 0"}
		}
		if s.op == arDiv {
			f = l / r
		} else {
			f = math.Mod(l, r)
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, &EvalError{Kind: ErrArith, Subject: s.String(), Got: "no finite result", Detail: FormatNumber(f)}
	}
	return f, nil
}

// eval reads the factor's number: a literal's value, or the value at a
// path, fact or function, which must be a number or a numeric string.
func (f *factor) eval(env *Env, tr *[]Observation) (float64, error) {
	if f.lit != nil {
		return f.lit.num, nil
	}
	var v Value
	if f.dollar {
		r := env.lookup(f.read.path)
		if !r.Exists() {
			return 0, env.notFound(f.String(), f.read.path, "$.", true)
		}
		v = valueOf(r)
	} else {
		var err error
		if v, err = f.read.resolve(env); err != nil {
			return 0, err
		}
	}
	if tr != nil {
		o := Observation{Subject: f.String(), Value: v, Part: true}
		if f.read.kind == opdPath {
			o.Path = f.read.path
		}
		*tr = append(*tr, o)
	}
	n, _, ok := v.number()
	if !ok {
		return 0, typeError(f.String(), v, "number")
	}
	return n, nil
}

// reads calls fn for every value the expression reads, left to right.
func (s *sum) reads(fn func(operand)) {
	if s.op != arNone {
		s.l.reads(fn)
		s.r.reads(fn)
		return
	}
	if s.f.lit == nil {
		fn(s.f.read)
	}
}

// isNumberWord reports whether s, written bare, is a number, duration or
// size literal.
func isNumberWord(s string) bool {
	_, ok := numberLiteral(s)
	return ok
}

// numberLiteral reads a number (0.9, -3, 1e3, 007), a duration (500ms,
// 1h30m, 2d: seconds) or a size (512MiB, 1.5GB: bytes).
func numberLiteral(word string) (literal, bool) {
	if isJSONNumber(word) || isLooseNumber(word) {
		f, err := strconv.ParseFloat(word, 64)
		if err == nil || isRangeErr(err) {
			return literal{kind: litNumber, num: f, raw: word}, true
		}
	}
	if d, ok := parseDuration(word); ok {
		return literal{kind: litNumber, num: d, raw: word, duration: true}, true
	}
	if n, ok := parseBytes(word, true); ok {
		return literal{kind: litNumber, num: n, raw: word, size: true}, true
	}
	return literal{}, false
}
