package expr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersion(t *testing.T) {
	rows := []struct {
		name string
		in   string
		want version
		ok   bool
	}{
		{name: "three parts", in: "3.12.13", want: version{nums: []string{"3", "12", "13"}}, ok: true},
		{name: "two parts", in: "3.13", want: version{nums: []string{"3", "13"}}, ok: true},
		{name: "one part", in: "7", want: version{nums: []string{"7"}}, ok: true},
		{name: "leading v", in: "v1.2.3", want: version{nums: []string{"1", "2", "3"}}, ok: true},
		{name: "leading V", in: "V1.2", want: version{nums: []string{"1", "2"}}, ok: true},
		{name: "leading zeros", in: "1.02.000", want: version{nums: []string{"1", "2", "0"}}, ok: true},
		{name: "pre-release", in: "3.13.0-rc.1", want: version{nums: []string{"3", "13", "0"}, pre: "rc.1"}, ok: true},
		{name: "pre-release with dashes", in: "1.0-alpha-2", want: version{nums: []string{"1", "0"}, pre: "alpha-2"}, ok: true},
		{name: "build ignored", in: "1.2.3+build.5", want: version{nums: []string{"1", "2", "3"}}, ok: true},
		{name: "pre-release and build", in: "1.2.3-beta+exp.sha.5114f85", want: version{nums: []string{"1", "2", "3"}, pre: "beta"}, ok: true},
		{name: "huge component", in: "1.99999999999999999999999", want: version{nums: []string{"1", "99999999999999999999999"}}, ok: true},

		{name: "empty", in: ""},
		{name: "word", in: "abc"},
		{name: "empty component", in: "3..1"},
		{name: "trailing dot", in: "3.1."},
		{name: "leading dot", in: ".3"},
		{name: "v alone", in: "v"},
		{name: "two v", in: "vv1"},
		{name: "empty pre-release", in: "1.2-"},
		{name: "empty build", in: "1.2+"},
		{name: "letters in a component", in: "1.2a"},
		{name: "space", in: "1.2 beta"},
		{name: "underscore in the suffix", in: "1.2-rc_1"},
		{name: "negative", in: "-1.2"},
		{name: "exponent", in: "1e3"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, ok := parseVersion(row.in)
			assert.Equal(t, row.ok, ok)
			if row.ok {
				assert.Equal(t, row.want, got)
			}
		})
	}
}

func TestCompareVersions(t *testing.T) {
	rows := []struct {
		a, b string
		want int
	}{
		{"3.12.13", "3.13", -1},
		{"3.12.13", "3.9.0", 1},
		{"3.13", "3.13.0", 0},
		{"3.13.0.0", "3.13", 0},
		{"v3.13", "3.13", 0},
		{"3.13+build", "3.13", 0},
		{"1.10", "1.9", 1},
		{"1.010", "1.10", 0},
		{"2", "10", -1},
		{"3.13.0-rc1", "3.13.0", -1},
		{"3.13-rc1", "3.13.0-rc1", 0},
		{"3.13.0-rc1", "3.12.99", 1},
		{"1.0-alpha", "1.0-beta", -1},
		{"1.0-rc.10", "1.0-rc.9", -1}, // suffixes compare as strings
		{"1.99999999999999999999999", "1.99999999999999999999998", 1},
	}
	for _, row := range rows {
		t.Run(row.a+" vs "+row.b, func(t *testing.T) {
			a, ok := parseVersion(row.a)
			require.True(t, ok)
			b, ok := parseVersion(row.b)
			require.True(t, ok)
			assert.Equal(t, row.want, compareVersions(a, b))
			assert.Equal(t, -row.want, compareVersions(b, a))
		})
	}
}

