package expr_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// evalFixture holds one value of every JSON type, plus the numbers that the
// float, big-integer and zero rules are tested with.
const evalFixture = `{
	"num": 42,
	"numstr": "1234",
	"s": "abc",
	"padded": " 12",
	"b": true,
	"f": false,
	"n": null,
	"arr": [1, 2, 3],
	"tags": ["a", "b"],
	"memory": {"alloc_mb": 256, "sys_mb": 512},
	"limit": 40,
	"ratio": 0.9,
	"tenth": 0.1,
	"pointthree": 0.3,
	"sum01_02": 0.30000000000000004,
	"big": 9007199254740993,
	"big2": 9007199254740992,
	"nbig": -9007199254740993,
	"bigstr": "9007199254740993",
	"bigs": [9007199254740993],
	"huge": 1e400,
	"neghuge": -1e400,
	"negzero": -0,
	"zero": 0
}`

// evalHealthDoc is the guide's health document with the goroutine count as a
// parameter.
func evalHealthDoc(goroutines int) string {
	return fmt.Sprintf(`{"status":"ok","goroutines":%d,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`, goroutines)
}

// evalWant is the outcome of one evaluation: a result, or an error of a kind
// with its exact message.
type evalWant struct {
	val  bool
	kind expr.ErrorKind // zero: no error
	msg  string
}

func evalTrue() evalWant  { return evalWant{val: true} }
func evalFalse() evalWant { return evalWant{val: false} }

func evalErr(kind expr.ErrorKind, msg string) evalWant {
	return evalWant{kind: kind, msg: msg}
}

// evalRow is one expression evaluated against env (the fixture when nil).
type evalRow struct {
	name string
	src  string
	env  *expr.Env
	want evalWant
}

// checkEval parses src and checks that evaluating it against env gives want.
func checkEval(t *testing.T, src string, env *expr.Env, want evalWant) {
	t.Helper()
	e, err := expr.Parse(src)
	require.NoError(t, err, "parse %q", src)
	got, err := e.Eval(env)
	if want.kind == 0 {
		require.NoError(t, err, "eval %q", src)
		assert.Equal(t, want.val, got, "eval %q", src)
		return
	}
	require.Error(t, err, "eval %q: want an error, got %v", src, got)
	var ee *expr.EvalError
	require.ErrorAs(t, err, &ee, "eval %q", src)
	assert.Equal(t, want.kind, ee.Kind, "eval %q: kind of %q", src, err.Error())
	assert.Equal(t, want.msg, err.Error(), "eval %q", src)
	assert.False(t, got, "eval %q: an error must not come with true", src)
}

func runEvalRows(t *testing.T, rows []evalRow) {
	t.Helper()
	names := map[string]bool{}
	for _, r := range rows {
		require.False(t, names[r.name], "duplicate row name %q", r.name)
		names[r.name] = true
		t.Run(r.name, func(t *testing.T) {
			env := r.env
			if env == nil {
				env = &expr.Env{Doc: evalFixture}
			}
			checkEval(t, r.src, env, r.want)
		})
	}
}

// evalTimeEnv is the fixture with $time set to sec.
func evalTimeEnv(sec float64) *expr.Env {
	return &expr.Env{Doc: evalFixture, Time: expr.Fact(sec)}
}

