package expr

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var parseBytesRows = []struct {
	name string
	in   string
	want float64
	ok   bool
}{
	{name: "kibibytes", in: "512KiB", want: 512 << 10, ok: true},
	{name: "mebibytes", in: "512MiB", want: 512 << 20, ok: true},
	{name: "gibibytes", in: "3GiB", want: 3 << 30, ok: true},
	{name: "tebibytes", in: "2TiB", want: 2 << 40, ok: true},
	{name: "kilobytes lower k", in: "100kB", want: 100e3, ok: true},
	{name: "kilobytes upper K", in: "100KB", want: 100e3, ok: true},
	{name: "megabytes", in: "16MB", want: 16e6, ok: true},
	{name: "fractional gigabytes", in: "1.5GB", want: 1.5e9, ok: true},
	{name: "terabytes", in: "2TB", want: 2e12, ok: true},
	{name: "bytes", in: "10B", want: 10, ok: true},
	{name: "plain number", in: "1048576", want: 1048576, ok: true},
	{name: "one space before the unit", in: "1.5 GB", want: 1.5e9, ok: true},
	{name: "exponent", in: "1e3KiB", want: 1e3 * 1024, ok: true},
	{name: "leading dot", in: ".5MiB", want: 512 << 10, ok: true},
	{name: "zero", in: "0B", want: 0, ok: true},
	{name: "negative", in: "-1KiB", want: -1024, ok: true},
	{name: "overflow is infinite", in: "1e400GB", want: math.Inf(1), ok: true},

	{name: "empty", in: ""},
	{name: "unit alone", in: "GiB"},
	{name: "space alone before the unit", in: " GB"},
	{name: "two spaces", in: "1  GB"},
	{name: "leading space", in: " 1GB"},
	{name: "trailing space", in: "1GB "},
	{name: "lower-case unit", in: "3gb"},
	{name: "bare K", in: "1K"},
	{name: "bare M", in: "1M"},
	{name: "bare G", in: "1G"},
	{name: "lower-case mebibytes", in: "1mib"},
	{name: "bits", in: "1Gb"},
	{name: "minute is not a size", in: "1m"},
	{name: "hexadecimal", in: "0x10B"},
	{name: "infinity", in: "InfGB"},
	{name: "two units", in: "1GBB"},
	{name: "unit first", in: "GB1"},
	{name: "digit separator", in: "1_000B"},
}

func TestParseBytes(t *testing.T) {
	for _, row := range parseBytesRows {
		t.Run(row.name, func(t *testing.T) {
			got, ok := ParseBytes(row.in)
			assert.Equal(t, row.ok, ok)
			assert.Equal(t, row.want, got)
		})
	}
}

func TestSizeUnits(t *testing.T) {
	want := map[string]float64{
		"KiB": 1024, "MiB": 1024 * 1024, "GiB": 1024 * 1024 * 1024, "TiB": 1024 * 1024 * 1024 * 1024,
		"kB": 1000, "KB": 1000, "MB": 1e6, "GB": 1e9, "TB": 1e12, "B": 1,
	}
	got := map[string]float64{}
	for i, u := range sizeUnits {
		got[u.Suffix] = u.Bytes
		// Matching in order must find the longest suffix first.
		for _, later := range sizeUnits[i+1:] {
			assert.False(t, len(later.Suffix) > len(u.Suffix) && later.Suffix[len(later.Suffix)-len(u.Suffix):] == u.Suffix,
				"%s comes after %s, which it ends with", later.Suffix, u.Suffix)
		}
	}
	assert.Equal(t, want, got)
}

// TestParseSizeLiterals: sizes stand wherever a number literal does, are
// numbers of bytes, and print as written.
func TestParseSizeLiterals(t *testing.T) {
	size := func(raw string, n float64) literal { return literal{kind: litNumber, raw: raw, num: n, size: true} }
	rows := []struct {
		name string
		src  string
		want literal
	}{
		{name: "gibibytes", src: "x > 3GiB", want: size("3GiB", 3<<30)},
		{name: "mebibytes", src: "x < 512MiB", want: size("512MiB", 512<<20)},
		{name: "gigabytes", src: "x >= 1.5GB", want: size("1.5GB", 1.5e9)},
		{name: "kilobytes", src: "x <= 100kB", want: size("100kB", 100e3)},
		{name: "tebibytes", src: "x == 2TiB", want: size("2TiB", 2<<40)},
		{name: "bytes", src: "x != 10B", want: size("10B", 10)},
		{name: "3GB, once an error", src: "memory > 3GB", want: size("3GB", 3e9)},
		{name: "1MB, once an error", src: "x > 1MB", want: size("1MB", 1e6)},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e, err := Parse(row.src)
			require.NoError(t, err)
			c := e.root.(*cmpNode)
			assert.Equal(t, row.want, c.rhs)
			assert.Equal(t, row.src, e.String(), "a size prints as written")
			assert.Equal(t, Value{Kind: Number, Num: row.want.num}, c.rhs.value())
		})
	}
	t.Run("in arithmetic", func(t *testing.T) {
		e := MustParse("x / 1GiB > 1.5GB / 1GB")
		fired, err := e.Eval(&Env{Doc: `{"x":2147483648}`})
		require.NoError(t, err)
		assert.True(t, fired)
	})
}

func FuzzParseBytes(f *testing.F) {
	for _, row := range parseBytesRows {
		f.Add(row.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseBytes(s)
		if !ok {
			if n != 0 {
				t.Fatalf("ParseBytes(%q) = %v, false", s, n)
			}
			return
		}
		if math.IsNaN(n) {
			t.Fatalf("ParseBytes(%q) is NaN", s)
		}
		// A size with a unit, written without the space, is a literal of
		// the same value in an expression.
		if lit, isLit := numberLiteral(s); isLit && lit.num != n && !(lit.duration) {
			t.Fatalf("ParseBytes(%q) = %v, the literal is %v", s, n, lit.num)
		}
	})
}
