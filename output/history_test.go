package output

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		width  int
		want   string
	}{
		{"rising", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 40, "▁▂▃▄▅▆▇█"},
		{"flat", []float64{5, 5, 5}, 40, "▁▁▁"},
		{"averaged into the width", []float64{0, 0, 10, 10}, 2, "▁█"},
		{"empty", nil, 40, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Sparkline(tt.values, tt.width))
		})
	}
}

func TestReadHistory(t *testing.T) {
	in := strings.Join([]string{
		`{"time":"2026-11-28T20:00:00Z","metrics":{"goroutines":856,"x":null}}`,
		`garbage`,
		`{"time":"2026-11-28T22:00:00Z","metrics":{"goroutines":2856}}`,
		``,
		`{"metrics":{"goroutines":1}}`,
	}, "\n")
	h, err := ReadHistory(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, 4, h.Lines)
	assert.Equal(t, 2, h.Skipped, "garbage and a line without time")
	require.Len(t, h.Series, 1, "null values are skipped")
	s := h.Series[0]
	assert.Equal(t, "goroutines", s.Label)
	assert.Equal(t, 2, s.Count)
	assert.Equal(t, 1856.0, s.Avg())
	assert.Equal(t, 2000.0, s.Trend())
	assert.Equal(t, 1000.0, s.PerHour())
}