func TestEvalOperatorByType(t *testing.T) {
	const (
		missing    = expr.ErrMissing
		null       = expr.ErrNull
		typ        = expr.ErrType
		notScalar  = expr.ErrNotScalar
		nopeMsg    = "nope: not found"
		arrNumber  = "arr: got array, want number"
		memNumber  = "memory: got object, want number"
		boolNumber = "b: got boolean true, want number"
		nullNumber = "n: got null, want number"
	)
	rows := []evalRow{
		// number
		{"number ==", "num == 42", nil, evalTrue()},
		{"number == other", "num == 41", nil, evalFalse()},
		{"number !=", "num != 42", nil, evalFalse()},
		{"number >", "num > 41", nil, evalTrue()},
		{"number > equal", "num > 42", nil, evalFalse()},
		{"number >=", "num >= 43", nil, evalFalse()},
		{"number >= equal", "num >= 42", nil, evalTrue()},
		{"number <", "num < 43", nil, evalTrue()},
		{"number <=", "num <= 41", nil, evalFalse()},
		{"number <= equal", "num <= 42", nil, evalTrue()},
		{"number =~ matches its digits", `num =~ "^4\\d$"`, nil, evalTrue()},
		{"number !~", `num !~ "^4"`, nil, evalFalse()},
		{"number contains", `num contains "4"`, nil, evalErr(typ, "num: got number 42, want string or array")},
		{"number bare", "num", nil, evalErr(typ, "num: got number 42, want boolean (a check needs a condition such as num > 42; in a shell, quote it)")},

		// numeric string: compares as the number it holds
		{"numeric string == number", "numstr == 1234", nil, evalTrue()},
		{"numeric string == decimal", "numstr == 1234.0", nil, evalTrue()},
		{"numeric string == string", `numstr == "1234"`, nil, evalTrue()},
		{"numeric string == other spelling is exact", `numstr == "1234.0"`, nil, evalFalse()},
		{"numeric string !=", "numstr != 1234", nil, evalFalse()},
		{"numeric string >", "numstr > 1000", nil, evalTrue()},
		{"numeric string >=", "numstr >= 1235", nil, evalFalse()},
		{"numeric string <", "numstr < 1000", nil, evalFalse()},
		{"numeric string <=", "numstr <= 1234", nil, evalTrue()},
		{"numeric string > numeric string compares numbers", `numstr > "999"`, nil, evalTrue()},
		{"numeric string =~", `numstr =~ "^12"`, nil, evalTrue()},
		{"numeric string !~", `numstr !~ "^12"`, nil, evalFalse()},
		{"numeric string contains", `numstr contains "23"`, nil, evalTrue()},
		{"numeric string bare", "numstr", nil, evalErr(typ, `numstr: got string "1234", want boolean (a check needs a condition such as numstr != "1234"; in a shell, quote it)`)},

		// non-numeric string
		{"string ==", `s == "abc"`, nil, evalTrue()},
		{"string == is exact", `s == "ABC"`, nil, evalFalse()},
		{"string !=", `s != "abc"`, nil, evalFalse()},
		{"string > number", "s > 5", nil, evalErr(typ, `s: got string "abc", want number`)},
		{"string == number", "s == 5", nil, evalErr(typ, `s: got string "abc", want number`)},
		{"string != number", "s != 5", nil, evalErr(typ, `s: got string "abc", want number`)},
		{"string >= string by bytes", `s >= "abc"`, nil, evalTrue()},
		{"string > numeric string by bytes", `s > "999"`, nil, evalTrue()},
		{"string <", `s < "abd"`, nil, evalTrue()},
		{"string <=", `s <= "abb"`, nil, evalFalse()},
		{"string =~", `s =~ "b"`, nil, evalTrue()},
		{"string !~", `s !~ "b"`, nil, evalFalse()},
		{"string contains", `s contains "bc"`, nil, evalTrue()},
		{"string contains absent", `s contains "x"`, nil, evalFalse()},
		{"string bare", "s", nil, evalErr(typ, `s: got string "abc", want boolean (a check needs a condition such as s != "abc"; in a shell, quote it)`)},
		{"padded numeric string is not a number", "padded > 5", nil, evalErr(typ, `padded: got string " 12", want number`)},

		// boolean
		{"bool == true", "b == true", nil, evalTrue()},
		{"bool == false", "b == false", nil, evalFalse()},
		{"bool != false", "b != false", nil, evalTrue()},
		{"false == false", "f == false", nil, evalTrue()},
		{"bool == number", "b == 1", nil, evalErr(typ, boolNumber)},
		{"bool == string", `b == "true"`, nil, evalErr(typ, `b: got boolean true, want string`)},
		{"bool >", "b > 1", nil, evalErr(typ, boolNumber)},
		{"bool >=", "b >= 1", nil, evalErr(typ, boolNumber)},
		{"bool <", "b < 1", nil, evalErr(typ, boolNumber)},
		{"bool <=", "b <= 1", nil, evalErr(typ, boolNumber)},
		{"bool =~", `b =~ "t"`, nil, evalErr(typ, "b: got boolean true, want string")},
		{"bool !~", `b !~ "t"`, nil, evalErr(typ, "b: got boolean true, want string")},
		{"bool contains", `b contains "t"`, nil, evalErr(typ, "b: got boolean true, want string or array")},
		{"bool bare true", "b", nil, evalTrue()},
		{"bool bare false", "f", nil, evalFalse()},

		// null
		{"null == null", "n == null", nil, evalTrue()},
		{"null != null", "n != null", nil, evalFalse()},
		{"null == number", "n == 5", nil, evalErr(null, nullNumber)},
		{"null != number", "n != 5", nil, evalErr(null, nullNumber)},
		{"null == string", `n == "x"`, nil, evalErr(null, "n: got null, want string")},
		{"null == bool", "n == true", nil, evalErr(null, "n: got null, want boolean")},
		{"null >", "n > 5", nil, evalErr(null, nullNumber)},
		{"null >=", "n >= 5", nil, evalErr(null, nullNumber)},
		{"null <", "n < 5", nil, evalErr(null, nullNumber)},
		{"null <=", "n <= 5", nil, evalErr(null, nullNumber)},
		{"null =~", `n =~ "x"`, nil, evalErr(null, "n: got null, want string")},
		{"null !~", `n !~ "x"`, nil, evalErr(null, "n: got null, want string")},
		{"null contains", `n contains "x"`, nil, evalErr(null, "n: got null, want string or array")},
		{"null bare", "n", nil, evalErr(null, "n: got null, want boolean (a check needs a condition such as n != null; in a shell, quote it)")},

		// missing path: every operator is an error, == null included
		{"missing ==", "nope == 1", nil, evalErr(missing, nopeMsg)},
		{"missing == null", "nope == null", nil, evalErr(missing, nopeMsg)},
		{"missing !=", "nope != 1", nil, evalErr(missing, nopeMsg)},
		{"missing >", "nope > 1", nil, evalErr(missing, nopeMsg)},
		{"missing >=", "nope >= 1", nil, evalErr(missing, nopeMsg)},
		{"missing <", "nope < 1", nil, evalErr(missing, nopeMsg)},
		{"missing <=", "nope <= 1", nil, evalErr(missing, nopeMsg)},
		{"missing =~", `nope =~ "x"`, nil, evalErr(missing, nopeMsg)},
		{"missing !~", `nope !~ "x"`, nil, evalErr(missing, nopeMsg)},
		{"missing contains", `nope contains "x"`, nil, evalErr(missing, nopeMsg)},
		{"missing bare", "nope", nil, evalErr(missing, nopeMsg)},
		{"missing nested", "memory.nope > 1", nil, evalErr(missing, "memory.nope: not found")},

		// array
		{"array ==", "arr == 1", nil, evalErr(notScalar, arrNumber)},
		{"array !=", "arr != 1", nil, evalErr(notScalar, arrNumber)},
		{"array == null", "arr == null", nil, evalFalse()},
		{"array >", "arr > 1", nil, evalErr(notScalar, arrNumber)},
		{"array >=", "arr >= 1", nil, evalErr(notScalar, arrNumber)},
		{"array <", "arr < 1", nil, evalErr(notScalar, arrNumber)},
		{"array <=", "arr <= 1", nil, evalErr(notScalar, arrNumber)},
		{"array > string", `arr > "a"`, nil, evalErr(notScalar, "arr: got array, want string")},
		{"array =~", `arr =~ "1"`, nil, evalErr(notScalar, "arr: got array, want string")},
		{"array !~", `arr !~ "1"`, nil, evalErr(notScalar, "arr: got array, want string")},
		{"array contains element", "arr contains 2", nil, evalTrue()},
		{"array contains absent", "arr contains 5", nil, evalFalse()},
		{"array contains numeric string", `arr contains "2"`, nil, evalTrue()},
		{"array of strings contains", `tags contains b`, nil, evalTrue()},
		{"array bare", "arr", nil, evalErr(notScalar, "arr: got array, want boolean (a check needs a condition such as len(arr) > 0; in a shell, quote it)")},

		// object
		{"object ==", "memory == 1", nil, evalErr(notScalar, memNumber)},
		{"object !=", "memory != 1", nil, evalErr(notScalar, memNumber)},
		{"object == null", "memory == null", nil, evalFalse()},
		{"object >", "memory > 1", nil, evalErr(notScalar, memNumber)},
		{"object >=", "memory >= 1", nil, evalErr(notScalar, memNumber)},
		{"object <", "memory < 1", nil, evalErr(notScalar, memNumber)},
		{"object <=", "memory <= 1", nil, evalErr(notScalar, memNumber)},
		{"object =~", `memory =~ "a"`, nil, evalErr(notScalar, "memory: got object, want string")},
		{"object !~", `memory !~ "a"`, nil, evalErr(notScalar, "memory: got object, want string")},
		{"object contains", `memory contains "alloc_mb"`, nil, evalErr(notScalar, "memory: got object, want string or array")},
		{"object bare", "memory", nil, evalErr(notScalar, "memory: got object, want boolean (a check needs a condition such as len(memory) > 0; in a shell, quote it)")},

		// right side: number, duration, string, bareword, true/false/null
		{"rhs negative number", "num > -1", nil, evalTrue()},
		{"rhs exponent", "num < 1e3", nil, evalTrue()},
		{"rhs duration minutes", "num > 1m", nil, evalFalse()},
		{"rhs duration seconds", "num >= 42s", nil, evalTrue()},
		{"rhs duration below", "num > 30s", nil, evalTrue()},
		{"rhs double-quoted string", `s == "abc"`, nil, evalTrue()},
		{"rhs single-quoted string", `s == 'abc'`, nil, evalTrue()},
		{"rhs bareword", "s == abc", nil, evalTrue()},
		{"rhs bareword !=", "s != abd", nil, evalTrue()},
		{"rhs number against string literal", `num == "42"`, nil, evalTrue()},
		{"rhs non-numeric string against number", `num == "abc"`, nil, evalErr(typ, "num: got number 42, want string")},
		{"rhs true against number", "num == true", nil, evalErr(typ, "num: got number 42, want boolean")},
		{"rhs false against string", "s == false", nil, evalErr(typ, `s: got string "abc", want boolean`)},
		{"rhs null against number", "num == null", nil, evalFalse()},
		{"rhs null != number", "num != null", nil, evalTrue()},
		{"rhs null against string", "s == null", nil, evalFalse()},

		// right side: $.path
		{"rhs path number", "num > $.limit", nil, evalTrue()},
		{"rhs path equal", "num == $.num", nil, evalTrue()},
		{"rhs path nested", "memory.alloc_mb > $.memory.sys_mb", nil, evalFalse()},
		{"rhs path nested reversed", "memory.sys_mb > $.memory.alloc_mb", nil, evalTrue()},
		{"rhs path big integers exact", "big > $.big2", nil, evalTrue()},
		{"rhs path big integers ==", "big == $.big2", nil, evalFalse()},
		{"rhs path string", "s == $.s", nil, evalTrue()},
		{"rhs path missing", "num > $.nope", nil, evalErr(missing, "$.nope: not found")},
		{"rhs path missing ==", "num == $.nope", nil, evalErr(missing, "$.nope: not found")},
		{"lhs missing reported before rhs", "nope > $.nope2", nil, evalErr(missing, nopeMsg)},
		{"rhs path null ordered", "num > $.n", nil, evalErr(null, "$.n: got null, want number or string")},
		{"rhs path null ==", "num == $.n", nil, evalFalse()},
		{"rhs path null == null", "n == $.n", nil, evalTrue()},
		{"rhs path bool ordered", "num > $.b", nil, evalErr(typ, "$.b: got boolean true, want number or string")},
		{"rhs path array ordered", "num > $.arr", nil, evalErr(notScalar, "$.arr: got array, want number or string")},
		{"rhs path array ==", "num == $.arr", nil, evalErr(notScalar, "$.arr: got array, want a single value")},
		{"rhs path object ordered", "num > $.memory", nil, evalErr(notScalar, "$.memory: got object, want number or string")},
		{"rhs path number for contains", "s contains $.num", nil, evalErr(typ, "$.num: got number 42, want string")},
		{"rhs path object for array contains", "arr contains $.memory", nil, evalErr(notScalar, "$.memory: got object, want a single value")},
		{"rhs path bool for any", "any(arr) > $.b", nil, evalErr(typ, "$.b: got boolean true, want number or string")},

		// float semantics
		{"0.9 > 0.5", "ratio > 0.5", nil, evalTrue()},
		{"0.9 < 0.5", "ratio < 0.5", nil, evalFalse()},
		{"0.9 == 0.9", "ratio == 0.9", nil, evalTrue()},
		{"0.1 == 0.1", "tenth == 0.1", nil, evalTrue()},
		{"0.1 > next float below", "tenth > 0.09999999999999999", nil, evalTrue()},
		{"0.3 == 0.3", "pointthree == 0.3", nil, evalTrue()},
		{"0.3 < 0.30000000000000004", "pointthree < 0.30000000000000004", nil, evalTrue()},
		{"0.30000000000000004 > 0.3", "sum01_02 > 0.3", nil, evalTrue()},
		{"0.30000000000000004 != 0.3", "sum01_02 != 0.3", nil, evalTrue()},

		// integers beyond 2^53
		{"2^53+1 > 2^53", "big > 9007199254740992", nil, evalTrue()},
		{"2^53+1 == 2^53", "big == 9007199254740992", nil, evalFalse()},
		{"2^53+1 != 2^53", "big != 9007199254740992", nil, evalTrue()},
		{"2^53+1 == itself", "big == 9007199254740993", nil, evalTrue()},
		{"2^53+1 >= itself", "big >= 9007199254740993", nil, evalTrue()},
		{"2^53+1 < 2^53+2", "big < 9007199254740994", nil, evalTrue()},
		{"2^53 < 2^53+1", "big2 < 9007199254740993", nil, evalTrue()},
		{"-(2^53+1) < -2^53", "nbig < -9007199254740992", nil, evalTrue()},
		{"-(2^53+1) == itself", "nbig == -9007199254740993", nil, evalTrue()},
		{"numeric string 2^53+1 > 2^53", "bigstr > 9007199254740992", nil, evalTrue()},
		{"numeric string 2^53+1 == 2^53", "bigstr == 9007199254740992", nil, evalFalse()},
		{"array of 2^53+1 contains 2^53", "bigs contains 9007199254740992", nil, evalFalse()},
		{"array of 2^53+1 contains itself", "bigs contains 9007199254740993", nil, evalTrue()},

		// out of float64 range and signed zero
		{"1e400 > 1e308", "huge > 1e308", nil, evalTrue()},
		{"1e400 > small", "huge > 5", nil, evalTrue()},
		{"1e400 > 2^53+1", "huge > 9007199254740993", nil, evalTrue()},
		{"-1e400 < -1e308", "neghuge < -1e308", nil, evalTrue()},
		{"-0 == 0", "negzero == 0", nil, evalTrue()},
		{"-0 != 0", "negzero != 0", nil, evalFalse()},
		{"-0 < 0", "negzero < 0", nil, evalFalse()},
		{"-0 >= 0", "negzero >= 0", nil, evalTrue()},
		{"0 == -0", "zero == -0", nil, evalTrue()},

		// durations are seconds
		{"$time 0.5 > 1s", "$time > 1s", evalTimeEnv(0.5), evalFalse()},
		{"$time 1.5 > 1s", "$time > 1s", evalTimeEnv(1.5), evalTrue()},
		{"$time 0.5 > 500ms", "$time > 500ms", evalTimeEnv(0.5), evalFalse()},
		{"$time 0.5 >= 500ms", "$time >= 500ms", evalTimeEnv(0.5), evalTrue()},
		{"$time 0.6 > 500ms", "$time > 500ms", evalTimeEnv(0.6), evalTrue()},
		{"$time 1.5 > 1.5s", "$time > 1.5s", evalTimeEnv(1.5), evalFalse()},
		{"$time 59 < 1m", "$time < 1m", evalTimeEnv(59), evalTrue()},
		{"$time 5400 == 1h30m", "$time == 1h30m", evalTimeEnv(5400), evalTrue()},
		{"$time 172800 == 2d", "$time == 2d", evalTimeEnv(172800), evalTrue()},
		{"$time compared with $.path", "$time > $.limit", evalTimeEnv(41), evalTrue()},
	}
	runEvalRows(t, rows)
}

