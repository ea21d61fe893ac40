package expr_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

var (
	rangeInf    = math.Inf(1)
	rangeNegInf = math.Inf(-1)
)

// rangeCheck is one value tested against a range and whether it must alert.
type rangeCheck struct {
	v     float64
	alert bool
}

// rangeCase is a range as written, what it parses to, and values tested
// against it.
type rangeCase struct {
	name   string
	in     string
	want   expr.Range
	checks []rangeCheck
}

// runRangeCases parses each case's range and checks its bounds and alerts.
func runRangeCases(t *testing.T, cases []rangeCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			r, err := expr.ParseRange(tt.in)
			require.NoError(t, err)
			require.NotNil(t, r)
			assert.Equal(t, tt.want, *r)
			for _, c := range tt.checks {
				assert.Equal(t, c.alert, r.Alert(c.v), "Alert(%v)", c.v)
			}
		})
	}
}

// rangeGuidelineTable is the "Range definition" table of the monitoring-plugins
// guidelines, with values on and around every boundary.
var rangeGuidelineTable = []rangeCase{
	{
		name: "10 alerts below 0 or above 10",
		in:   "10",
		want: expr.Range{Start: 0, End: 10},
		checks: []rangeCheck{
			{-math.MaxFloat64, true}, {-1e9, true}, {-0.001, true},
			{0, false}, {0.001, false}, {5, false}, {9.999, false}, {10, false},
			{10.001, true}, {1e9, true}, {math.MaxFloat64, true},
			{rangeNegInf, true}, {rangeInf, true},
		},
	},
	{
		name: "10: alerts below 10",
		in:   "10:",
		want: expr.Range{Start: 10, End: rangeInf},
		checks: []rangeCheck{
			{rangeNegInf, true}, {-1e9, true}, {-0.001, true}, {0, true}, {0.001, true}, {9.999, true},
			{10, false}, {10.001, false}, {1e9, false}, {math.MaxFloat64, false}, {rangeInf, false},
		},
	},
	{
		name: "~:10 alerts above 10",
		in:   "~:10",
		want: expr.Range{Start: rangeNegInf, End: 10},
		checks: []rangeCheck{
			{rangeNegInf, false}, {-math.MaxFloat64, false}, {-1e9, false}, {-0.001, false},
			{0, false}, {9.999, false}, {10, false},
			{10.001, true}, {1e9, true}, {rangeInf, true},
		},
	},
	{
		name: "10:20 alerts below 10 or above 20",
		in:   "10:20",
		want: expr.Range{Start: 10, End: 20},
		checks: []rangeCheck{
			{-1e9, true}, {-0.001, true}, {0, true}, {9.999, true},
			{10, false}, {10.001, false}, {15, false}, {19.999, false}, {20, false},
			{20.001, true}, {1e9, true},
		},
	},
	{
		name: "@10:20 alerts from 10 to 20 inclusive",
		in:   "@10:20",
		want: expr.Range{Start: 10, End: 20, Inside: true},
		checks: []rangeCheck{
			{-1e9, false}, {-0.001, false}, {0, false}, {9.999, false},
			{10, true}, {10.001, true}, {15, true}, {19.999, true}, {20, true},
			{20.001, false}, {1e9, false},
		},
	},
}

func TestRangeGuidelineTable(t *testing.T) {
	runRangeCases(t, rangeGuidelineTable)
}

// stateCheck is one value classified against a warning and critical range.
type stateCheck struct {
	v    float64
	want expr.State
}

