package expr

import (
	"strconv"
	"strings"
)

// sizeUnit is a unit of a byte count: its suffix and how many bytes it
// stands for.
type sizeUnit struct {
	Suffix string
	Bytes  float64
}

// sizeUnits are the units of sizes, in expressions (free_bytes < 3GiB) and
// for ParseBytes: binary KiB, MiB, GiB and TiB (1024ⁿ), decimal kB (or KB),
// MB, GB and TB (1000ⁿ), and B. Suffixes are case-sensitive and there are
// no bare K, M or G: in an expression 1m is a minute. Longer suffixes come
// first, so that matching in order finds "KiB" before "B". The table is
// read-only.
var sizeUnits = []sizeUnit{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"B", 1},
}

// ParseBytes reads a byte count: a number with an optional unit of
// sizeUnits, and at most one space between them: "3GiB", "1.5 GB", "10B",
// "1048576". The number is written as in expressions (digits with an
// optional sign, fraction and exponent: 512, 0.5, 1e6). ok is false for
// anything else; the caller decides which counts are sensible (negative,
// fractional or huge ones are returned as they are).
func ParseBytes(s string) (bytes float64, ok bool) {
	return parseBytes(s, false)
}

// parseBytes is ParseBytes; with needUnit, a plain number is not a size.
func parseBytes(s string, needUnit bool) (float64, bool) {
	num, mult := s, 0.0
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.Suffix) {
			num, mult = strings.TrimSuffix(strings.TrimSuffix(s, u.Suffix), " "), u.Bytes
			break
		}
	}
	if mult == 0 {
		if needUnit {
			return 0, false
		}
		mult = 1
	}
	if !isJSONNumber(num) && !isLooseNumber(num) {
		return 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	return f * mult, true
}
