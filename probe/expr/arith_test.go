package expr

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// arithCanonicalRows are arithmetic, size, version and "(" forms with
// their canonical text; they also seed the fuzzers.
var arithCanonicalRows = []struct {
	name string
	src  string
	want string
}{
	// The documented examples (docs/expressions.md).
	{name: "ratio", src: "memory.alloc_mb / memory.sys_mb > 0.9", want: "memory.alloc_mb / memory.sys_mb > 0.9"},
	{name: "percent used", src: "(disk.total - disk.free) / disk.total * 100 > 90", want: "(disk.total - disk.free) / disk.total * 100 > 90"},
	{name: "right side", src: "memory.alloc_mb > $.memory.sys_mb * 0.9", want: "memory.alloc_mb > $.memory.sys_mb * 0.9"},
	{name: "fact times literal", src: "$time * 1000 > 500", want: "$time * 1000 > 500"},
	{name: "no spaces after a fact", src: "$time*1000>500", want: "$time * 1000 > 500"},
	{name: "no spaces after a call", src: "len(items)*2 > 5", want: "len(items) * 2 > 5"},
	{name: "no spaces after a paren", src: "(a + b)/c > 1", want: "(a + b) / c > 1"},
	{name: "window function", src: "growth(x, 1h) * 2 > 40", want: "growth(x, 1h) * 2 > 40"},

	// Precedence and associativity.
	{name: "product binds tighter", src: "a + b * c > 1", want: "a + b * c > 1"},
	{name: "sum in parens", src: "(a + b) * c > 1", want: "(a + b) * c > 1"},
	{name: "sum on the right of a product", src: "a * (b + c) > 1", want: "a * (b + c) > 1"},
	{name: "needless parens around a product", src: "a + (b * c) > 1", want: "a + b * c > 1"},
	{name: "left associative minus", src: "(a - b) - c > 1", want: "a - b - c > 1"},
	{name: "right grouped minus", src: "a - (b - c) > 1", want: "a - (b - c) > 1"},
	{name: "right grouped plus keeps its shape", src: "a + (b + c) > 1", want: "a + (b + c) > 1"},
	{name: "right grouped division", src: "a / (b * c) > 1", want: "a / (b * c) > 1"},
	{name: "remainder", src: "a % 7 == 1", want: "a % 7 == 1"},
	{name: "negative literal", src: "a * -1 > 5", want: "a * -1 > 5"},
	{name: "minus a negative literal", src: "a - -1 > 5", want: "a - -1 > 5"},
	{name: "operator before a word without space", src: "a -1 > 5", want: "a - 1 > 5"},
	{name: "a path named like a shell test, before a comparison", src: "a -gt > 5", want: "a - gt > 5"},
	{name: "literals only", src: "1 + 2 > 2", want: "1 + 2 > 2"},
	{name: "durations", src: "age(ts) - 1h > 30m", want: "age(ts) - 1h > 30m"},

	// Paths inside arithmetic.
	{name: "dash is part of a key", src: "disk-free - 1 > 5", want: "disk-free - 1 > 5"},
	{name: "wildcard is part of a path", src: "child*.2 * 2 > 5", want: "child*.2 * 2 > 5"},
	{name: "number-looking key needs backticks", src: "$.0 + 1 > 0", want: "`0` + 1 > 0"},
	{name: "backticked number-looking key", src: "`1h` * 2 > 0", want: "`1h` * 2 > 0"},
	{name: "lone number-looking word is a path", src: "(0) > 5", want: "0 > 5"},
	{name: "query in arithmetic", src: `services.#(status=="up")#|# / len(services) < 0.5`, want: `services.#(status=="up")#|# / len(services) < 0.5`},

	// "(" at the start of a condition.
	{name: "group of a lone path", src: "(a) > 5", want: "a > 5"},
	{name: "double group of arithmetic", src: "((a - b)) > 5", want: "a - b > 5"},
	{name: "condition group", src: "(a > 5) && b", want: "a > 5 && b"},
	{name: "arithmetic inside a condition group", src: "(a - b > 5) && c", want: "a - b > 5 && c"},
	{name: "arithmetic group inside a condition group", src: "((a - b) / c > 9) || d", want: "(a - b) / c > 9 || d"},
	{name: "not of arithmetic", src: "!(a - b) > 5", want: "!(a - b > 5)"},
	{name: "group then contains", src: "(tags) contains x", want: `tags contains "x"`},

	// Right side.
	{name: "right group of one number", src: "a > (1)", want: "a > 1"},
	{name: "right group of one path", src: "a > ($.b)", want: "a > $.b"},
	{name: "right fact", src: "a > $time", want: "a > $time"},
	{name: "right fact in parens", src: "a > ($time)", want: "a > $time"},
	{name: "right precedence", src: "a > 1 + 2 * 3", want: "a > 1 + 2 * 3"},
	{name: "right group", src: "a > (5 + $.b) * 2", want: "a > (5 + $.b) * 2"},
	{name: "right path then operator", src: "a > $.b -1", want: "a > $.b - 1"},
	{name: "right arithmetic then and", src: "a>$.b * 2&&c", want: "a > $.b * 2 && c"},
	{name: "no space after a right path: one path", src: "a>$.b*2&&c", want: "a > $.b*2 && c"},
	{name: "no space after a left path: one path", src: "a-b > 1", want: "a-b > 1"},
	{name: "right facts", src: "$size > $time*1000", want: "$size > $time * 1000"},

	// Sizes.
	{name: "size", src: "x > 3GiB", want: "x > 3GiB"},
	{name: "sizes in arithmetic", src: "x > 1.5GB + 512MiB", want: "x > 1.5GB + 512MiB"},
	{name: "size divisor on the left", src: "x / 1GiB > 2", want: "x / 1GiB > 2"},
	{name: "decimal kilobytes", src: "x < 100kB", want: "x < 100kB"},

	// version().
	{name: "version quoted", src: `version(v) < "3.13"`, want: `version(v) < "3.13"`},
	{name: "version number literal", src: "version(v) < 3.13", want: "version(v) < 3.13"},
	{name: "version bare", src: "version(v) >= v3.12", want: `version(v) >= "v3.12"`},
	{name: "version bare three parts", src: "version(v) == 3.12.1", want: `version(v) == "3.12.1"`},
	{name: "version single quotes pre-release", src: "version(v) != '3.13.0-rc1'", want: `version(v) != "3.13.0-rc1"`},
	{name: "version path", src: "version(v) <= $.w", want: "version(v) <= $.w"},
}

