package expr

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// wantOperand is what may start a condition.
const wantOperand = `a path, $fact, function, "!" or "("`

// wantLeftFactor is what may follow an arithmetic operator on the left.
const wantLeftFactor = `a number, path, $fact, function or "("`

// wantRightFactor is what may stand in arithmetic on the right.
const wantRightFactor = `a number, duration, size, $.path, $fact or "(" in arithmetic`

// parseGroup reads what starts with "(": a condition in parentheses
// ((a > 5) && b) or the start of a comparison whose left side is
// arithmetic ((a - b) / c > 9). The condition is tried first. When an
// arithmetic or comparison operator follows its ")", or when it does not
// parse, the same text is read again as a comparison. Of two failures the
// one that got further is reported, the condition's on a tie. Each "(" is
// read at most twice this way and arithmetic never goes back, so the cost
// stays linear in the input times maxDepth.
func (p *parser) parseGroup(depth int) (node, error) {
	open := p.pos
	x, err := p.parseParens(depth)
	if err == nil {
		after := p.pos
		p.skipSpace()
		next := p.pos
		if !p.atArithOp() && !p.atCompareOp() {
			p.pos = after
			return x, nil
		}
		if c, cerr := p.comparisonAt(open, depth); cerr == nil || colOf(cerr) > p.col(next) {
			return c, cerr
		}
		// The condition stands; the operator after it is the mistake,
		// reported by the caller.
		p.pos = after
		return x, nil
	}
	if c, cerr := p.comparisonAt(open, depth); cerr == nil || colOf(cerr) > colOf(err) {
		return c, cerr
	}
	return nil, err
}

// comparisonAt reads a comparison from pos.
func (p *parser) comparisonAt(pos, depth int) (node, error) {
	p.pos = pos
	return p.parseComparison(depth)
}

// colOf is the column of a *SyntaxError.
func colOf(err error) int {
	if se, ok := err.(*SyntaxError); ok {
		return se.Col
	}
	return 0
}

// col is the 1-based column, in characters, of pos.
func (p *parser) col(pos int) int { return utf8.RuneCountInString(p.src[:pos]) + 1 }

// atCompareOp reports whether a comparison operator stands at the current
// position.
func (p *parser) atCompareOp() bool {
	pos := p.pos
	op := p.scanOp()
	p.pos = pos
	return op != opNone
}

// arithOpAt returns the operator at the current position: + or - for a
// sum, * / or % for a product (mul), or arNone.
func (p *parser) arithOpAt(mul bool) arithOp {
	if p.pos >= len(p.src) {
		return arNone
	}
	switch c := p.src[p.pos]; {
	case !mul && c == '+':
		return arAdd
	case !mul && c == '-':
		return arSub
	case mul && c == '*':
		return arMul
	case mul && c == '/':
		return arDiv
	case mul && c == '%':
		return arMod
	}
	return arNone
}

// atArithOp reports whether any arithmetic operator stands at the current
// position.
func (p *parser) atArithOp() bool {
	return p.arithOpAt(false) != arNone || p.arithOpAt(true) != arNone
}

// leafAt is a factor of the side being parsed and where it is written.
type leafAt struct {
	s          *sum
	start, end int
}

// side collects the factors of one side of a comparison, for the checks
// that apply once the side is known to be arithmetic.
type side struct {
	right  bool
	leaves []leafAt
}

// parseLeft reads the left side of a comparison into sd: one operand, or
// arithmetic over operands and number literals. A bare word that reads as
// a number is a path when it stands alone (0 > 5 reads index 0 of an
// array) and a number inside arithmetic; $.0 or backticks make it a path
// there.
func (p *parser) parseLeft(depth int, sd *side) (operand, *sum, error) {
	s, err := p.parseSum(depth, sd)
	if err != nil {
		return operand{}, nil, err
	}
	if s.op == arNone {
		if s.f.lit != nil {
			return operand{kind: opdPath, path: s.f.lit.raw}, nil, nil
		}
		return s.f.read, nil, nil
	}
	for _, l := range sd.leaves {
		if f := l.s.f; f.lit == nil && f.read.kind == opdFunc && !f.read.fn.numeric() {
			return operand{}, nil, p.errorFound(l.start, strconv.Quote(p.src[l.start:l.end]),
				"a number in arithmetic ("+f.read.fn.String()+"() is not one)")
		}
	}
	if err := p.checkDivisors(s, sd); err != nil {
		return operand{}, nil, err
	}
	return operand{}, s, nil
}

