package expr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// arithFixture holds the values the arithmetic rows compute with.
const arithFixture = `{
	"memory": {"alloc_mb": 256, "sys_mb": 512},
	"disk": {"total": 100, "free": 5},
	"disk-free": 7,
	"zero": 0,
	"neg": -7,
	"numstr": "10",
	"s": "abc",
	"n": null,
	"b": true,
	"arr": [1, 2, 3],
	"obj": {},
	"big": 1e308,
	"huge": 1e400,
	"0": "x",
	"items": [1, 2, 3]
}`

func arithEnv() *expr.Env {
	return &expr.Env{Doc: arithFixture, Time: expr.Fact(0.6), Size: expr.Fact(2048)}
}

func TestEvalArithmetic(t *testing.T) {
	const arith = expr.ErrArith
	sysZero := &expr.Env{Doc: `{"memory":{"alloc_mb":256,"sys_mb":0}}`}
	rows := []evalRow{
		// The documented examples (docs/expressions.md).
		{"ratio below", "memory.alloc_mb / memory.sys_mb > 0.9", nil, evalFalse()},
		{"ratio at half", "memory.alloc_mb / memory.sys_mb == 0.5", nil, evalTrue()},
		{"percent used", "(disk.total - disk.free) / disk.total * 100 > 90", nil, evalTrue()},
		{"right side scaled", "memory.alloc_mb > $.memory.sys_mb * 0.9", nil, evalFalse()},
		{"right side halved", "memory.alloc_mb == $.memory.sys_mb / 2", nil, evalTrue()},
		{"fact in milliseconds", "$time * 1000 > 500", nil, evalTrue()},
		{"facts on both sides", "$size > $time * 1000", nil, evalTrue()},
		{"fact alone on the right", "memory.alloc_mb > $size", nil, evalFalse()},

		// Precedence, associativity, operators.
		{"product before sum", "2 + 3 * 4 == 14", nil, evalTrue()},
		{"parentheses first", "(2 + 3) * 4 == 20", nil, evalTrue()},
		{"minus is left associative", "10 - 4 - 3 == 3", nil, evalTrue()},
		{"grouped minus", "10 - (4 - 3) == 9", nil, evalTrue()},
		{"division is left associative", "64 / 4 / 2 == 8", nil, evalTrue()},
		{"remainder binds like product", "2 * 3 % 4 == 2", nil, evalTrue()},
		{"remainder keeps the dividend's sign", "neg % 3 == -1", nil, evalTrue()},
		{"remainder of a negative divisor", "7 % -3 == 1", nil, evalTrue()},
		{"fractions", "1 / 4 == 0.25", nil, evalTrue()},
		{"float sums", "0.1 + 0.2 == 0.30000000000000004", nil, evalTrue()},
		{"right precedence", "memory.alloc_mb == 56 + $.disk.total * 2", nil, evalTrue()},
		{"durations are seconds", "$time + 1m == 60.6", nil, evalTrue()},
		{"sizes are bytes", "memory.sys_mb * 1MiB == 512MiB", nil, evalTrue()},
		{"decimal and binary sizes", "1GB + 1KiB == 1000001024", nil, evalTrue()},
		{"numeric string", "numstr * 2 == 20", nil, evalTrue()},
		{"dash is part of a key", "disk-free - 1 == 6", nil, evalTrue()},
		{"number-looking key alone is a path", "0 == x", nil, evalTrue()},
		{"any against arithmetic", "any(items) > $.disk.free - 3", nil, evalTrue()},
		{"all against arithmetic", "all(items) > $.disk.free - 3", nil, evalFalse()},
		{"short circuit before a division by zero", "zero != 0 && memory.alloc_mb / zero > 1", nil, evalFalse()},

		// Every factor must be a number.
		{"string factor", "memory.alloc_mb / s > 1", nil, evalErr(expr.ErrType, `s: got string "abc", want number`)},
		{"null factor", "n + 1 > 0", nil, evalErr(expr.ErrNull, "n: got null, want number")},
		{"bool factor", "b * 2 > 0", nil, evalErr(expr.ErrType, "b: got boolean true, want number")},
		{"array factor", "arr * 2 > 0", nil, evalErr(expr.ErrNotScalar, "arr: got array, want number")},
		{"object factor", "1 + obj > 0", nil, evalErr(expr.ErrNotScalar, "obj: got object, want number")},
		{"number-looking key in backticks", "`0` + 1 > 0", nil, evalErr(expr.ErrType, "`0`: got string \"x\", want number")},
		{"missing factor", "memory.alloc_mb / nope > 1", nil, evalErr(expr.ErrMissing, "nope: not found")},
		{"missing fact", "$cert_days * 2 < 28", nil, evalErr(expr.ErrMissing, "$cert_days: not available (the target is not https)")},
		{"right factor missing", "memory.alloc_mb > $.nope * 2", nil, evalErr(expr.ErrMissing, "$.nope: not found")},
		{"right factor a string", "memory.alloc_mb > $.s * 2", nil, evalErr(expr.ErrType, `$.s: got string "abc", want number`)},
		{"arithmetic against a string", `memory.alloc_mb + 1 == "x"`, nil, evalErr(expr.ErrType, "memory.alloc_mb + 1: got number 257, want string")},
		{"string against right arithmetic", "s == $.zero + 1", nil, evalErr(expr.ErrType, `s: got string "abc", want number`)},
		{"right arithmetic for string contains", "s contains $.zero + 1", nil, evalErr(expr.ErrType, "$.zero + 1: got number 1, want string")},

		// No finite result.
		{"division by zero", "memory.alloc_mb / zero > 1", nil, evalErr(arith, "memory.alloc_mb / zero: division by zero (zero is 0)")},
		{"division by zero, as documented", "memory.alloc_mb / memory.sys_mb > 0.9", sysZero,
			evalErr(arith, "memory.alloc_mb / memory.sys_mb: division by zero (memory.sys_mb is 0)")},
		{"division by a sum that is zero", "memory.alloc_mb / (disk.free - 5) > 1", nil,
			evalErr(arith, "memory.alloc_mb / (disk.free - 5): division by zero (disk.free - 5 is 0)")},
		{"remainder by zero", "neg % zero == 1", nil, evalErr(arith, "neg % zero: division by zero (zero is 0)")},
		{"division by zero on the right", "memory.alloc_mb > 1 / $.zero", nil, evalErr(arith, "1 / $.zero: division by zero ($.zero is 0)")},
		{"overflow", "big * 10 > 1", nil, evalErr(arith, "big * 10: no finite result (+Inf)")},
		{"infinite factor", "huge + 0 > 1", nil, evalErr(arith, "huge + 0: no finite result (+Inf)")},
		{"not a number", "huge - huge > 0", nil, evalErr(arith, "huge - huge: no finite result (NaN)")},
	}
	for i := range rows {
		if rows[i].env == nil {
			rows[i].env = arithEnv()
		}
	}
	runEvalRows(t, rows)
}