// TestEvalLiteralAtFault covers a literal on the right that the operator
// cannot use: the error must name the right side, not an empty subject.
func TestEvalLiteralAtFault(t *testing.T) {
	for _, tc := range []struct {
		name, src, got string
	}{
		{"number for string contains", "s contains 5", "got number 5, want string"},
		{"bool for string contains", "s contains true", "got boolean true, want string"},
		{"null for string contains", "s contains null", "got null, want string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := expr.MustParse(tc.src).Eval(&expr.Env{Doc: evalFixture})
			var ee *expr.EvalError
			require.ErrorAs(t, err, &ee)
			assert.Contains(t, err.Error(), tc.got)
			assert.NotEmpty(t, ee.Subject, "error %q names no subject", err.Error())
		})
	}
}

func TestEvalSpecExamples(t *testing.T) {
	const (
		services     = `{"services":[{"name":"api","status":"up"},{"name":"db","status":"down"}]}`
		servicesUp   = `{"services":[{"name":"api","status":"up"},{"name":"db","status":"up"}]}`
		noGoroutines = `{"status":"ok","memory":{"sys_mb":512}}`
	)
	healthEnv := func(goroutines int) *expr.Env {
		return &expr.Env{Doc: evalHealthDoc(goroutines), Time: expr.Fact(0.004), Status: expr.Fact(200), Size: expr.Fact(112)}
	}
	doc := func(d string) *expr.Env { return &expr.Env{Doc: d} }
	rows := []evalRow{
		// §2
		{"goroutines > 5000 at 1234", "goroutines > 5000", healthEnv(1234), evalFalse()},
		{"goroutines > 5000 at 5234", "goroutines > 5000", healthEnv(5234), evalTrue()},
		{"$.goroutines > 5000 at 1234", "$.goroutines > 5000", healthEnv(1234), evalFalse()},
		{"$.goroutines > 5000 at 5234", "$.goroutines > 5000", healthEnv(5234), evalTrue()},
		{`status != "ok"`, `status != "ok"`, healthEnv(1234), evalFalse()},
		{"status == ok bareword", "status == ok", healthEnv(1234), evalTrue()},
		{"memory.alloc_mb > $.memory.sys_mb", "memory.alloc_mb > $.memory.sys_mb", healthEnv(1234), evalFalse()},
		{"items.#", "items.# > 2", doc(`{"items":[1,2,3]}`), evalTrue()},
		{"query path with operators inside", `services.#(status!="up")#.name contains "db"`, doc(services), evalTrue()},
		{"query path none down", `len(services.#(status!="up")#.name) == 0`, doc(servicesUp), evalTrue()},
		{"query path is an array", `services.#(status!="up")#.name == "db"`, doc(services),
			evalErr(expr.ErrNotScalar, `services.#(status!="up")#.name: got array, want string`)},
		{"@this", "len(@this) == 3", doc(`[1,2,3]`), evalTrue()},
		{"escaped dot", `fav\.movie == "Deer Hunter"`, doc(`{"fav.movie":"Deer Hunter"}`), evalTrue()},
		{"modifier", `children|@reverse|0 == "Jack"`, doc(`{"children":["Sara","Alex","Jack"]}`), evalTrue()},
		{"backticks for a space", "`my key.count` > 1", doc(`{"my key":{"count":2}}`), evalTrue()},
		{"backticks then more path (doc.go example)", "`my key`.count > 1", doc(`{"my key":{"count":2}}`), evalTrue()},
		{"numeric string 1234", `goroutines > 1000`, doc(`{"goroutines":"1234"}`), evalTrue()},
		{"0.9 > 0.5", "ratio > 0.5", doc(`{"ratio":0.9}`), evalTrue()},
		{"duration 500ms", "$time > 500ms", &expr.Env{Doc: `{}`, Time: expr.Fact(0.7)}, evalTrue()},
		{"$status", "$status == 200", healthEnv(1234), evalTrue()},
		{"$size", "$size > 100", healthEnv(1234), evalTrue()},
		{"$cert_days", "$cert_days < 14", &expr.Env{Doc: `{}`, CertDays: expr.Fact(10)}, evalTrue()},
		{"any down", `any(services.#.status) == "down"`, doc(services), evalTrue()},
		{"any down, all up", `any(services.#.status) == "down"`, doc(servicesUp), evalFalse()},
		{"all up", `all(services.#.status) == "up"`, doc(servicesUp), evalTrue()},
		{"all up, one down", `all(services.#.status) == "up"`, doc(services), evalFalse()},
		{"exists && p > 5, p missing", "exists(p) && p > 5", doc(`{}`), evalFalse()},
		{"exists && p > 5, p is 7", "exists(p) && p > 5", doc(`{"p":7}`), evalTrue()},
		{"exists && p > 5, p is 3", "exists(p) && p > 5", doc(`{"p":3}`), evalFalse()},
		{"!exists", "!exists(p)", doc(`{}`), evalTrue()},
		{"doc.go cache example, no cache", "exists(cache) && cache.hit_ratio < 0.5", doc(`{}`), evalFalse()},
		{"doc.go cache example, low ratio", "exists(cache) && cache.hit_ratio < 0.5", doc(`{"cache":{"hit_ratio":0.25}}`), evalTrue()},
		{`"abc" > 5`, "status > 5", doc(`{"status":"abc"}`), evalErr(expr.ErrType, `status: got string "abc", want number`)},
		{"goroutines: not found", "goroutines > 5000", doc(noGoroutines), evalErr(expr.ErrMissing, "goroutines: not found")},
		{"memory: got object", "memory > 4096", healthEnv(1234), evalErr(expr.ErrNotScalar, "memory: got object, want number")},
		{"null where a number is needed", "goroutines > 5000", doc(`{"goroutines":null}`), evalErr(expr.ErrNull, "goroutines: got null, want number")},
		{"array where a scalar is needed", "goroutines > 5000", doc(`{"goroutines":[1]}`), evalErr(expr.ErrNotScalar, "goroutines: got array, want number")},
		{"error in evaluated operand is not false", "goroutines > 5000 || status != \"ok\"", doc(noGoroutines), evalErr(expr.ErrMissing, "goroutines: not found")},

		// §3 checks file at 1234, 2156 (§5) and 5234 goroutines
		{"§3 status critical", `status != "ok"`, healthEnv(2156), evalFalse()},
		{"§3 goroutines warning at 1234", "goroutines > 2000", healthEnv(1234), evalFalse()},
		{"§3 goroutines critical at 1234", "goroutines > 5000", healthEnv(1234), evalFalse()},
		{"§3 goroutines warning at 2156", "goroutines > 2000", healthEnv(2156), evalTrue()},
		{"§3 goroutines critical at 2156", "goroutines > 5000", healthEnv(2156), evalFalse()},
		{"§3 goroutines warning at 5234", "goroutines > 2000", healthEnv(5234), evalTrue()},
		{"§3 goroutines critical at 5234", "goroutines > 5000", healthEnv(5234), evalTrue()},
		{"§3 memory warning", "memory.alloc_mb > 3072", healthEnv(2156), evalFalse()},
		{"§3 memory critical", "memory.alloc_mb > 4096", healthEnv(2156), evalFalse()},
		{"§3 memory warning fires", "memory.alloc_mb > 3072", doc(`{"memory":{"alloc_mb":3500}}`), evalTrue()},
		{"§3 latency warning", "$time > 1s", healthEnv(2156), evalFalse()},
		{"§3 latency critical", "$time > 5s", healthEnv(2156), evalFalse()},
		{"§3 latency warning fires", "$time > 1s", &expr.Env{Doc: `{}`, Time: expr.Fact(1.2)}, evalTrue()},
		{"§3 latency critical fires", "$time > 5s", &expr.Env{Doc: `{}`, Time: expr.Fact(5.5)}, evalTrue()},
		{"§5 memory.alloc_mb missing", "memory.alloc_mb > 3072", doc(`{"goroutines":1234}`), evalErr(expr.ErrMissing, "memory.alloc_mb: not found")},
	}
	runEvalRows(t, rows)

	t.Run("syntax error names the column", func(t *testing.T) {
		_, err := expr.Parse("goroutines >> 5000")
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), `expression "goroutines >> 5000": unexpected ">" at column 13`), err.Error())
	})
}