func TestArithmeticCanonical(t *testing.T) {
	for _, row := range arithCanonicalRows {
		t.Run(row.name, func(t *testing.T) {
			e, err := Parse(row.src)
			require.NoError(t, err)
			got := e.String()
			assert.Equal(t, row.want, got)
			again, err := Parse(got)
			require.NoError(t, err, "the canonical form %q must parse", got)
			assert.True(t, reflect.DeepEqual(e.root, again.root), "%q and %q differ", row.src, got)
			assert.Equal(t, got, again.String())
		})
	}
}

// TestParseGroupShapes pins what "(" opens: a condition or arithmetic.
func TestParseGroupShapes(t *testing.T) {
	path := func(p string) *sum { return &sum{f: factor{read: pathOperand(p)}} }
	num := func(raw string, f float64) *sum {
		return &sum{f: factor{lit: &literal{kind: litNumber, raw: raw, num: f}}}
	}
	rows := []struct {
		name string
		src  string
		want node
	}{
		{name: "condition group and", src: "(a > 5) && b", want: &andNode{
			&cmpNode{lhs: pathOperand("a"), op: opGt, rhs: literal{kind: litNumber, raw: "5", num: 5}},
			&cmpNode{lhs: pathOperand("b")},
		}},
		{name: "arithmetic group", src: "(a - b) / c > 9", want: &cmpNode{
			lsum: &sum{op: arDiv, l: &sum{op: arSub, l: path("a"), r: path("b")}, r: path("c")},
			op:   opGt, rhs: literal{kind: litNumber, raw: "9", num: 9},
		}},
		{name: "lone path in a group", src: "(a) > 5", want: &cmpNode{
			lhs: pathOperand("a"), op: opGt, rhs: literal{kind: litNumber, raw: "5", num: 5},
		}},
		{name: "number-looking word alone is a path", src: "0 > 5", want: &cmpNode{
			lhs: pathOperand("0"), op: opGt, rhs: literal{kind: litNumber, raw: "5", num: 5},
		}},
		{name: "number-looking word in arithmetic is a number", src: "a * 0 > 5", want: &cmpNode{
			lsum: &sum{op: arMul, l: path("a"), r: num("0", 0)},
			op:   opGt, rhs: literal{kind: litNumber, raw: "5", num: 5},
		}},
		{name: "right arithmetic", src: "a > $.b * 2", want: &cmpNode{
			lhs: pathOperand("a"), op: opGt,
			rsum: &sum{op: arMul, l: &sum{f: factor{read: pathOperand("b"), dollar: true}}, r: num("2", 2)},
		}},
		{name: "right fact", src: "a > $time", want: &cmpNode{
			lhs: pathOperand("a"), op: opGt,
			rsum: &sum{f: factor{read: operand{kind: opdFact, fact: factTime}}},
		}},
		{name: "nested both ways", src: "((a - b) / (c + d) > 1) && (e > 2)", want: &andNode{
			&cmpNode{
				lsum: &sum{op: arDiv, l: &sum{op: arSub, l: path("a"), r: path("b")}, r: &sum{op: arAdd, l: path("c"), r: path("d")}},
				op:   opGt, rhs: literal{kind: litNumber, raw: "1", num: 1},
			},
			&cmpNode{lhs: pathOperand("e"), op: opGt, rhs: literal{kind: litNumber, raw: "2", num: 2}},
		}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e, err := Parse(row.src)
			require.NoError(t, err)
			assert.Equal(t, row.want, e.root)
		})
	}
}

