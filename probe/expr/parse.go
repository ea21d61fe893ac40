package expr

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDepth bounds nesting of parentheses and "!" so that no input can exhaust
// the stack.
const maxDepth = 64

// Expr is a parsed expression, ready to be evaluated any number of times.
// It is immutable and safe for concurrent use.
type Expr struct {
	src  string
	root node
}

// SyntaxError is returned by Parse for an expression that does not follow the
// grammar. Col is the 1-based column (in characters) of the offending input.
type SyntaxError struct {
	Expr  string // the expression as given
	Col   int    // 1-based column of the problem
	Found string // what was found there, quoted, or "end of expression"
	Want  string // what would have been accepted
}

// Error returns e.g. `expression "goroutines >> 5000": unexpected ">" at column 13, expected a value`.
func (e *SyntaxError) Error() string {
	msg := fmt.Sprintf("expression %q: unexpected %s at column %d", e.Expr, e.Found, e.Col)
	if e.Want != "" {
		msg += ", expected " + e.Want
	}
	return msg
}

// Parse compiles an expression. Regular expressions are compiled and probe
// facts and functions are checked here, so a parsed Expr can only fail at
// evaluation time because of the document.
func Parse(src string) (*Expr, error) {
	p := &parser{src: src}
	root, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, p.errorf("&&, || or end of expression")
	}
	return &Expr{src: src, root: root}, nil
}

// MustParse is like Parse but panics on a syntax error. It is meant for
// expressions fixed in the program, such as in tests and examples.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

// Source returns the expression exactly as it was given to Parse.
func (e *Expr) Source() string { return e.src }

// String returns the canonical form of the expression: single spaces around
// operators, strings double-quoted, parentheses only where needed. Parsing
// the canonical form gives the same expression again.
func (e *Expr) String() string {
	var b strings.Builder
	e.root.write(&b, precOr)
	return b.String()
}

// parser is a recursive-descent parser that lexes as it goes: what a token is
// depends on where it stands (a path on the left, a value on the right).
type parser struct {
	src string
	pos int
}

func (p *parser) errorf(want string) error {
	return p.errorAt(p.pos, want)
}

func (p *parser) errorAt(pos int, want string) error {
	found := "end of expression"
	if pos < len(p.src) {
		r, _ := utf8.DecodeRuneInString(p.src[pos:])
		found = strconv.Quote(string(r))
	}
	return p.errorFound(pos, found, want)
}

func (p *parser) errorFound(pos int, found, want string) error {
	return &SyntaxError{Expr: p.src, Col: utf8.RuneCountInString(p.src[:pos]) + 1, Found: found, Want: want}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) peek(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

func (p *parser) parseOr(depth int) (node, error) {
	l, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !p.peek("||") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		l = &orNode{l, r}
	}
}

func (p *parser) parseAnd(depth int) (node, error) {
	l, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !p.peek("&&") {
			return l, nil
		}
		p.pos += 2
		r, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		l = &andNode{l, r}
	}
}

func (p *parser) parseUnary(depth int) (node, error) {
	p.skipSpace()
	if depth >= maxDepth && (p.peek("!") || p.peek("(")) {
		return nil, p.errorFound(p.pos, "nesting", fmt.Sprintf("at most %d levels of ( and !", maxDepth))
	}
	switch {
	case p.peek("!"):
		p.pos++
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	case p.peek("("):
		return p.parseGroup(depth)
	}
	return p.parseComparison(depth)
}