func TestEvalLogic(t *testing.T) {
	const nope = "nope: not found"
	rows := []evalRow{
		{"&& both true", "b && num > 1", nil, evalTrue()},
		{"&& right false", "b && num > 100", nil, evalFalse()},
		{"|| both false", "f || num > 100", nil, evalFalse()},
		{"|| right true", "f || num > 1", nil, evalTrue()},
		{"&& left false skips right error", "num > 100 && nope > 1", nil, evalFalse()},
		{"|| left true skips right error", "num > 1 || nope > 1", nil, evalTrue()},
		{"&& left true reports right error", "num > 1 && nope > 1", nil, evalErr(expr.ErrMissing, nope)},
		{"|| left false reports right error", "num > 100 || nope > 1", nil, evalErr(expr.ErrMissing, nope)},
		{"&& left error even if right false", "nope > 1 && num > 100", nil, evalErr(expr.ErrMissing, nope)},
		{"|| left error even if right true", "nope > 1 || num > 1", nil, evalErr(expr.ErrMissing, nope)},
		{"|| right type error", "f || s > 5", nil, evalErr(expr.ErrType, `s: got string "abc", want number`)},
		{"&& right null error", "b && n > 5", nil, evalErr(expr.ErrNull, "n: got null, want number")},
		{"chain || first error wins", "f || nope > 1 || s > 5", nil, evalErr(expr.ErrMissing, nope)},
		{"chain || true stops", "f || b || nope > 1", nil, evalTrue()},
		{"chain && false stops", "b && f && nope > 1", nil, evalFalse()},
		{"! true", "!b", nil, evalFalse()},
		{"! false", "!f", nil, evalTrue()},
		{"!!", "!!b", nil, evalTrue()},
		{"! comparison", "!(num > 100)", nil, evalTrue()},
		{"! of missing is an error", "!(nope > 1)", nil, evalErr(expr.ErrMissing, nope)},
		{"! of bare missing is an error", "!nope", nil, evalErr(expr.ErrMissing, nope)},
		{"! of null is an error", "!n", nil, evalErr(expr.ErrNull, "n: got null, want boolean")},
		{"!! of error is an error", "!!(nope > 1)", nil, evalErr(expr.ErrMissing, nope)},
		{"! exists", "!exists(nope)", nil, evalTrue()},
		{"&& binds tighter than ||", "b || num > 100 && nope > 1", nil, evalTrue()},
		{"parentheses change grouping", "(b || num > 100) && nope > 1", nil, evalErr(expr.ErrMissing, nope)},
		{"&& before ||, left group", `num > 100 && b || s == "abc"`, nil, evalTrue()},
		{"parentheses on the right", `num > 100 && (b || s == "abc")`, nil, evalFalse()},
		{"nested parentheses", "((b)) && ((num > 1))", nil, evalTrue()},
		{"! binds to the operand", "!f && b", nil, evalTrue()},
		{"! over a group", "!(f || b)", nil, evalFalse()},
		{"guard with !exists ||", "!exists(nope) || nope > 1", nil, evalTrue()},
	}
	runEvalRows(t, rows)
}