var arithParseErrorRows = []parseErrorRow{
	{name: "arithmetic alone", src: "a - b", col: 6,
		want: `expression "a - b": unexpected end of expression at column 6, expected a comparison operator after the arithmetic (it is a number, not a condition)`},
	{name: "arithmetic alone in parentheses", src: "(a - b)", col: 8,
		want: `expression "(a - b)": unexpected end of expression at column 8, expected a comparison operator after the arithmetic (it is a number, not a condition)`},
	{name: "group then arithmetic alone", src: "(a) + 1", col: 8,
		want: `expression "(a) + 1": unexpected end of expression at column 8, expected a comparison operator after the arithmetic (it is a number, not a condition)`},
	{name: "arithmetic alone before and", src: "a * 2 && b", col: 7,
		want: `expression "a * 2 && b": unexpected "&" at column 7, expected a comparison operator after the arithmetic (it is a number, not a condition)`},
	{name: "operator without operand", src: "a + > 5", col: 5,
		want: `expression "a + > 5": unexpected ">" at column 5, expected a number, path, $fact, function or "("`},
	{name: "operator at the end", src: "a *", col: 4,
		want: `expression "a *": unexpected end of expression at column 4, expected a number, path, $fact, function or "("`},
	{name: "right operator at the end", src: "a > 1 +", col: 8,
		want: `expression "a > 1 +": unexpected end of expression at column 8, expected a value`},
	{name: "string in right arithmetic", src: `a > 1 + "x"`, col: 9,
		want: `expression "a > 1 + \"x\"": unexpected "\"x\"" at column 9, expected a number, duration, size, $.path, $fact or "(" in arithmetic`},
	{name: "bareword in right arithmetic", src: "a > 1 + ok", col: 9,
		want: `expression "a > 1 + ok": unexpected "ok" at column 9, expected a number, duration, size, $.path, $fact or "(" in arithmetic`},
	{name: "string in a right group", src: `a > ("x")`, col: 6,
		want: `expression "a > (\"x\")": unexpected "\"x\"" at column 6, expected a number, duration, size, $.path, $fact or "(" in arithmetic`},
	{name: "no spaces on the right", src: "a > 2*3", col: 5,
		want: `expression "a > 2*3": unexpected "2*3" at column 5, expected a number, a duration (500ms, 5s, 2h, 1d), a size (512MiB, 1.5GB) or a quoted string (write spaces around arithmetic operators: 2 * 3)`},
	{name: "string then an operator", src: `a == "x" + 1`, col: 10,
		want: `expression "a == \"x\" + 1": unexpected "+" at column 10, expected &&, || or end of expression`},
	{name: "literal divisor zero", src: "a / 0 > 1", col: 5,
		want: `expression "a / 0 > 1": unexpected "0" at column 5, expected a divisor that is not 0`},
	{name: "literal zero duration divisor", src: "a / 0s > 1", col: 5,
		want: `expression "a / 0s > 1": unexpected "0s" at column 5, expected a divisor that is not 0`},
	{name: "literal zero remainder on the right", src: "a > $.b % 0", col: 11,
		want: `expression "a > $.b % 0": unexpected "0" at column 11, expected a divisor that is not 0`},
	{name: "exists in arithmetic", src: "exists(a) + 1 > 2", col: 1,
		want: `expression "exists(a) + 1 > 2": unexpected "exists(a)" at column 1, expected a number in arithmetic (exists() is not one)`},
	{name: "any in arithmetic", src: "1 + any(x) > 2", col: 5,
		want: `expression "1 + any(x) > 2": unexpected "any(x)" at column 5, expected a number in arithmetic (any() is not one)`},
	{name: "version in arithmetic", src: "version(v) * 2 > 2", col: 1,
		want: `expression "version(v) * 2 > 2": unexpected "version(v)" at column 1, expected a number in arithmetic (version() is not one)`},
	{name: "contains after arithmetic", src: `a + 1 contains "x"`, col: 7,
		want: `expression "a + 1 contains \"x\"": unexpected "contains" at column 7, expected a comparison of numbers after arithmetic (contains needs a string or an array)`},
	{name: "regex with right arithmetic", src: "a =~ $.b + 1", col: 6,
		want: `expression "a =~ $.b + 1": unexpected "$.b + 1" at column 6, expected a regular expression in quotes after =~`},
	{name: "exists compared with arithmetic", src: "exists(a) == $time", col: 11,
		want: `expression "exists(a) == $time": unexpected "==" at column 11, expected exists() on its own or compared with true or false`},
	{name: "unclosed arithmetic group", src: "(a - b", col: 7,
		want: `expression "(a - b": unexpected end of expression at column 7, expected a comparison operator after the arithmetic (it is a number, not a condition)`},
	{name: "unclosed condition around arithmetic", src: "((a - b) > 5", col: 13,
		want: `expression "((a - b) > 5": unexpected end of expression at column 13, expected ")" to close "(" at column 1`},
	{name: "unclosed right group", src: "a > (1 + 2", col: 11,
		want: `expression "a > (1 + 2": unexpected end of expression at column 11, expected ")" to close "(" at column 5`},
	{name: "condition compared", src: "(a > 1) > 2", col: 9,
		want: `expression "(a > 1) > 2": unexpected ">" at column 9, expected &&, || or end of expression`},
	{name: "condition in arithmetic", src: "(a > 1) + 2 > 0", col: 9,
		want: `expression "(a > 1) + 2 > 0": unexpected "+" at column 9, expected &&, || or end of expression`},
	{name: "comparison inside an arithmetic group", src: "a + (b > 1) > 0", col: 8,
		want: `expression "a + (b > 1) > 0": unexpected ">" at column 8, expected an arithmetic operator or ")"`},
	{name: "unicode before an arithmetic error", src: "größe * > 1", col: 9,
		want: `expression "größe * > 1": unexpected ">" at column 9, expected a number, path, $fact, function or "("`},

	// version()
	{name: "version with =~", src: `version(v) =~ "x"`, col: 12,
		want: `expression "version(v) =~ \"x\"": unexpected "=~" at column 12, expected ==, !=, <, <=, > or >= after version()`},
	{name: "version with contains", src: `version(v) contains "3"`, col: 12,
		want: `expression "version(v) contains \"3\"": unexpected "contains" at column 12, expected ==, !=, <, <=, > or >= after version()`},
	{name: "version literal with an empty component", src: `version(v) < "3..1"`, col: 14,
		want: `expression "version(v) < \"3..1\"": unexpected "\"3..1\"" at column 14, expected a version such as 3.12.1 after <`},
	{name: "version literal a word", src: "version(v) < abc", col: 14,
		want: `expression "version(v) < abc": unexpected "abc" at column 14, expected a version such as 3.12.1 after <`},
	{name: "version literal a duration", src: "version(v) >= 1h", col: 15,
		want: `expression "version(v) >= 1h": unexpected "1h" at column 15, expected a version such as 3.12.1 after >=`},
	{name: "version literal true", src: "version(v) == true", col: 15,
		want: `expression "version(v) == true": unexpected "true" at column 15, expected a version such as 3.12.1 after ==`},
	{name: "version literal empty pre-release", src: `version(v) < "1.2-"`, col: 14,
		want: `expression "version(v) < \"1.2-\"": unexpected "\"1.2-\"" at column 14, expected a version such as 3.12.1 after <`},
	{name: "version without a value", src: "version(v) < ", col: 14,
		want: `expression "version(v) < ": unexpected end of expression at column 14, expected a version such as 3.12.1 after <`},
	{name: "version compared with a fact", src: "version(v) < $time", col: 14,
		want: `expression "version(v) < $time": unexpected "$" at column 14, expected a version such as 3.12.1 after <`},
	{name: "version alone", src: "version(v)", col: 11,
		want: `expression "version(v)": unexpected end of expression at column 11, expected a comparison with a version, as in version(p) < "3.13"`},
	{name: "version takes no window", src: `version(v, 1h) < "1"`, col: 10,
		want: `expression "version(v, 1h) < \"1\"": unexpected "," at column 10, expected ")" to close version(`},
}