// rangeCommandLines is the guidelines' table of check_stuff command lines, in
// order, then a few more pairs that the guidelines' rules imply.
var rangeCommandLines = []struct {
	name       string
	warn, crit string
	checks     []stateCheck
}{
	{
		// Critical if "stuff" is over 20, else warn if over 10 (will be
		// critical if "stuff" is less than 0).
		name: "check_stuff -w10 -c20",
		warn: "10", crit: "20",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {-0.001, expr.Critical},
			{0, expr.OK}, {0.001, expr.OK}, {9.999, expr.OK}, {10, expr.OK},
			{10.001, expr.Warning}, {19.999, expr.Warning}, {20, expr.Warning},
			{20.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		// Same as above. Negative "stuff" is OK.
		name: "check_stuff -w~:10 -c~:20",
		warn: "~:10", crit: "~:20",
		checks: []stateCheck{
			{rangeNegInf, expr.OK}, {-1e9, expr.OK}, {-0.001, expr.OK},
			{0, expr.OK}, {9.999, expr.OK}, {10, expr.OK},
			{10.001, expr.Warning}, {19.999, expr.Warning}, {20, expr.Warning},
			{20.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		// Critical if "stuff" is over 20, else warn if "stuff" is below 10
		// (will be critical if "stuff" is less than 0).
		name: "check_stuff -w10: -c20",
		warn: "10:", crit: "20",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {-0.001, expr.Critical},
			{0, expr.Warning}, {0.001, expr.Warning}, {9.999, expr.Warning},
			{10, expr.OK}, {10.001, expr.OK}, {19.999, expr.OK}, {20, expr.OK},
			{20.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		// Critical if "stuff" is less than 1.
		name: "check_stuff -c1:",
		crit: "1:",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {0, expr.Critical}, {0.999, expr.Critical},
			{1, expr.OK}, {1.001, expr.OK}, {1e9, expr.OK},
		},
	},
	{
		// Critical if "stuff" is above 10; warn if "stuff" is above zero
		// (will be critical if "stuff" is less than 0).
		name: "check_stuff -w~:0 -c10",
		warn: "~:0", crit: "10",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {-0.001, expr.Critical},
			{0, expr.OK},
			{0.001, expr.Warning}, {9.999, expr.Warning}, {10, expr.Warning},
			{10.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		// Critical if "stuff" is less than 5 or more than 6.
		name: "check_stuff -c5:6",
		crit: "5:6",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {0, expr.Critical}, {4.999, expr.Critical},
			{5, expr.OK}, {5.001, expr.OK}, {5.5, expr.OK}, {5.999, expr.OK}, {6, expr.OK},
			{6.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		// OK if "stuff" is less than 10 or higher than 20, otherwise critical.
		name: "check_stuff -c@10:20",
		crit: "@10:20",
		checks: []stateCheck{
			{-1e9, expr.OK}, {0, expr.OK}, {9.999, expr.OK},
			{10, expr.Critical}, {10.001, expr.Critical}, {15, expr.Critical},
			{19.999, expr.Critical}, {20, expr.Critical},
			{20.001, expr.OK}, {1e9, expr.OK},
		},
	},
	// Not in the guidelines' table: low-side thresholds, a band inside a
	// band, and inverted ranges on both levels.
	{
		name: "low side -w5: -c0:",
		warn: "5:", crit: "0:",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {-0.001, expr.Critical},
			{0, expr.Warning}, {0.001, expr.Warning}, {4.999, expr.Warning},
			{5, expr.OK}, {5.001, expr.OK}, {1e9, expr.OK},
		},
	},
	{
		name: "band -w10:20 -c5:25",
		warn: "10:20", crit: "5:25",
		checks: []stateCheck{
			{-1e9, expr.Critical}, {4.999, expr.Critical},
			{5, expr.Warning}, {9.999, expr.Warning},
			{10, expr.OK}, {15, expr.OK}, {20, expr.OK},
			{20.001, expr.Warning}, {25, expr.Warning},
			{25.001, expr.Critical}, {1e9, expr.Critical},
		},
	},
	{
		name: "inverted -w@10:20 -c@12:18",
		warn: "@10:20", crit: "@12:18",
		checks: []stateCheck{
			{-1e9, expr.OK}, {9.999, expr.OK},
			{10, expr.Warning}, {11.999, expr.Warning},
			{12, expr.Critical}, {15, expr.Critical}, {18, expr.Critical},
			{18.001, expr.Warning}, {20, expr.Warning},
			{20.001, expr.OK}, {1e9, expr.OK},
		},
	},
}

func TestClassifyGuidelineCommandLines(t *testing.T) {
	for _, tt := range rangeCommandLines {
		t.Run(tt.name, func(t *testing.T) {
			warn, err := expr.ParseRange(tt.warn)
			require.NoError(t, err)
			crit, err := expr.ParseRange(tt.crit)
			require.NoError(t, err)
			for _, c := range tt.checks {
				assert.Equal(t, c.want, expr.Classify(c.v, warn, crit), "Classify(%v)", c.v)
			}
		})
	}
}

func TestClassifyUnset(t *testing.T) {
	ten, err := expr.ParseRange("10")
	require.NoError(t, err)
	tests := []struct {
		name       string
		warn, crit *expr.Range
		v          float64
		want       expr.State
	}{
		{name: "no thresholds", v: 1e9, want: expr.OK},
		{name: "warning only, alerting", warn: ten, v: 11, want: expr.Warning},
		{name: "warning only, quiet", warn: ten, v: 10, want: expr.OK},
		{name: "critical only, alerting", crit: ten, v: -1, want: expr.Critical},
		{name: "critical wins over warning", warn: ten, crit: ten, v: 11, want: expr.Critical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, expr.Classify(tt.v, tt.warn, tt.crit))
		})
	}
}

func TestParseRangeEmptyIsUnset(t *testing.T) {
	r, err := expr.ParseRange("")
	require.NoError(t, err)
	assert.Nil(t, r)
	assert.False(t, r.Alert(0), "a nil range never alerts")
	assert.False(t, r.Alert(math.NaN()), "a nil range never alerts")
}

func TestRangeAlertNaN(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "outside range alerts", in: "10", want: true},
		{name: "unbounded end alerts", in: "~:10", want: true},
		{name: "inside range does not alert", in: "@10:20", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := expr.ParseRange(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r.Alert(math.NaN()))
		})
	}
}