// evalPart is an Observation with its value as people read it.
type evalPart struct {
	Subject, Path, Value string
	Part                 bool
}

// tracePartRows are expressions with every Observation Trace gives for
// them, over arithFixture unless env is set.
var tracePartRows = []struct {
	name    string
	src     string
	env     *expr.Env
	want    []evalPart
	wantErr string
}{
	{"arithmetic left side", "memory.alloc_mb / memory.sys_mb > 0.9", nil, []evalPart{
		{"memory.alloc_mb / memory.sys_mb", "", "0.5", false},
		{"memory.alloc_mb", "memory.alloc_mb", "256", true},
		{"memory.sys_mb", "memory.sys_mb", "512", true},
	}, ""},
	{"right $.path", "memory.alloc_mb > $.memory.sys_mb", nil, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", false},
		{"$.memory.sys_mb", "memory.sys_mb", "512", true},
	}, ""},
	{"right arithmetic", "memory.alloc_mb > $.memory.sys_mb * 0.9 - $time", nil, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", false},
		{"$.memory.sys_mb", "memory.sys_mb", "512", true},
		{"$time", "", "0.6", true},
	}, ""},
	{"fact and literal", "$time * 1000 > 500", nil, []evalPart{
		{"$time * 1000", "", "600", false},
		{"$time", "", "0.6", true},
	}, ""},
	{"a factor read twice", "(disk.total - disk.free) / disk.total * 100 > 90", nil, []evalPart{
		{"(disk.total - disk.free) / disk.total * 100", "", "95", false},
		{"disk.total", "disk.total", "100", true},
		{"disk.free", "disk.free", "5", true},
		{"disk.total", "disk.total", "100", true},
	}, ""},
	{"function factor", "len(items) * 2 > 5", nil, []evalPart{
		{"len(items) * 2", "", "6", false},
		{"len(items)", "", "3", true},
	}, ""},
	{"literals only", "1 + 2 > 2", nil, []evalPart{{"1 + 2", "", "3", false}}, ""},
	{"two comparisons in order", "memory.alloc_mb / 2 > 100 && disk.free < $.disk.total", nil, []evalPart{
		{"memory.alloc_mb / 2", "", "128", false},
		{"memory.alloc_mb", "memory.alloc_mb", "256", true},
		{"disk.free", "disk.free", "5", false},
		{"$.disk.total", "disk.total", "100", true},
	}, ""},
	{"division by zero keeps what was read", "memory.alloc_mb / memory.sys_mb > 0.9", &expr.Env{Doc: `{"memory":{"alloc_mb":256,"sys_mb":0}}`}, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", true},
		{"memory.sys_mb", "memory.sys_mb", "0", true},
	}, "memory.alloc_mb / memory.sys_mb: division by zero (memory.sys_mb is 0)"},
	{"type error keeps the value found", "memory.alloc_mb + s > 1", nil, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", true},
		{"s", "s", `"abc"`, true},
	}, `s: got string "abc", want number`},
	{"missing factor stops the reading", "memory.alloc_mb + nope + disk.free > 1", nil, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", true},
	}, "nope: not found"},
	{"missing right path after the left side", "memory.alloc_mb > $.nope", nil, []evalPart{
		{"memory.alloc_mb", "memory.alloc_mb", "256", false},
	}, "$.nope: not found"},
	{"version value as found", `version(v) < "3.13"`, &expr.Env{Doc: `{"v":"3.12.13"}`}, []evalPart{
		{"version(v)", "", `"3.12.13"`, false},
	}, ""},
}