// TestEvalConditionHint: an expression that is one operand and not a
// boolean, as -c goroutines > 5000 reaches the probe unquoted (the shell
// takes "> 5000"), says that a check needs a condition; Trace says the
// same. An operand inside a larger expression keeps the plain error.
func TestEvalConditionHint(t *testing.T) {
	const hint = "; in a shell, quote it)"
	rows := []struct {
		name, src, want string
	}{
		{"the shell took > 5000", "num", "num: got number 42, want boolean (a check needs a condition such as num > 42" + hint},
		{"in parentheses", "(num)", "num: got number 42, want boolean (a check needs a condition such as num > 42" + hint},
		{"a $.path", "$.num", "num: got number 42, want boolean (a check needs a condition such as num > 42" + hint},
		{"a function", "len(arr)", "len(arr): got number 3, want boolean (a check needs a condition such as len(arr) > 3" + hint},
		{"a string with a quote", `esc`, `esc: got string "say \"hi\"", want boolean (a check needs a condition such as esc != "say \"hi\""` + hint},
		{"a path in backticks", "`my key`", "`my key`: got object, want boolean (a check needs a condition such as len(`my key`) > 0" + hint},

		{"missing stays missing", "nope", "nope: not found"},
		{"under !", "!num", "num: got number 42, want boolean"},
		{"beside &&", "b && num", "num: got number 42, want boolean"},
		{"compared with a boolean", "num == true", "num: got number 42, want boolean"},
		{"an element of any()", "any(arr)", "arr[0]: got number 1, want boolean"},
	}
	doc := strings.Replace(evalFixture, `"num": 42,`, `"num": 42, "esc": "say \"hi\"", "my key": {"a": 1},`, 1)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e := expr.MustParse(row.src)
			_, err := e.Eval(&expr.Env{Doc: doc})
			assert.EqualError(t, err, row.want)
			_, _, err = e.Trace(&expr.Env{Doc: doc})
			assert.EqualError(t, err, row.want)
		})
	}
}