func TestRangeDecimalsAndNegatives(t *testing.T) {
	tests := []rangeCase{
		{
			name: "negative bounds",
			in:   "-10:-5",
			want: expr.Range{Start: -10, End: -5},
			checks: []rangeCheck{
				{-1e9, true}, {-10.001, true},
				{-10, false}, {-9.999, false}, {-7.5, false}, {-5.001, false}, {-5, false},
				{-4.999, true}, {0, true}, {1e9, true},
			},
		},
		{
			name: "fractional bounds",
			in:   "0.5:1.5",
			want: expr.Range{Start: 0.5, End: 1.5},
			checks: []rangeCheck{
				{-0.5, true}, {0, true}, {0.499, true},
				{0.5, false}, {0.501, false}, {1, false}, {1.499, false}, {1.5, false},
				{1.501, true}, {2, true},
			},
		},
		{
			name: "inverted range around zero",
			in:   "@-1:1",
			want: expr.Range{Start: -1, End: 1, Inside: true},
			checks: []rangeCheck{
				{-1e9, false}, {-1.001, false},
				{-1, true}, {-0.999, true}, {0, true}, {0.999, true}, {1, true},
				{1.001, false}, {1e9, false},
			},
		},
		{
			name: "negative fractional end",
			in:   "~:-0.5",
			want: expr.Range{Start: rangeNegInf, End: -0.5},
			checks: []rangeCheck{
				{-1e9, false}, {-0.501, false}, {-0.5, false},
				{-0.499, true}, {0, true},
			},
		},
		{
			name: "negative start, no end",
			in:   "-2.5:",
			want: expr.Range{Start: -2.5, End: rangeInf},
			checks: []rangeCheck{
				{-1e9, true}, {-2.501, true},
				{-2.5, false}, {-2.499, false}, {0, false}, {1e9, false},
			},
		},
		{
			name: "inverted, negative infinity start",
			in:   "@~:5",
			want: expr.Range{Start: rangeNegInf, End: 5, Inside: true},
			checks: []rangeCheck{
				{-1e9, true}, {0, true}, {4.999, true}, {5, true},
				{5.001, false}, {1e9, false},
			},
		},
		{
			name: "inverted, no end",
			in:   "@10:",
			want: expr.Range{Start: 10, End: rangeInf, Inside: true},
			checks: []rangeCheck{
				{-1e9, false}, {9.999, false},
				{10, true}, {1e9, true},
			},
		},
		{
			name: "single point",
			in:   "-3:-3",
			want: expr.Range{Start: -3, End: -3},
			checks: []rangeCheck{
				{-3.001, true}, {-3, false}, {-2.999, true},
			},
		},
		{
			name: "zero width at zero",
			in:   "0",
			want: expr.Range{Start: 0, End: 0},
			checks: []rangeCheck{
				{-0.001, true}, {0, false}, {math.Copysign(0, -1), false}, {0.001, true},
			},
		},
	}
	runRangeCases(t, tests)
}