func TestEvalVersion(t *testing.T) {
	doc := `{"rabbitmq_version":"3.12.13","num":3.12,"int":4,"rc":"4.0.0-rc.1","v":"v2.1","bad":"abc","gap":"3..1",` +
		`"n":null,"b":true,"arr":["3"],"other":"3.13.0","exp":1e3}`
	env := &Env{Doc: doc}
	rows := []struct {
		name string
		src  string
		want bool
		err  string
		kind ErrorKind
	}{
		{name: "the RabbitMQ recipe: below 3.13", src: `version(rabbitmq_version) < "3.13"`, want: true},
		{name: "the RabbitMQ recipe: not below 3.9.0", src: `version(rabbitmq_version) < "3.9.0"`, want: false},
		{name: "number literal read as text", src: "version(rabbitmq_version) < 3.13", want: true},
		{name: "bare version", src: "version(rabbitmq_version) >= 3.12.13", want: true},
		{name: "equal with missing components", src: `version(other) == "3.13"`, want: true},
		{name: "not equal", src: `version(other) != "3.13"`, want: false},
		{name: "greater", src: `version(rabbitmq_version) > "3.12"`, want: true},
		{name: "less or equal", src: `version(rabbitmq_version) <= "3.12.13"`, want: true},
		{name: "pre-release before release", src: `version(rc) < "4.0.0"`, want: true},
		{name: "pre-release after older release", src: `version(rc) > 3.13`, want: true},
		{name: "leading v in the document", src: `version(v) == 2.1`, want: true},
		{name: "document number", src: `version(num) < 3.13`, want: true},
		{name: "document integer", src: `version(int) > "3.99"`, want: true},
		{name: "right $.path", src: `version(rabbitmq_version) < $.other`, want: true},

		{name: "not a version", src: `version(bad) < "3.13"`, kind: ErrType,
			err: `version(bad): got string "abc", want a version such as 3.12.1`},
		{name: "empty component in the document", src: `version(gap) < "3.13"`, kind: ErrType,
			err: `version(gap): got string "3..1", want a version such as 3.12.1`},
		{name: "document number with exponent", src: `version(exp) < "3.13"`, kind: ErrType,
			err: `version(exp): got number 1e3, want a version such as 3.12.1`},
		{name: "null", src: `version(n) < "3.13"`, kind: ErrNull, err: `version(n): got null, want a version such as 3.12.1`},
		{name: "boolean", src: `version(b) < "3.13"`, kind: ErrType, err: `version(b): got boolean true, want a version such as 3.12.1`},
		{name: "array", src: `version(arr) < "3.13"`, kind: ErrNotScalar, err: `version(arr): got array, want a version such as 3.12.1`},
		{name: "missing", src: `version(nope) < "3.13"`, kind: ErrMissing, err: `nope: not found`},
		{name: "right $.path not a version", src: `version(rabbitmq_version) < $.bad`, kind: ErrType,
			err: `$.bad: got string "abc", want a version such as 3.12.1`},
		{name: "right $.path missing", src: `version(rabbitmq_version) < $.nope`, kind: ErrMissing, err: `$.nope: not found`},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			got, err := MustParse(row.src).Eval(env)
			if row.err == "" {
				require.NoError(t, err)
				assert.Equal(t, row.want, got)
				return
			}
			var ee *EvalError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, row.kind, ee.Kind)
			assert.Equal(t, row.err, err.Error())
			assert.False(t, got)
		})
	}
}

func FuzzVersion(f *testing.F) {
	for _, s := range []string{"3.12.13", "3.13", "v1.2.3-rc.1+build", "1.0-alpha", "3..1", "", "1.2-", "007.1"} {
		f.Add(s, "3.13")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, okA := parseVersion(a)
		vb, okB := parseVersion(b)
		if !okA || !okB {
			return
		}
		c := compareVersions(va, vb)
		if c != -compareVersions(vb, va) {
			t.Fatalf("compare(%q, %q) = %d is not antisymmetric", a, b, c)
		}
		if compareVersions(va, va) != 0 {
			t.Fatalf("%q does not equal itself", a)
		}
		// A version literal in an expression compares as parseVersion says.
		e, err := Parse("version(v) == " + `"` + b + `"`)
		if err != nil {
			t.Fatalf("version %q does not parse as a literal: %v", b, err)
		}
		doc := `{"v":` + marshalString(a) + `}`
		got, err := e.Eval(&Env{Doc: doc})
		if err != nil || got != (c == 0) {
			t.Fatalf("version(%q) == %q: %v %v, compare says %d", a, b, got, err, c)
		}
	})
}