// parseRight reads the right side of a comparison: a literal as before
// arithmetic existed (a string, true, false, null or a bare word, which is
// a string), or arithmetic over number literals, $.paths and $facts. A lone
// number or $.path is a literal; a lone $fact is arithmetic of one factor.
func (p *parser) parseRight(depth int) (literal, *sum, error) {
	start := p.pos
	if !p.peek("(") && !(p.peek("$") && !p.peek("$.")) {
		lit, err := p.parseValue()
		if err != nil || lit.kind != litNumber && lit.kind != litPath {
			return lit, nil, err
		}
		after := p.pos
		p.skipSpace()
		if !p.atArithOp() {
			p.pos = after
			return lit, nil, nil
		}
		p.pos = start
	}
	sd := &side{right: true}
	s, err := p.parseSum(depth, sd)
	if err != nil {
		return literal{}, nil, err
	}
	if err := p.checkDivisors(s, sd); err != nil {
		return literal{}, nil, err
	}
	switch {
	case s.op != arNone || s.f.read.kind == opdFact:
		return literal{}, s, nil
	case s.f.lit != nil:
		return *s.f.lit, nil, nil
	}
	return literal{kind: litPath, path: s.f.read.path}, nil, nil
}

// shellTests are the shell's test operators, by name, with the comparison
// each stands for.
var shellTests = map[string]string{"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "==", "ne": "!="}

// shellTest reports a test operator of the shell (goroutines -gt 5000)
// among the factors of sd, which read it as a minus and a path (gt). It is
// called only where the side has already failed to parse, so a - gt > 1
// still subtracts the path gt.
func (p *parser) shellTest(sd *side) error {
	for _, l := range sd.leaves {
		name := p.src[l.start:l.end]
		if op, ok := shellTests[name]; ok && l.start > 0 && p.src[l.start-1] == '-' {
			return p.errorFound(l.start-1, strconv.Quote("-"+name), "a comparison operator (-"+name+" is the shell's; write "+op+")")
		}
	}
	return nil
}

// checkDivisors rejects a division or remainder by a literal zero.
func (p *parser) checkDivisors(s *sum, sd *side) error {
	if s.op == arNone {
		return nil
	}
	if r := s.r; (s.op == arDiv || s.op == arMod) && r.op == arNone && r.f.lit != nil && r.f.lit.num == 0 {
		for _, l := range sd.leaves {
			if l.s == r {
				return p.errorFound(l.start, strconv.Quote(p.src[l.start:l.end]), "a divisor that is not 0")
			}
		}
	}
	if err := p.checkDivisors(s.l, sd); err != nil {
		return err
	}
	return p.checkDivisors(s.r, sd)
}

// parseSum reads product {("+" | "-") product}.
func (p *parser) parseSum(depth int, sd *side) (*sum, error) {
	return p.parseChain(depth, sd, false)
}

// parseChain reads a left-associative chain: products joined by + and -,
// or (mul) factors joined by *, / and %. An operator after a path needs
// white space before it, since a path runs until white space: a-b is the
// key "a-b".
func (p *parser) parseChain(depth int, sd *side, mul bool) (*sum, error) {
	next := func() (*sum, error) {
		if mul {
			return p.parseFactor(depth, sd, len(sd.leaves) == 0)
		}
		return p.parseChain(depth, sd, true)
	}
	l, err := next()
	if err != nil {
		return nil, err
	}
	for {
		after := p.pos
		p.skipSpace()
		op := p.arithOpAt(mul)
		if op == arNone {
			p.pos = after
			return l, nil
		}
		p.pos++
		r, err := next()
		if err != nil {
			return nil, err
		}
		l = &sum{op: op, l: l, r: r}
	}
}

// parseFactor reads "(" sum ")" or a single factor; first tells that it
// is the first of the side, which may also start a condition.
func (p *parser) parseFactor(depth int, sd *side, first bool) (*sum, error) {
	p.skipSpace()
	if p.peek("(") {
		if depth >= maxDepth {
			return nil, p.errorFound(p.pos, "nesting", fmt.Sprintf("at most %d levels of ( and !", maxDepth))
		}
		open := p.pos
		p.pos++
		inner, err := p.parseSum(depth+1, sd)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		switch {
		case p.peek(")"):
			p.pos++
			return inner, nil
		case p.pos >= len(p.src):
			return nil, p.errorFound(p.pos, "end of expression", p.closeWant(open))
		}
		if err := p.shellTest(sd); err != nil {
			return nil, err
		}
		return nil, p.errorf(`an arithmetic operator or ")"`)
	}
	start := p.pos
	var f factor
	var err error
	if sd.right {
		f, err = p.parseRightFactor()
	} else {
		f, err = p.parseLeftFactor(first)
	}
	if err != nil {
		return nil, err
	}
	s := &sum{f: f}
	sd.leaves = append(sd.leaves, leafAt{s: s, start: start, end: p.pos})
	return s, nil
}

// parseLeftFactor reads an operand; a plain path that reads as a number,
// duration or size is that literal (parseLeft turns it back into a path
// if it stands alone).
func (p *parser) parseLeftFactor(first bool) (factor, error) {
	want := wantLeftFactor
	if first {
		want = wantOperand
	}
	plain := !p.peek("$") && !p.peek("`")
	o, err := p.parseOperand(want)
	if err != nil {
		return factor{}, err
	}
	if plain && o.kind == opdPath {
		if lit, ok := numberLiteral(o.path); ok {
			return factor{lit: &lit}, nil
		}
	}
	return factor{read: o}, nil
}

// parseRightFactor reads a number, duration or size literal, a $.path or
// a $fact.
func (p *parser) parseRightFactor() (factor, error) {
	start := p.pos
	if p.peek("$") && !p.peek("$.") {
		p.pos++
		for p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
			p.pos++
		}
		f, ok := factByName(p.src[start+1 : p.pos])
		if !ok {
			p.pos = start
			return factor{}, p.errorf("a value (compare with another path as $.path)")
		}
		return factor{read: operand{kind: opdFact, fact: f}}, nil
	}
	lit, err := p.parseValue()
	if err != nil {
		return factor{}, err
	}
	switch lit.kind {
	case litNumber:
		return factor{lit: &lit}, nil
	case litPath:
		return factor{read: operand{kind: opdPath, path: lit.path}, dollar: true}, nil
	}
	return factor{}, p.errorFound(start, strconv.Quote(p.src[start:p.pos]), wantRightFactor)
}