func TestEvalFunctions(t *testing.T) {
	const doc = `{
		"arr": [1, 2, 3],
		"memory": {"a": 1, "b": 2, "c": 3, "d": 4},
		"uni": "héllo✓",
		"num": 42,
		"n": null,
		"vals": [4, 1.5, "10", 2.5],
		"empty": [],
		"items": [1, 2, "x", 4],
		"nullitems": [1, null],
		"objitems": [1, {"a": 1}],
		"mixed": [0, "x", 5],
		"early": [5, "x"],
		"flags": [false, true],
		"ts_rfc": "2026-11-28T20:59:00Z",
		"ts_frac": "2026-11-28T20:58:59.5Z",
		"ts_offset": "2026-11-28T21:59:30+01:00",
		"ts_nozone": "2026-11-28T20:59:00",
		"ts_python": "2026-11-28 21:00:00.123456",
		"ts_python_zone": "2026-11-28 20:59:00+00:00",
		"ts_unix": 1795899540,
		"ts_unix_str": "1795899540",
		"ts_unix_ms": 1795899540000,
		"ts_future": "2026-11-28T21:01:00Z",
		"ts_old": "2001-01-01T00:00:00Z",
		"ts_bad": "yesterday",
		"ts_bool": true
	}`
	now := time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)
	require.Equal(t, int64(1795899600), now.Unix(), "the Unix fixtures are 60s before now")
	env := &expr.Env{Doc: doc, Now: now}
	at := func(n time.Time) *expr.Env { return &expr.Env{Doc: doc, Now: n} }
	facts := &expr.Env{Doc: doc, Status: expr.Fact(200), Time: expr.Fact(0.25), Size: expr.Fact(112), CertDays: expr.Fact(30)}
	noFacts := &expr.Env{Doc: doc}
	const tsWant = "timestamp (RFC 3339 or ISO 8601 date, RFC 1123, Unix seconds or milliseconds)"
	rows := []evalRow{
		// exists
		{"exists present", "exists(num)", env, evalTrue()},
		{"exists null counts", "exists(n)", env, evalTrue()},
		{"exists missing", "exists(nope)", env, evalFalse()},
		{"exists missing nested", "exists(memory.nope)", env, evalFalse()},
		{"exists == false", "exists(nope) == false", env, evalTrue()},
		{"exists == true", "exists(arr) == true", env, evalTrue()},

		// len
		{"len array", "len(arr) == 3", env, evalTrue()},
		{"len empty array", "len(empty) == 0", env, evalTrue()},
		{"len object", "len(memory) == 4", env, evalTrue()},
		{"len string counts characters", "len(uni) == 6", env, evalTrue()},
		{"len number", "len(num) > 0", env, evalErr(expr.ErrType, "num: got number 42, want array, object or string")},
		{"len null", "len(n) > 0", env, evalErr(expr.ErrNull, "n: got null, want array, object or string")},
		{"len missing", "len(nope) > 0", env, evalErr(expr.ErrMissing, "nope: not found")},

		// min, max, sum, avg (numeric strings count)
		{"min", "min(vals) == 1.5", env, evalTrue()},
		{"max with numeric string", "max(vals) == 10", env, evalTrue()},
		{"sum", "sum(vals) == 18", env, evalTrue()},
		{"avg", "avg(vals) == 4.5", env, evalTrue()},
		{"sum of empty is 0", "sum(empty) == 0", env, evalTrue()},
		{"min of empty", "min(empty) > 0", env, evalErr(expr.ErrType, "empty: got empty array, want at least one number")},
		{"max of empty", "max(empty) > 0", env, evalErr(expr.ErrType, "empty: got empty array, want at least one number")},
		{"avg of empty", "avg(empty) > 0", env, evalErr(expr.ErrType, "empty: got empty array, want at least one number")},
		{"sum names the bad element", "sum(items) > 0", env, evalErr(expr.ErrType, `items[2]: got string "x", want number`)},
		{"min names the bad element", "min(items) > 0", env, evalErr(expr.ErrType, `items[2]: got string "x", want number`)},
		{"max null element", "max(nullitems) > 0", env, evalErr(expr.ErrNull, "nullitems[1]: got null, want number")},
		{"avg object element", "avg(objitems) > 0", env, evalErr(expr.ErrNotScalar, "objitems[1]: got object, want number")},
		{"sum of a number", "sum(num) > 0", env, evalErr(expr.ErrType, "num: got number 42, want array of numbers")},
		{"max of an object", "max(memory) > 0", env, evalErr(expr.ErrNotScalar, "memory: got object, want array of numbers")},
		{"avg of null", "avg(n) > 0", env, evalErr(expr.ErrNull, "n: got null, want array of numbers")},
		{"min missing", "min(nope) > 0", env, evalErr(expr.ErrMissing, "nope: not found")},

		// any, all
		{"any true", "any(arr) > 2", env, evalTrue()},
		{"any false", "any(arr) > 3", env, evalFalse()},
		{"all true", "all(arr) > 0", env, evalTrue()},
		{"all false", "all(arr) > 1", env, evalFalse()},
		{"any of empty is false", "any(empty) == 1", env, evalFalse()},
		{"all of empty is true", "all(empty) == 1", env, evalTrue()},
		{"any wrong element names the index", "any(mixed) > 1", env, evalErr(expr.ErrType, `mixed[1]: got string "x", want number`)},
		{"all wrong element names the index", "all(mixed) < 1", env, evalErr(expr.ErrType, `mixed[1]: got string "x", want number`)},
		{"any stops at the first match", "any(early) > 1", env, evalTrue()},
		{"all stops at the first miss", "all(early) < 1", env, evalFalse()},
		{"any null element", "any(nullitems) > 5", env, evalErr(expr.ErrNull, "nullitems[1]: got null, want number")},
		{"any bare over booleans", "any(flags)", env, evalTrue()},
		{"all bare over booleans", "all(flags)", env, evalFalse()},
		{"any with $.path", "any(arr) == $.num", env, evalFalse()},
		{"any with missing $.path", "any(arr) == $.nope", env, evalErr(expr.ErrMissing, "$.nope: not found")},
		{"any of a number", "any(num) == 1", env, evalErr(expr.ErrType, "num: got number 42, want array")},
		{"all of an object", "all(memory) == 1", env, evalErr(expr.ErrNotScalar, "memory: got object, want array")},
		{"any missing", "any(nope) == 1", env, evalErr(expr.ErrMissing, "nope: not found")},

		// age
		{"age RFC 3339", "age(ts_rfc) == 60", env, evalTrue()},
		{"age RFC 3339 fraction", "age(ts_frac) == 60.5", env, evalTrue()},
		{"age RFC 3339 offset", "age(ts_offset) == 30", env, evalTrue()},
		{"age no zone is UTC", "age(ts_nozone) == 60", env, evalTrue()},
		{"age Python style", "age(ts_python) == 60", at(now.Add(60*time.Second + 123456*time.Microsecond)), evalTrue()},
		{"age Python style with zone", "age(ts_python_zone) == 60", env, evalTrue()},
		{"age Unix seconds", "age(ts_unix) == 60", env, evalTrue()},
		{"age Unix seconds as string", "age(ts_unix_str) == 60", env, evalTrue()},
		{"age Unix milliseconds", "age(ts_unix_ms) == 60", env, evalTrue()},
		{"age compared with duration", "age(ts_rfc) >= 1m", env, evalTrue()},
		{"age future is negative", "age(ts_future) == -60", env, evalTrue()},
		{"age future < 0", "age(ts_future) < 0", env, evalTrue()},
		{"age zero Now is the clock", "age(ts_old) > 1h", &expr.Env{Doc: doc}, evalTrue()},
		{"age garbage", "age(ts_bad) > 1h", env, evalErr(expr.ErrType, `ts_bad: got string "yesterday", want `+tsWant)},
		{"age bool", "age(ts_bool) > 1h", env, evalErr(expr.ErrType, "ts_bool: got boolean true, want "+tsWant)},
		{"age null", "age(n) > 1h", env, evalErr(expr.ErrNull, "n: got null, want "+tsWant)},
		{"age object", "age(memory) > 1h", env, evalErr(expr.ErrNotScalar, "memory: got object, want "+tsWant)},
		{"age missing", "age(nope) > 1h", env, evalErr(expr.ErrMissing, "nope: not found")},

		// probe facts
		{"$status present", "$status == 200", facts, evalTrue()},
		{"$time present", "$time < 1s", facts, evalTrue()},
		{"$size present", "$size > 100", facts, evalTrue()},
		{"$cert_days present", "$cert_days < 14", facts, evalFalse()},
		{"$status absent", "$status == 200", noFacts, evalErr(expr.ErrMissing, "$status: not available (the target is not http)")},
		{"$time absent", "$time > 1s", noFacts, evalErr(expr.ErrMissing, "$time: not available (not measured for this target)")},
		{"$size absent", "$size > 100", noFacts, evalErr(expr.ErrMissing, "$size: not available (not measured for this target)")},
		{"$cert_days absent", "$cert_days < 14", noFacts, evalErr(expr.ErrMissing, "$cert_days: not available (the target is not https)")},
		{"fact bare", "$status", facts, evalErr(expr.ErrType, "$status: got number 200, want boolean (a check needs a condition such as $status > 200; in a shell, quote it)")},
		{"absent fact guarded by ||", "$size > 100 || $cert_days < 14", facts, evalTrue()},
	}
	runEvalRows(t, rows)
}