// TestTraceParts pins the Observation contract: for each comparison, its
// left side as a whole first, then each value read inside it (Part): the
// factors of arithmetic on the left, then the right side's $.paths and
// $facts. Literals are never observed; after a failure, what was read
// before it is.
func TestTraceParts(t *testing.T) {
	for _, tc := range tracePartRows {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env
			if env == nil {
				env = arithEnv()
			}
			e := expr.MustParse(tc.src)
			_, got, err := e.Trace(env)
			if tc.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.EqualError(t, err, tc.wantErr)
			}
			var seen []evalPart
			for _, o := range got {
				seen = append(seen, evalPart{o.Subject, o.Path, o.Value.String(), o.Part})
			}
			assert.Equal(t, tc.want, seen)
		})
	}
}

func TestSubjectAndRangeOfArithmetic(t *testing.T) {
	for _, tc := range []struct {
		name, src    string
		subject      string
		path         string // "" when SubjectPath has none
		rangeSubject string // "" when Range has none
		rangeText    string
	}{
		{name: "plain path", src: "memory.alloc_mb > 3072", subject: "memory.alloc_mb", path: "memory.alloc_mb",
			rangeSubject: "memory.alloc_mb", rangeText: "~:3072"},
		{name: "dollar path", src: "$.memory.alloc_mb > 3072", subject: "memory.alloc_mb", path: "memory.alloc_mb",
			rangeSubject: "memory.alloc_mb", rangeText: "~:3072"},
		{name: "lone path", src: "healthy", subject: "healthy", path: "healthy"},
		{name: "arithmetic", src: "memory.alloc_mb / memory.sys_mb > 0.9", subject: "memory.alloc_mb / memory.sys_mb",
			rangeSubject: "memory.alloc_mb / memory.sys_mb", rangeText: "~:0.9"},
		{name: "arithmetic below", src: "(disk.total - disk.free) / disk.total * 100 <= 10", subject: "(disk.total - disk.free) / disk.total * 100",
			rangeSubject: "(disk.total - disk.free) / disk.total * 100", rangeText: "@~:10"},
		{name: "size threshold", src: "disk.free < 3GiB", subject: "disk.free", path: "disk.free",
			rangeSubject: "disk.free", rangeText: "3221225472:"},
		{name: "right arithmetic has no range", src: "memory.alloc_mb > $.memory.sys_mb * 0.9", subject: "memory.alloc_mb", path: "memory.alloc_mb"},
		{name: "right literal arithmetic has no range", src: "x > 2 * 3", subject: "x", path: "x"},
		{name: "function", src: "len(items) > 3", subject: "len(items)", rangeSubject: "len(items)", rangeText: "~:3"},
		{name: "fact", src: "$time > 1s", subject: "$time", rangeSubject: "$time", rangeText: "~:1"},
		{name: "version", src: "version(v) < 3.13", subject: "version(v)"},
		{name: "two comparisons", src: "a > 1 && b > 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := expr.MustParse(tc.src)
			assert.Equal(t, tc.subject, e.Subject())
			path, ok := e.SubjectPath()
			assert.Equal(t, tc.path, path)
			assert.Equal(t, tc.path != "", ok)
			subject, r, ok := e.Range()
			assert.Equal(t, tc.rangeSubject, subject)
			assert.Equal(t, tc.rangeSubject != "", ok)
			if ok {
				assert.Equal(t, tc.rangeText, r.String())
			}
		})
	}
}