// parseParens reads a condition in parentheses.
func (p *parser) parseParens(depth int) (node, error) {
	open := p.pos
	p.pos++
	x, err := p.parseOr(depth + 1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.peek(")") {
		if p.pos >= len(p.src) {
			return nil, p.errorFound(p.pos, "end of expression", p.closeWant(open))
		}
		return nil, p.errorf("\")\", && or ||")
	}
	p.pos++
	return x, nil
}

// closeWant asks for the ")" that closes the "(" at open.
func (p *parser) closeWant(open int) string {
	return fmt.Sprintf("\")\" to close \"(\" at column %d", utf8.RuneCountInString(p.src[:open])+1)
}

func (p *parser) parseComparison(depth int) (node, error) {
	sd := &side{}
	lhs, lsum, err := p.parseLeft(depth, sd)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	opPos := p.pos
	op := p.scanOp()
	if op == opNone {
		switch {
		case lsum != nil:
			if err := p.shellTest(sd); err != nil {
				return nil, err
			}
			return nil, p.errorf("a comparison operator after the arithmetic (it is a number, not a condition)")
		case lhs.kind == opdFunc && lhs.fn == fnVersion:
			return nil, p.errorf("a comparison with a version, as in version(p) < \"3.13\"")
		}
		if p.pos < len(p.src) && !p.peek("&&") && !p.peek("||") && !p.peek(")") {
			switch {
			case p.peek("=>"):
				return nil, p.errorf("an operator (>= for greater or equal)")
			case p.peek("=<"):
				return nil, p.errorf("an operator (<= for less or equal)")
			case p.peek("="):
				return nil, p.errorf("an operator (== to test equality)")
			}
			return nil, p.errorf("an operator, &&, || or end of expression")
		}
		return &cmpNode{lhs: lhs}, nil
	}
	p.skipSpace()
	c := &cmpNode{lhs: lhs, op: op, lsum: lsum}
	if lsum == nil && lhs.kind == opdFunc && lhs.fn == fnVersion {
		return p.parseVersionValue(c, opPos)
	}
	valPos := p.pos
	if c.rhs, c.rsum, err = p.parseRight(depth); err != nil {
		return nil, err
	}
	return c, p.checkComparison(c, opPos, valPos)
}

// checkComparison rejects, at load time, comparisons that could never be
// decided, and compiles the regular expression of =~ and !~.
func (p *parser) checkComparison(c *cmpNode, opPos, valPos int) error {
	op, rhs, lhs := c.op, c.rhs, c.lhs
	switch {
	case c.rsum != nil && (op == opMatch || op == opNoMatch):
		return p.errorFound(valPos, strconv.Quote(p.src[valPos:p.pos]), "a regular expression in quotes after "+op.String())
	case c.lsum != nil && op == opContains:
		return p.errorFound(opPos, strconv.Quote(op.String()), "a comparison of numbers after arithmetic (contains needs a string or an array)")
	case op == opMatch || op == opNoMatch:
		if rhs.kind != litString {
			return p.errorFound(valPos, strconv.Quote(p.src[valPos:p.pos]), "a regular expression in quotes after "+op.String())
		}
		re, err := regexp.Compile(rhs.str)
		if err != nil {
			return p.errorFound(valPos, strconv.Quote(p.src[valPos:p.pos]), "a valid regular expression ("+strings.TrimPrefix(err.Error(), "error parsing regexp: ")+")")
		}
		c.re = re
	case op.ordering() && c.rsum == nil && (rhs.kind == litBool || rhs.kind == litNull):
		return p.errorFound(valPos, strconv.Quote(p.src[valPos:p.pos]), "a number, duration or string after "+op.String())
	case c.lsum == nil && lhs.kind == opdFunc && lhs.fn == fnExists && (c.rsum != nil || rhs.kind != litBool):
		return p.errorFound(opPos, strconv.Quote(op.String()), "exists() on its own or compared with true or false")
	}
	return nil
}

// scanOp consumes a comparison operator if one stands at the current
// position.
func (p *parser) scanOp() opKind {
	for _, o := range opTable {
		if p.peek(o.text) {
			if o.op == opContains && p.pos+len(o.text) < len(p.src) && isWordByte(p.src[p.pos+len(o.text)]) {
				continue
			}
			p.pos += len(o.text)
			return o.op
		}
	}
	return opNone
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseOperand reads a path, a $fact or a function call; want is what to
// ask for when there is none.
func (p *parser) parseOperand(want string) (operand, error) {
	start := p.pos
	if p.peek("$") && !p.peek("$.") {
		p.pos++
		n := p.pos
		for p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[n:p.pos]
		f, ok := factByName(name)
		if !ok {
			return operand{}, p.errorFound(start, strconv.Quote("$"+name), "a probe fact ("+factList()+") or a $.path")
		}
		return operand{kind: opdFact, fact: f}, nil
	}
	n := p.pos
	for p.pos < len(p.src) && isWordByte(p.src[p.pos]) {
		p.pos++
	}
	if p.pos > n && p.peek("(") {
		name := p.src[n:p.pos]
		fn, ok := funcByName(name)
		if !ok {
			return operand{}, p.errorFound(n, strconv.Quote(name+"("), "a path or one of the functions "+funcList())
		}
		p.pos++
		p.skipSpace()
		path, err := p.parsePath(true, "a path")
		if err != nil {
			return operand{}, err
		}
		o := operand{kind: opdFunc, fn: fn, path: path}
		p.skipSpace()
		allowed, required := fn.windowed()
		switch {
		case allowed && p.peek(","):
			p.pos++
			p.skipSpace()
			if err := p.parseWindow(&o); err != nil {
				return operand{}, err
			}
			p.skipSpace()
		case required:
			return operand{}, p.errorf("\", \" and a window such as 1h: " + name + "(p, 1h)")
		}
		if !p.peek(")") {
			return operand{}, p.errorf("\")\" to close " + name + "(")
		}
		p.pos++
		return o, nil
	}
	p.pos = start
	path, err := p.parsePath(true, want)
	if err != nil {
		return operand{}, err
	}
	return operand{kind: opdPath, path: path}, nil
}

// parseWindow reads the window of a window function: a positive duration
// (10m, 1h, 1d).
func (p *parser) parseWindow(o *operand) error {
	start := p.pos
	for p.pos < len(p.src) && isBarewordByte(p.src[p.pos]) {
		p.pos++
	}
	word := p.src[start:p.pos]
	if word == "" {
		return p.errorf("a window such as 10m or 1h")
	}
	d, ok := parseDuration(word)
	if !ok || !(d > 0) || math.IsInf(d, 0) {
		return p.errorFound(start, strconv.Quote(word), "a positive duration such as 10m or 1h as the window")
	}
	o.window, o.windowRaw = d, word
	return nil
}

// parsePath reads a gjson path: `$.`-prefixed (the prefix is dropped), in
// backticks, or plain. A plain path ends at white space, a comparison or
// logical operator, ")" or "," outside brackets and strings, so gjson
// queries such as services.#(status!="up")#.name stay whole.
func (p *parser) parsePath(allowPlain bool, want string) (string, error) {
	start := p.pos
	path, err := p.scanPath(allowPlain, want)
	if err != nil {
		return "", err
	}
	if n := len(path) - len(strings.TrimRight(path, "\\")); n%2 == 1 {
		return "", p.errorFound(start, strconv.Quote(p.src[start:p.pos]), "a path that does not end in a lone \\")
	}
	return path, nil
}

func (p *parser) scanPath(allowPlain bool, want string) (string, error) {
	start := p.pos
	if p.peek("$.") {
		p.pos += 2
	} else if !allowPlain && !p.peek("`") {
		return "", p.errorf("a path")
	}
	if p.peek("`") {
		quoted, err := p.scanBacktick()
		if err != nil {
			return "", err
		}
		// The path may go on after the backticks: `my key`.count.
		end, err := scanPlainPath(p.src, p.pos)
		if err != nil {
			return "", p.wrapPathErr(err)
		}
		rest := p.src[p.pos:end]
		p.pos = end
		return quoted + rest, nil
	}
	if p.pos > start {
		want = "a path after \"$.\""
	}
	if p.pos < len(p.src) && strings.IndexByte(notPathStart, p.src[p.pos]) >= 0 {
		return "", p.errorf(want)
	}
	end, err := scanPlainPath(p.src, p.pos)
	if err != nil {
		return "", p.wrapPathErr(err)
	}
	if end == p.pos {
		return "", p.errorf(want)
	}
	path := p.src[p.pos:end]
	p.pos = end
	return path, nil
}

// notPathStart lists the characters a plain path cannot start with: they
// would be misread (a fact, a string, an operator). Such a path is written in
// backticks.
const notPathStart = "$\"'&|!(`"

// pathError is a position inside a plain path that cannot be scanned.
type pathError struct {
	pos  int
	want string
}

func (e *pathError) Error() string { return e.want }

func (p *parser) wrapPathErr(err error) error {
	pe := err.(*pathError)
	return p.errorAt(pe.pos, pe.want)
}

// scanPlainPath returns the end of the plain path that starts at start.
func scanPlainPath(s string, start int) (int, error) {
	var stack []byte
	i := start
	for i < len(s) {
		c := s[i]
		if len(stack) == 0 {
			if isSpace(c) || c == ')' || c == ',' || c == '>' || c == '<' || c == '=' || c == '`' {
				return i, nil
			}
			rest := s[i:]
			if strings.HasPrefix(rest, "!=") || strings.HasPrefix(rest, "!~") ||
				c == '&' || strings.HasPrefix(rest, "||") {
				return i, nil
			}
		}
		switch c {
		case '\\':
			i += 2
			if i > len(s) {
				i = len(s)
			}
			continue
		case '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return 0, &pathError{pos: i, want: "the string that starts here to end with \" inside the path"}
			}
			i = j + 1
			continue
		case '(', '[', '{':
			stack = append(stack, c)
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		i++
	}
	if len(stack) > 0 {
		return 0, &pathError{pos: len(s), want: "a closing bracket for the path's query"}
	}
	return i, nil
}

// scanBacktick reads a path in backticks. Inside, a doubled backtick stands
// for one; everything else, backslashes included, is the path as written.
func (p *parser) scanBacktick() (string, error) {
	open := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '`' && p.pos+1 < len(p.src) && p.src[p.pos+1] == '`':
			b.WriteByte('`')
			p.pos += 2
		case c == '`':
			p.pos++
			if b.Len() == 0 {
				return "", p.errorAt(open, "a path inside the backticks")
			}
			return b.String(), nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errorFound(p.pos, "end of expression", "a closing backtick")
}

// parseValue reads the right-hand side of a comparison.
func (p *parser) parseValue() (literal, error) {
	start := p.pos
	if p.pos >= len(p.src) {
		return literal{}, p.errorf("a value")
	}
	switch c := p.src[p.pos]; c {
	case '"', '\'':
		s, err := p.scanString(c)
		if err != nil {
			return literal{}, err
		}
		return literal{kind: litString, str: s}, nil
	case '$':
		if !p.peek("$.") {
			return literal{}, p.errorf("a value (compare with another path as $.path)")
		}
		path, err := p.parsePath(false, "a path")
		if err != nil {
			return literal{}, err
		}
		return literal{kind: litPath, path: path}, nil
	}
	for p.pos < len(p.src) && isBarewordByte(p.src[p.pos]) {
		p.pos++
	}
	word := p.src[start:p.pos]
	if word == "" {
		return literal{}, p.errorf("a value")
	}
	switch word {
	case "true", "false":
		return literal{kind: litBool, b: word == "true", raw: word}, nil
	case "null":
		return literal{kind: litNull, raw: word}, nil
	}
	if lit, ok := numberLiteral(word); ok {
		return lit, nil
	}
	// A word that starts like a number but is not one (10%, 0x5, 1.2.3,
	// 3gb) is almost always a mistake in the threshold, not a string.
	if strings.IndexByte("0123456789+-.", word[0]) >= 0 {
		want := "a number, a duration (500ms, 5s, 2h, 1d), a size (512MiB, 1.5GB) or a quoted string"
		switch {
		case hasInnerArith(word):
			want += " (write spaces around arithmetic operators: 2 * 3)"
		case len(word) > 1 && word[0] == '.' && (word[1] < '0' || word[1] > '9'):
			// jq's .path: on the right, a path is a $.path.
			want += " (compare with another path as $" + word + ")"
		}
		return literal{}, p.errorFound(start, strconv.Quote(word), want)
	}
	return literal{kind: litString, str: word}, nil
}

// hasInnerArith reports whether a word that is not a number has an
// arithmetic operator with more after it, not counting an exponent's sign:
// 2*3 or 10-5, but not 10% or 1e-3x.
func hasInnerArith(word string) bool {
	for i := 1; i < len(word)-1; i++ {
		switch word[i] {
		case '*', '/', '%':
			return true
		case '+', '-':
			if word[i-1] != 'e' && word[i-1] != 'E' {
				return true
			}
		}
	}
	return false
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// isBarewordByte reports whether c may stand in an unquoted word on the right
// side: anything but white space, brackets, quotes and operator characters.
func isBarewordByte(c byte) bool {
	if c >= 0x80 {
		return true
	}
	if isSpace(c) || c < 0x20 || c == 0x7f {
		return false
	}
	return !strings.ContainsRune("()[]{}\"'`$,<>=!&|;\\", rune(c))
}

// isLooseNumber accepts the number spellings people write that JSON does not:
// a leading "+", leading zeros, ".5" and "5.".
func isLooseNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// parseDuration accepts Go durations ("500ms", "1h30m") and whole or decimal
// days ("2d", "1d12h"), returning seconds.
func parseDuration(s string) (float64, bool) {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	var days float64
	if i := strings.IndexByte(body, 'd'); i > 0 {
		if !isLooseNumber(body[:i]) || strings.HasPrefix(body[:i], "+") {
			return 0, false
		}
		n, err := strconv.ParseFloat(body[:i], 64)
		if err != nil {
			return 0, false
		}
		days, body = n, body[i+1:]
	}
	var secs float64
	if body != "" {
		if body[0] < '0' || body[0] > '9' && body[0] != '.' {
			return 0, false
		}
		d, err := time.ParseDuration(body)
		if err != nil || !strings.ContainsAny(body, "nsuµmh") {
			return 0, false
		}
		secs = d.Seconds()
	} else if days == 0 && !strings.HasSuffix(s, "d") {
		return 0, false
	}
	total := days*86400 + secs
	if neg {
		total = -total
	}
	return total, true
}

// scanString reads a quoted string. Double-quoted strings take Go/JSON
// escapes (\" \\ \n \t \u00e9 …); single-quoted ones take \' and \\.
func (p *parser) scanString(q byte) (string, error) {
	start := p.pos
	i := p.pos + 1
	for i < len(p.src) && p.src[i] != q {
		if p.src[i] == '\\' {
			i++
		}
		i++
	}
	if i >= len(p.src) {
		return "", p.errorFound(len(p.src), "end of expression", "a closing "+string(q))
	}
	body := p.src[start+1 : i]
	p.pos = i + 1
	if q == '\'' {
		var b strings.Builder
		for j := 0; j < len(body); j++ {
			if body[j] == '\\' && j+1 < len(body) && (body[j+1] == '\'' || body[j+1] == '\\') {
				j++
			}
			b.WriteByte(body[j])
		}
		return b.String(), nil
	}
	if !strings.ContainsAny(body, "\\\n") {
		return body, nil
	}
	s, err := strconv.Unquote(`"` + body + `"`)
	if err != nil {
		return "", p.errorFound(start, strconv.Quote(p.src[start:p.pos]), "a string with valid escapes (\\\" \\\\ \\n \\t \\uXXXX)")
	}
	return s, nil
}

// formatPath prints a path so that the parser reads it back unchanged:
// plain where that is unambiguous, in backticks otherwise.
func formatPath(path string) string {
	if plainPathOK(path) {
		return path
	}
	return "`" + strings.ReplaceAll(path, "`", "``") + "`"
}

func plainPathOK(path string) bool {
	if path == "" || strings.IndexByte(notPathStart, path[0]) >= 0 {
		return false
	}
	end, err := scanPlainPath(path, 0)
	if err != nil || end != len(path) {
		return false
	}
	// A word followed by "(" would be read as a function call.
	i := 0
	for i < len(path) && isWordByte(path[i]) {
		i++
	}
	return i == 0 || i == len(path) || path[i] != '('
}