func TestArithmeticParseErrors(t *testing.T) {
	for _, row := range arithParseErrorRows {
		t.Run(row.name, func(t *testing.T) {
			e, err := Parse(row.src)
			require.Error(t, err, "parsed as %v", e)
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, row.col, se.Col)
			assert.Equal(t, row.want, err.Error())
		})
	}
}

// TestArithmeticDepth: arithmetic parentheses count towards the nesting
// limit, on both sides, and a deep mix of "(" stays within the limit's
// cost.
func TestArithmeticDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("(", n) + "b" + strings.Repeat(")", n) }
	rows := []struct {
		name string
		src  string
		col  int // 0: parses
	}{
		{name: "left at the limit", src: "a + " + deep(maxDepth) + " > 1"},
		{name: "left over the limit", src: "a + " + deep(maxDepth+1) + " > 1", col: 5 + maxDepth},
		{name: "right at the limit", src: "a > 1 + " + strings.Repeat("(", maxDepth) + "$.b" + strings.Repeat(")", maxDepth)},
		{name: "right over the limit", src: "a > 1 + " + strings.Repeat("(", maxDepth+1) + "$.b" + strings.Repeat(")", maxDepth+1), col: 9 + maxDepth},
		{name: "arithmetic group at the start at the limit", src: deep(maxDepth) + " - c > 1"},
		{name: "arithmetic group at the start over the limit", src: deep(maxDepth+1) + " - c > 1", col: 1 + maxDepth},
		{name: "far over the limit", src: deep(10000) + " - c > 1", col: 1 + maxDepth},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, err := Parse(row.src)
			if row.col == 0 {
				assert.NoError(t, err)
				return
			}
			var se *SyntaxError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, row.col, se.Col)
			assert.Contains(t, err.Error(), "at most 64 levels of ( and !")
		})
	}
}