// rangeCanonical maps accepted inputs to the text String gives for them.
var rangeCanonical = []struct {
	name string
	in   string
	want string
}{
	{name: "end only", in: "10", want: "10"},
	{name: "explicit zero start is dropped", in: "0:10", want: "10"},
	{name: "no end", in: "10:", want: "10:"},
	{name: "zero start with no end keeps its start", in: "0:", want: "0:"},
	{name: "negative infinity start", in: "~:10", want: "~:10"},
	{name: "start and end", in: "10:20", want: "10:20"},
	{name: "inside", in: "@10:20", want: "@10:20"},
	{name: "inside, end only", in: "@10", want: "@10"},
	{name: "inside, explicit zero start", in: "@0:10", want: "@10"},
	{name: "inside, negative infinity start", in: "@~:5", want: "@~:5"},
	{name: "inside, no end", in: "@10:", want: "@10:"},
	{name: "plus sign dropped", in: "+10", want: "10"},
	{name: "plus sign on both ends", in: "+1:+2", want: "1:2"},
	{name: "leading zeros dropped", in: "007:010", want: "7:10"},
	{name: "trailing fraction zeros dropped", in: "1.50:2.0", want: "1.5:2"},
	{name: "negative zero is zero", in: "-0:5", want: "5"},
	{name: "negative zero end", in: "-0", want: "0"},
	{name: "negative zero, no end", in: "-0.0:", want: "0:"},
	{name: "negatives", in: "-10:-5", want: "-10:-5"},
	{name: "fractions", in: "0.5:1.5", want: "0.5:1.5"},
	{name: "inside around zero", in: "@-1:1", want: "@-1:1"},
	{name: "negative end from negative infinity", in: "~:-0.5", want: "~:-0.5"},
	{name: "negative start, no end", in: "-2.5:", want: "-2.5:"},
	{name: "zero", in: "0", want: "0"},
	{name: "single point", in: "5:5", want: "5:5"},
	{name: "large integer stays in plain notation", in: "1000000000000000000000", want: "1000000000000000000000"},
	{name: "small fraction stays in plain notation", in: "0.0000001", want: "0.0000001"},
	{name: "negative infinity to tiny", in: "~:0.000000000000000000001", want: "~:0.000000000000000000001"},
	{name: "largest float", in: strconv.FormatFloat(math.MaxFloat64, 'f', -1, 64), want: strconv.FormatFloat(math.MaxFloat64, 'f', -1, 64)},
	{name: "more digits than float64 holds", in: "0.12345678901234567890", want: "0.12345678901234568"},
	{name: "underflow rounds to zero", in: "0." + strings.Repeat("0", 400) + "1", want: "0"},
	// Empty parts, read as C's parse_range_string reads them.
	{name: "empty start", in: ":10", want: "10"},
	{name: "empty start, C and Perl test", in: ":5.75", want: "5.75"},
	{name: "inside, empty start", in: "@:10", want: "@10"},
	{name: "colon alone", in: ":", want: "0:"},
	{name: "inside, colon alone", in: "@:", want: "@0:"},
	{name: "at sign alone", in: "@", want: "@0:"},
	{name: "unbounded on both sides", in: "~:", want: "~:"},
	{name: "inside, unbounded on both sides", in: "@~:", want: "@~:"},
}

