package expr

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceHistory is a History over fixed samples per path.
type sliceHistory map[string][]Sample

func (h sliceHistory) Samples(path string) []Sample { return h[path] }

func TestWindowParse(t *testing.T) {
	rows := []struct {
		name, src, want string
	}{
		{name: "growth", src: "growth(goroutines, 1h) > 20", want: "growth(goroutines, 1h) > 20"},
		{name: "no space after comma", src: "delta(memory.alloc_mb,30m) > 100", want: "delta(memory.alloc_mb, 30m) > 100"},
		{name: "spaces", src: "rate( memory.num_gc ,  10m ) > 1", want: "rate(memory.num_gc, 10m) > 1"},
		{name: "days", src: "avg(p, 1d12h) > 5", want: "avg(p, 1d12h) > 5"},
		{name: "min max with window", src: "min(p, 90s) < 1 || max(p, 2h) > 3", want: "min(p, 90s) < 1 || max(p, 2h) > 3"},
		{name: "array min stays", src: "min(items) < 1", want: "min(items) < 1"},
		{name: "backticked path", src: "growth(`a b`, 1h) > 1", want: "growth(`a b`, 1h) > 1"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e, err := Parse(row.src)
			require.NoError(t, err)
			assert.Equal(t, row.want, e.String())
			again, err := Parse(e.String())
			require.NoError(t, err)
			assert.Equal(t, e.root, again.root)
		})
	}
}

func TestWindowParseErrors(t *testing.T) {
	rows := []struct {
		name, src, want string
	}{
		{name: "growth needs a window", src: "growth(p) > 1",
			want: `expression "growth(p) > 1": unexpected ")" at column 9, expected ", " and a window such as 1h: growth(p, 1h)`},
		{name: "window not a duration", src: "growth(p, 5) > 1",
			want: `expression "growth(p, 5) > 1": unexpected "5" at column 11, expected a positive duration such as 10m or 1h as the window`},
		{name: "negative window", src: "delta(p, -1h) > 1",
			want: `expression "delta(p, -1h) > 1": unexpected "-1h" at column 10, expected a positive duration such as 10m or 1h as the window`},
		{name: "empty window", src: "rate(p, ) > 1",
			want: `expression "rate(p, ) > 1": unexpected ")" at column 9, expected a window such as 10m or 1h`},
		{name: "len takes no window", src: "len(p, 1h) > 1",
			want: `expression "len(p, 1h) > 1": unexpected "," at column 6, expected ")" to close len(`},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, err := Parse(row.src)
			require.Error(t, err)
			assert.Equal(t, row.want, err.Error())
		})
	}
}

func TestWindowEval(t *testing.T) {
	now := time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)
	at := func(ago time.Duration, v float64) Sample { return Sample{Time: now.Add(-ago), Value: v} }
	hist := sliceHistory{
		// goroutines climb 1000 → 1300 over the hour; the 2h-old sample is
		// outside a 1h window.
		"goroutines": {at(2*time.Hour, 10), at(50*time.Minute, 1000), at(25*time.Minute, 1100), at(0, 1300)},
		// a counter reset to 0 between 10 and 5, so the increase is 10+5.
		"requests": {at(9*time.Minute, 100), at(5*time.Minute, 110), at(0, 5)},
		"young":    {at(5*time.Minute, 1), at(0, 2)},
		"one":      {at(0, 2)},
		"zero":     {at(50*time.Minute, 0), at(0, 2)},
	}
	rows := []struct {
		name, src string
		want      float64
	}{
		{name: "delta", src: "delta(goroutines, 1h)", want: 300},
		{name: "growth", src: "growth(goroutines, 1h)", want: 30},
		{name: "growth over 3h reaches the old sample", src: "growth(goroutines, 3h)", want: 12900},
		{name: "avg", src: "avg(goroutines, 1h)", want: 1133.3333333333333},
		{name: "min", src: "min(goroutines, 1h)", want: 1000},
		{name: "max", src: "max(goroutines, 1h)", want: 1300},
		{name: "rate with a counter reset", src: "rate(requests, 10m)", want: 15.0 / 540},
		{name: "delta over a reset is negative", src: "delta(requests, 10m)", want: -95},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			e := MustParse(row.src + " > 0")
			_, obs, err := e.Trace(&Env{Doc: `{}`, Now: now, History: hist})
			require.NoError(t, err)
			require.Len(t, obs, 1)
			assert.InDelta(t, row.want, obs[0].Value.Num, 1e-9)
			assert.Equal(t, row.src, obs[0].Subject)
		})
	}

	errRows := []struct {
		name, src, want string
		kind            ErrorKind
	}{
		{name: "span under half the window", src: "growth(young, 1h) > 20", kind: ErrHistory,
			want: "growth(young, 1h): too little history (2 samples over 5m)"},
		{name: "one sample", src: "delta(one, 1h) > 20", kind: ErrHistory,
			want: "delta(one, 1h): too little history (1 sample)"},
		{name: "no samples", src: "rate(absent, 1h) > 20", kind: ErrHistory,
			want: "rate(absent, 1h): too little history (0 samples)"},
		{name: "growth from zero", src: "growth(zero, 1h) > 20", kind: ErrType,
			want: "growth(zero, 1h): got oldest sample 0, want a nonzero oldest sample to compare with"},
	}
	for _, row := range errRows {
		t.Run(row.name, func(t *testing.T) {
			ok, err := MustParse(row.src).Eval(&Env{Doc: `{}`, Now: now, History: hist})
			assert.False(t, ok)
			var ee *EvalError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, row.kind, ee.Kind)
			assert.Equal(t, row.want, err.Error())
		})
	}

	t.Run("no history at all", func(t *testing.T) {
		_, err := MustParse("growth(goroutines, 1h) > 20").Eval(&Env{Doc: `{}`, Now: now})
		assert.EqualError(t, err, "growth(goroutines, 1h): too little history (0 samples)")
	})
}

func TestWindows(t *testing.T) {
	e := MustParse("growth(goroutines, 1h) > 20 || avg(mem, 10m) > 5 && max(items) > 1 || goroutines > 5000")
	assert.Equal(t, []Window{{Path: "goroutines", Window: time.Hour}, {Path: "mem", Window: 10 * time.Minute}}, e.Windows())
	assert.Equal(t, []string{"goroutines", "mem", "items"}, e.Paths())
}