// TestArithmeticWalkers: Paths lists every document path read anywhere,
// and Windows reaches window functions inside arithmetic.
func TestArithmeticWalkers(t *testing.T) {
	rows := []struct {
		name    string
		src     string
		paths   []string
		windows []Window
	}{
		{name: "factors", src: "(disk.total - disk.free) / disk.total * 100 > 90", paths: []string{"disk.total", "disk.free"}},
		{name: "right side", src: "memory.alloc_mb > $.memory.sys_mb * 0.9 + $.memory.reserve", paths: []string{"memory.alloc_mb", "memory.sys_mb", "memory.reserve"}},
		{name: "function arguments", src: "len(items) / max(xs) > $.limit", paths: []string{"items", "xs", "limit"}},
		{name: "facts read no path", src: "$time * 1000 > $size", paths: nil},
		{name: "window in arithmetic", src: "growth(x, 1h) * 2 > 40 || rate(y, 10m) - delta(z, 30m) > 0",
			paths:   []string{"x", "y", "z"},
			windows: []Window{{Path: "x", Window: time.Hour}, {Path: "y", Window: 10 * time.Minute}, {Path: "z", Window: 30 * time.Minute}}},
		{name: "version path on the right", src: "version(v) < $.w", paths: []string{"v", "w"}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e := MustParse(row.src)
			assert.Equal(t, row.paths, e.Paths())
			assert.Equal(t, row.windows, e.Windows())
		})
	}
}

func TestArithmeticWindowEval(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	h := sliceHistory{"x": {{Time: now.Add(-time.Hour + time.Second), Value: 100}, {Time: now, Value: 125}}}
	env := &Env{Doc: `{"x":125}`, Now: now, History: h}
	fired, obs, err := MustParse("growth(x, 1h) * 2 > 40").Trace(env)
	require.NoError(t, err)
	assert.True(t, fired)
	assert.Equal(t, []Observation{
		{Subject: "growth(x, 1h) * 2", Value: Value{Kind: Number, Num: 50}},
		{Subject: "growth(x, 1h)", Value: Value{Kind: Number, Num: 25}, Part: true},
	}, obs)
}