func TestRangeStringCanonical(t *testing.T) {
	for _, tt := range rangeCanonical {
		t.Run(tt.name, func(t *testing.T) {
			r, err := expr.ParseRange(tt.in)
			require.NoError(t, err)
			require.NotNil(t, r)
			assert.Equal(t, tt.want, r.String())
			assert.NotContains(t, r.String(), "e", "no scientific notation")
		})
	}
}

func TestRangeStringOfBuiltRanges(t *testing.T) {
	tests := []struct {
		name string
		r    expr.Range
		want string
	}{
		{name: "zero value", r: expr.Range{}, want: "0"},
		{name: "end only", r: expr.Range{End: 10}, want: "10"},
		{name: "no end", r: expr.Range{Start: 10, End: rangeInf}, want: "10:"},
		{name: "zero start, no end", r: expr.Range{End: rangeInf}, want: "0:"},
		{name: "negative infinity start", r: expr.Range{Start: rangeNegInf, End: 10}, want: "~:10"},
		{name: "inside", r: expr.Range{Start: 10, End: 20, Inside: true}, want: "@10:20"},
		{name: "inside, negative infinity start", r: expr.Range{Start: rangeNegInf, End: 5, Inside: true}, want: "@~:5"},
		{name: "huge end", r: expr.Range{End: 1e21}, want: "1000000000000000000000"},
		{name: "tiny end", r: expr.Range{End: 1e-7}, want: "0.0000001"},
		{name: "unbounded on both sides", r: expr.Range{Start: rangeNegInf, End: rangeInf}, want: "~:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.String())
		})
	}
}

// TestRangeValid: a Range built by hand may hold what no text parses to;
// Valid tells them apart, and every parsed Range is valid (FuzzParseRange).
func TestRangeValid(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		r    expr.Range
		want bool
	}{
		{name: "zero value", r: expr.Range{}, want: true},
		{name: "unbounded on both sides", r: expr.Range{Start: rangeNegInf, End: rangeInf}, want: true},
		{name: "inside, one point", r: expr.Range{Start: 5, End: 5, Inside: true}, want: true},
		{name: "start above end", r: expr.Range{Start: 10, End: 1}, want: false},
		{name: "NaN start", r: expr.Range{Start: nan, End: 1}, want: false},
		{name: "NaN end", r: expr.Range{Start: rangeNegInf, End: nan}, want: false},
		{name: "positive infinity start", r: expr.Range{Start: rangeInf, End: rangeInf}, want: false},
		{name: "negative infinity end", r: expr.Range{Start: rangeNegInf, End: rangeNegInf}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.Valid())
		})
	}
}

// rangeAcceptedInputs returns every accepted input used in this file.
func rangeAcceptedInputs() []string {
	var ins []string
	for _, tt := range rangeGuidelineTable {
		ins = append(ins, tt.in)
	}
	for _, tt := range rangeCommandLines {
		ins = append(ins, tt.warn, tt.crit)
	}
	for _, tt := range rangeCanonical {
		ins = append(ins, tt.in)
	}
	return ins
}

func TestRangeRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range rangeAcceptedInputs() {
		if in == "" || seen[in] {
			continue
		}
		seen[in] = true
		t.Run(in, func(t *testing.T) {
			r, err := expr.ParseRange(in)
			require.NoError(t, err)
			require.NotNil(t, r)
			text := r.String()
			again, err := expr.ParseRange(text)
			require.NoError(t, err, "parsing String() %q", text)
			require.NotNil(t, again)
			assert.Equal(t, *r, *again)
			assert.Equal(t, text, again.String(), "String is canonical")
		})
	}
}

// rangeRejected lists invalid inputs with the exact error each gives.
var rangeRejected = []struct {
	name string
	in   string
	want string
}{
	{name: "word", in: "foo", want: `range "foo": "foo" is not a number`},
	{name: "dash instead of colon", in: "1-10", want: `range "1-10": "1-10" is not a number`},
	{name: "two colons", in: "1:2:3", want: `range "1:2:3": only one ":" is allowed`},
	{name: "two colons, empty parts", in: "::", want: `range "::": only one ":" is allowed`},
	{name: "start above end", in: "2:1", want: `range "2:1": start 2 is greater than end 1`},
	{name: "start above end, decimals", in: "2.5:-1.25", want: `range "2.5:-1.25": start 2.5 is greater than end -1.25`},
	{name: "inside, start above end", in: "@20:10", want: `range "@20:10": start 20 is greater than end 10`},
	{name: "negative end below implied start", in: "-5", want: `range "-5": end -5 is less than the implied start 0; write "~:-5" for no lower bound`},
	{name: "negative end after an empty start", in: ":-5", want: `range ":-5": end -5 is less than the implied start 0; write "~:-5" for no lower bound`},
	{name: "inside, negative end after an empty start", in: "@:-5", want: `range "@:-5": end -5 is less than the implied start 0; write "@~:-5" for no lower bound`},
	{name: "percent, which C ignores", in: "1:12%%", want: `range "1:12%%": "12%%" is not a number`},
	{name: "text after the number, which C ignores", in: "10x", want: `range "10x": "10x" is not a number`},
	{name: "inside, negative end below implied start", in: "@-5", want: `range "@-5": end -5 is less than the implied start 0; write "@~:-5" for no lower bound`},
	{name: "double at sign", in: "@@10", want: `range "@@10": "@10" is not a number`},
	{name: "at sign after start", in: "10:@20", want: `range "10:@20": "@20" is not a number`},
	{name: "tilde alone", in: "~", want: `range "~": "~" (negative infinity) is only allowed as the start, before ":"`},
	{name: "tilde as end", in: "10:~", want: `range "10:~": "~" (negative infinity) is only allowed as the start, before ":"`},
	{name: "tilde on both ends", in: "~:~", want: `range "~:~": "~" (negative infinity) is only allowed as the start, before ":"`},
	{name: "signed tilde", in: "-~:10", want: `range "-~:10": "-~" is not a number`},
	{name: "leading space", in: " 10", want: `range " 10": whitespace is not allowed`},
	{name: "trailing space", in: "10 ", want: `range "10 ": whitespace is not allowed`},
	{name: "space around colon", in: "10 : 20", want: `range "10 : 20": whitespace is not allowed`},
	{name: "tab", in: "\t10", want: `range "\t10": whitespace is not allowed`},
	{name: "newline", in: "10\n", want: `range "10\n": whitespace is not allowed`},
	{name: "no-break space", in: "10\u00a0", want: `range "10\u00a0": whitespace is not allowed`},
	{name: "exponent", in: "1e3", want: `range "1e3": "1e3" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "exponent in start", in: "1E3:", want: `range "1E3:": "1E3" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "leading decimal point", in: ".5", want: `range ".5": ".5" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "trailing decimal point", in: "5.", want: `range "5.": "5." is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "inf", in: "inf", want: `range "inf": "inf" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "signed infinity start", in: "-Infinity:0", want: `range "-Infinity:0": "-Infinity" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "nan", in: "NaN", want: `range "NaN": "NaN" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "hex", in: "0x10", want: `range "0x10": "0x10" is not a number`},
	{name: "hex float", in: "0x1p4", want: `range "0x1p4": "0x1p4" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "exponent overflow", in: "1e400", want: `range "1e400": "1e400" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "digit separator", in: "1_000", want: `range "1_000": "1_000" is not a plain decimal number; write digits with an optional sign and fraction, like -1.5`},
	{name: "double sign", in: "--1", want: `range "--1": "--1" is not a number`},
	{name: "mixed signs", in: "+-1", want: `range "+-1": "+-1" is not a number`},
	{name: "sign alone", in: "-", want: `range "-": "-" is not a number`},
	{name: "sign alone as start", in: "+:5", want: `range "+:5": "+" is not a number`},
	{name: "two decimal points", in: "1.2.3", want: `range "1.2.3": "1.2.3" is not a number`},
	{name: "unit suffix", in: "10:20%", want: `range "10:20%": "20%" is not a number`},
	{name: "comma decimal", in: "1,5", want: `range "1,5": "1,5" is not a number`},
	{name: "comparison operator", in: ">10", want: `range ">10": ">10" is not a number`},
	{name: "invalid utf-8", in: "1\xff", want: `range "1\xff": "1\xff" is not a number`},
	{name: "overflow end", in: "1" + strings.Repeat("0", 400), want: fmt.Sprintf(`range %q: %q is out of range for a 64-bit float`, "1"+strings.Repeat("0", 400), "1"+strings.Repeat("0", 400))},
	{name: "overflow start", in: "-1" + strings.Repeat("0", 400) + ":0", want: fmt.Sprintf(`range %q: %q is out of range for a 64-bit float`, "-1"+strings.Repeat("0", 400)+":0", "-1"+strings.Repeat("0", 400))},
}

// TestParseRangeEmptyParts reads the forms with an empty start or end as
// monitoring-plugins' C library does (lib/utils_base.c parse_range_string
// and check_range; lib/tests/test_utils.c tests ":5.75") and, where it
// accepts them, Perl's Monitoring::Plugin::Range (t/Monitoring-Plugin-Range.t
// tests ":5.75" with the same values).
func TestParseRangeEmptyParts(t *testing.T) {
	tests := []rangeCase{
		{
			name: ":5.75 is 0:5.75",
			in:   ":5.75",
			want: expr.Range{Start: 0, End: 5.75},
			checks: []rangeCheck{
				{-1, true}, {0, false}, {4, false}, {5.75, false}, {5.7501, true}, {6, true}, {79.999999, true},
			},
		},
		{
			name: "@:10 is @0:10",
			in:   "@:10",
			want: expr.Range{Start: 0, End: 10, Inside: true},
			checks: []rangeCheck{
				{-0.001, false}, {0, true}, {10, true}, {10.001, false},
			},
		},
		{
			name:   ": is 0:, alerting below 0",
			in:     ":",
			want:   expr.Range{Start: 0, End: rangeInf},
			checks: []rangeCheck{{-0.001, true}, {0, false}, {1e9, false}},
		},
		{
			name:   "@: is @0:, alerting from 0 up",
			in:     "@:",
			want:   expr.Range{Start: 0, End: rangeInf, Inside: true},
			checks: []rangeCheck{{-0.001, false}, {0, true}, {1e9, true}},
		},
		{
			name:   "@ is @0:",
			in:     "@",
			want:   expr.Range{Start: 0, End: rangeInf, Inside: true},
			checks: []rangeCheck{{-0.001, false}, {0, true}},
		},
		{
			name:   "~: never alerts",
			in:     "~:",
			want:   expr.Range{Start: rangeNegInf, End: rangeInf},
			checks: []rangeCheck{{rangeNegInf, false}, {-1e9, false}, {0, false}, {1e9, false}, {rangeInf, false}, {math.NaN(), false}},
		},
		{
			name:   "@~: always alerts",
			in:     "@~:",
			want:   expr.Range{Start: rangeNegInf, End: rangeInf, Inside: true},
			checks: []rangeCheck{{rangeNegInf, true}, {-1e9, true}, {0, true}, {1e9, true}, {math.NaN(), true}},
		},
	}
	runRangeCases(t, tests)
}

func TestParseRangeRejects(t *testing.T) {
	for _, tt := range rangeRejected {
		t.Run(tt.name, func(t *testing.T) {
			r, err := expr.ParseRange(tt.in)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.Nil(t, r)
		})
	}
}

func FuzzParseRange(f *testing.F) {
	for _, in := range rangeAcceptedInputs() {
		f.Add(in)
	}
	for _, tt := range rangeRejected {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := expr.ParseRange(in)
		if err != nil {
			require.Nil(t, r)
			require.True(t, strings.HasPrefix(err.Error(), "range "+strconv.Quote(in)+": "), "error %q names the input", err)
			return
		}
		if in == "" {
			require.Nil(t, r)
			return
		}
		require.NotNil(t, r)
		require.False(t, math.IsNaN(r.Start) || math.IsNaN(r.End), "NaN bound in %+v", *r)
		require.LessOrEqual(t, r.Start, r.End)
		require.False(t, math.IsInf(r.Start, 1) || math.IsInf(r.End, -1), "inverted infinity in %+v", *r)
		require.True(t, r.Valid(), "%+v", *r)

		text := r.String()
		again, err := expr.ParseRange(text)
		require.NoError(t, err, "parsing String() %q of %q", text, in)
		require.NotNil(t, again)
		require.Equal(t, *r, *again, "round trip through %q", text)
		require.Equal(t, text, again.String(), "String is canonical")

		// Finite ends are inclusive: on the bound is never an alert for an
		// outside range, and always one for an inside range.
		if !math.IsInf(r.Start, 0) {
			require.Equal(t, r.Inside, r.Alert(r.Start))
		}
		if !math.IsInf(r.End, 0) {
			require.Equal(t, r.Inside, r.Alert(r.End))
		}
	})
}

// A warning range of "10" and a critical range of "20" are the guidelines'
// first example: above 20, or below 0, is critical; above 10 is a warning.
func ExampleClassify_guidelines() {
	warn, _ := expr.ParseRange("10")
	crit, _ := expr.ParseRange("20")
	for _, v := range []float64{-1, 5, 10, 15, 25} {
		fmt.Println(v, expr.Classify(v, warn, crit))
	}
	// Output:
	// -1 CRITICAL
	// 5 OK
	// 10 OK
	// 15 WARNING
	// 25 CRITICAL
}

// An empty start is 0, as monitoring-plugins reads it.
func ExampleParseRange_emptyStart() {
	for _, s := range []string{":5.75", "@:10", ":", "~:"} {
		r, _ := expr.ParseRange(s)
		fmt.Printf("%-5s is %-5s alert at -1: %-5v at 6: %v\n", s, r, r.Alert(-1), r.Alert(6))
	}
	// Output:
	// :5.75 is 5.75  alert at -1: true  at 6: true
	// @:10  is @10   alert at -1: false at 6: true
	// :     is 0:    alert at -1: true  at 6: false
	// ~:    is ~:    alert at -1: false at 6: false
}

func ExampleParseRange_canonical() {
	for _, s := range []string{"10", "0:10", "10:", "~:10", "@10:20", "2:1"} {
		r, err := expr.ParseRange(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-7s %-7s alert at 15: %v\n", s, r, r.Alert(15))
	}
	// Output:
	// 10      10      alert at 15: true
	// 0:10    10      alert at 15: true
	// 10:     10:     alert at 15: false
	// ~:10    ~:10    alert at 15: true
	// @10:20  @10:20  alert at 15: true
	// range "2:1": start 2 is greater than end 1
}