// parseVersionValue reads the right side of version(p) OP v: a version in
// quotes or bare (3.13, v3.12.1, 3.13.0-rc1), checked here, or a $.path.
func (p *parser) parseVersionValue(c *cmpNode, opPos int) (node, error) {
	if !c.op.ordering() && c.op != opEq && c.op != opNe {
		return nil, p.errorFound(opPos, strconv.Quote(c.op.String()), "==, !=, <, <=, > or >= after version()")
	}
	start := p.pos
	var text string
	switch {
	case p.peek("$."):
		path, err := p.parsePath(false, "a path")
		if err != nil {
			return nil, err
		}
		c.rhs = literal{kind: litPath, path: path}
		return c, nil
	case p.peek(`"`) || p.peek("'"):
		s, err := p.scanString(p.src[p.pos])
		if err != nil {
			return nil, err
		}
		c.rhs, text = literal{kind: litString, str: s}, s
	default:
		for p.pos < len(p.src) && isBarewordByte(p.src[p.pos]) {
			p.pos++
		}
		text = p.src[start:p.pos]
		c.rhs = literal{kind: litString, str: text}
		// A bare 3.13 is a number literal elsewhere; it keeps that form
		// (and its text) here.
		if lit, ok := numberLiteral(text); ok && !lit.duration && !lit.size {
			c.rhs = lit
		}
	}
	v, ok := parseVersion(text)
	if !ok {
		if p.pos == start {
			return nil, p.errorf(wantVersion + " after " + c.op.String())
		}
		return nil, p.errorFound(start, strconv.Quote(p.src[start:p.pos]), wantVersion+" after "+c.op.String())
	}
	c.ver = &v
	return c, nil
}