func TestRange(t *testing.T) {
	for _, tc := range []struct {
		name, src, subject, want string
	}{
		{"greater", "x > 5", "x", "~:5"},
		{"greater or equal", "x >= 5", "x", "@5:"},
		{"less", "x < 10", "x", "10:"},
		{"less or equal", "x <= 5", "x", "@~:5"},
		{"zero", "x > 0", "x", "~:0"},
		{"negative", "x > -5", "x", "~:-5"},
		{"negative zero", "x > -0", "x", "~:0"},
		{"negative zero start", "x < -0", "x", "0:"},
		{"decimal", "x >= 0.5", "x", "@0.5:"},
		{"exponent", "x > 1e3", "x", "~:1000"},
		{"fact with duration", "$time > 1s", "$time", "~:1"},
		{"milliseconds", "x > 500ms", "x", "~:0.5"},
		{"days", "x > 2d", "x", "~:172800"},
		{"dollar path", "$.x > 5", "x", "~:5"},
		{"nested path", "memory.alloc_mb > 3072", "memory.alloc_mb", "~:3072"},
		{"len", "len(items) > 3", "len(items)", "~:3"},
		{"age", "age(ts) > 1h", "age(ts)", "~:3600"},
		{"parenthesized", "(x > 5)", "x", "~:5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			require.NoError(t, err)
			subject, r, ok := e.Range()
			require.True(t, ok)
			assert.Equal(t, tc.subject, subject)
			assert.Equal(t, tc.want, r.String())
			if subject != "x" {
				return
			}
			// The range alerts exactly when the expression is true.
			for _, v := range []float64{r.Start - 1, r.Start, r.Start + 1, r.End - 1, r.End, r.End + 1, -1e9, 1e9} {
				if v != v+1 { // skip infinities
					fired, err := e.Eval(&expr.Env{Doc: fmt.Sprintf(`{"x":%s}`, expr.FormatNumber(v))})
					require.NoError(t, err)
					assert.Equal(t, fired, r.Alert(v), "x = %v", v)
				}
			}
		})
	}
	for _, tc := range []struct{ name, src string }{
		{"equality", "x == 5"},
		{"inequality", "x != 5"},
		{"conjunction", "a > 1 && b > 2"},
		{"disjunction", "a > 1 || b > 2"},
		{"negation", "!(x > 5)"},
		{"string", `x > "abc"`},
		{"bareword", "x > abc"},
		{"path on the right", "x > $.y"},
		{"exists", "exists(x)"},
		{"any", "any(x) > 1"},
		{"all", "all(x) > 1"},
		{"bare operand", "x"},
		{"regexp", `x =~ "5"`},
		{"infinite bound", "x > 1e400"},
	} {
		t.Run("none/"+tc.name, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			require.NoError(t, err)
			subject, r, ok := e.Range()
			assert.False(t, ok)
			assert.Equal(t, "", subject)
			assert.Equal(t, expr.Range{}, r)
		})
	}
}

// evalSeen is an Observation with its value as people read it.
type evalSeen struct{ Subject, Path, Value string }

func TestTraceObservations(t *testing.T) {
	services := `{"services":[{"name":"api","status":"up"},{"name":"db","status":"down"}],"my key":2,"items":[1,2,3]}`
	health := &expr.Env{Doc: evalHealthDoc(2156), Time: expr.Fact(0.004)}
	fixture := &expr.Env{Doc: evalFixture}
	for _, tc := range []struct {
		name    string
		src     string
		env     *expr.Env
		want    []evalSeen
		fired   bool
		wantErr string
	}{
		{"one comparison", "goroutines > 2000", health, []evalSeen{{"goroutines", "goroutines", "2156"}}, true, ""},
		{"dollar path", "$.goroutines > 5000", health, []evalSeen{{"goroutines", "goroutines", "2156"}}, false, ""},
		{"string value quoted", `status != "ok"`, health, []evalSeen{{"status", "status", `"ok"`}}, false, ""},
		{"fact has no path", "$time > 1s", health, []evalSeen{{"$time", "", "0.004"}}, false, ""},
		// The right-hand $.path was not observed before; it is now, after
		// the left side, as a part (see TestTraceParts).
		{"right $.path is observed after the left side", "memory.alloc_mb > $.memory.sys_mb", health,
			[]evalSeen{{"memory.alloc_mb", "memory.alloc_mb", "256"}, {"$.memory.sys_mb", "memory.sys_mb", "512"}}, false, ""},
		{"in order, both sides of ||", `status != "ok" || goroutines > 2000`, health,
			[]evalSeen{{"status", "status", `"ok"`}, {"goroutines", "goroutines", "2156"}}, true, ""},
		{"short-circuit skips the right", `status == "ok" || goroutines > 2000`, health,
			[]evalSeen{{"status", "status", `"ok"`}}, true, ""},
		{"exists guard", "exists(nope) && nope > 5", fixture, []evalSeen{{"exists(nope)", "", "false"}}, false, ""},
		{"function has no path", "len(items) > 2", &expr.Env{Doc: services}, []evalSeen{{"len(items)", "", "3"}}, true, ""},
		{"any observes the array", `any(services.#.status) == "down"`, &expr.Env{Doc: services},
			[]evalSeen{{"any(services.#.status)", "", `["up","down"]`}}, true, ""},
		{"backticked path", "`my key` > 1", &expr.Env{Doc: services}, []evalSeen{{"`my key`", "my key", "2"}}, true, ""},
		{"big integer keeps its digits", "big > 9007199254740992", fixture,
			[]evalSeen{{"big", "big", "9007199254740993"}}, true, ""},
		{"numeric string stays a string", "numstr > 1000", fixture, []evalSeen{{"numstr", "numstr", `"1234"`}}, true, ""},
		{"null", "n == null", fixture, []evalSeen{{"n", "n", "null"}}, true, ""},
		{"negation", "!(num > 100) && s == abc", fixture,
			[]evalSeen{{"num", "num", "42"}, {"s", "s", `"abc"`}}, true, ""},
		{"value found before a type error", "s > 5", fixture, []evalSeen{{"s", "s", `"abc"`}}, false, `s: got string "abc", want number`},
		{"missing operand observes nothing", "nope > 5", fixture, nil, false, "nope: not found"},
		{"values before the error are kept", "num > 1 && nope > 5", fixture,
			[]evalSeen{{"num", "num", "42"}}, false, "nope: not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := expr.Parse(tc.src)
			require.NoError(t, err)
			fired, got, err := e.Trace(tc.env)
			if tc.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tc.fired, fired)
			} else {
				require.Error(t, err)
				assert.Equal(t, tc.wantErr, err.Error())
			}
			var seen []evalSeen
			for _, o := range got {
				seen = append(seen, evalSeen{o.Subject, o.Path, o.Value.String()})
			}
			assert.Equal(t, tc.want, seen)
			// Trace decides as Eval does.
			evalFired, evalErr := e.Eval(tc.env)
			assert.Equal(t, fired, evalFired)
			assert.Equal(t, err, evalErr)
		})
	}
}

// TestEvalDoesNotAllocate guards the hot path: a plain comparison on the
// health document allocates nothing.
func TestEvalDoesNotAllocate(t *testing.T) {
	e := expr.MustParse("goroutines > 5000")
	env := &expr.Env{Doc: evalHealthDoc(1234)}
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := e.Eval(env); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 0.0, allocs)
}
