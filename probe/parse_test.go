package probe

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimeout(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"10", 10 * time.Second, ""},
		{"10s", 10 * time.Second, ""},
		{"2.5", 2500 * time.Millisecond, ""},
		{"1m30s", 90 * time.Second, ""},
		{"500ms", 500 * time.Millisecond, ""},
		{"0", 0, `timeout "0": must be greater than 0`},
		{"-5s", 0, `timeout "-5s": must be greater than 0`},
		{"soon", 0, `timeout "soon": want seconds (10) or a duration (10s, 1m)`},
		{"NaN", 0, `timeout "NaN": want seconds (10) or a duration (10s, 1m)`},
		{"", 0, `timeout "": want seconds (10) or a duration (10s, 1m)`},
		{"1e10", 0, `timeout "1e10": at most 24h0m0s`},
		{"Inf", 0, `timeout "Inf": at most 24h0m0s`},
		{"48h", 0, `timeout "48h": at most 24h0m0s`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimeout(tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"16MiB", 16 << 20, true}, {"512KB", 512000, true}, {"1G", 1 << 30, true},
		{"1048576", 1 << 20, true}, {"1.5KiB", 1536, true}, {"100B", 100, true},
		{"100kB", 100000, true}, {"1.5GB", 1500000000, true}, {"1TiB", 1 << 40, true}, {"2M", 2 << 20, true}, {"16 MiB", 16 << 20, true},
		{"0", 0, false}, {"0.1", 0, false}, {"NaN", 0, false}, {"-1MiB", 0, false}, {"lots", 0, false}, {"2TiB", 0, false}, {"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSize(tt.in)
			if !tt.ok {
				require.Error(t, err)
				assert.Equal(t, `size "`+tt.in+`": want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576`, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatusList(t *testing.T) {
	tests := []struct {
		in      string
		want    StatusSet
		text    string
		wantErr string
	}{
		{"200", StatusSet{{200, 200}}, "200", ""},
		{"200,204", StatusSet{{200, 200}, {204, 204}}, "200,204", ""},
		{"2xx", StatusSet{{200, 299}}, "2xx", ""},
		{"2XX, 301", StatusSet{{200, 299}, {301, 301}}, "2xx,301", ""},
		{"200-299", StatusSet{{200, 299}}, "2xx", ""},
		{"200-204", StatusSet{{200, 204}}, "200-204", ""},
		{"6xx", nil, "", `expect_status "6xx": "6xx" is not a status code, class (2xx) or range (200-299)`},
		{"abc", nil, "", `expect_status "abc": "abc" is not a status code, class (2xx) or range (200-299)`},
		{"299-200", nil, "", `expect_status "299-200": "299-200" is not a status code, class (2xx) or range (200-299)`},
		{"200,", nil, "", `expect_status "200,": "" is not a status code, class (2xx) or range (200-299)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseStatusList(tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.text, got.String())
		})
	}
	assert.True(t, StatusSet(nil).Contains(204), "empty set accepts 2xx")
	assert.False(t, StatusSet(nil).Contains(301))
}

func TestParseMetric(t *testing.T) {
	tests := []struct {
		in                           string
		path, label, uom, warn, crit string
		min, max                     string
		wantErr                      string
	}{
		{in: "memory.sys_mb", path: "memory.sys_mb"},
		{in: "memory.sys_mb=sys", path: "memory.sys_mb", label: "sys"},
		{in: "memory.sys_mb=sys[MB];~:1024;~:2048;0;4096", path: "memory.sys_mb", label: "sys", uom: "MB", warn: "~:1024", crit: "~:2048", min: "0", max: "4096"},
		{in: `items.#(name=="a;b").v=v;10;20`, path: `items.#(name=="a;b").v`, label: "v", warn: "10", crit: "20"},
		{in: `items.#(name=="x").v;@1:5`, path: `items.#(name=="x").v`, warn: "@1:5"},
		{in: ";1;2", wantErr: `metric ";1;2": missing path`},
		{in: "x;1-10", wantErr: `metric "x;1-10": range "1-10": "1-10" is not a number`},
		{in: "x=l[GiB]", wantErr: `metric "x=l[GiB]": unit "GiB": want one of s, ms, us, %, B, KB, MB, GB, TB, c`},
		{in: "x;1;2;0;lots", wantErr: `metric "x;1;2;0;lots": min/max "lots": want a plain number`},
		{in: "x;1;2;3;4;5", wantErr: `metric "x;1;2;3;4;5": too many fields, want PATH[=LABEL][;WARN;CRIT[;MIN;MAX]]`},
		{in: "items.#(", wantErr: `metric "items.#(": path "items.#(" is not a valid path`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := ParseMetric(tt.in)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.path, m.Path)
			assert.Equal(t, tt.label, m.Label)
			assert.Equal(t, tt.uom, m.UOM)
			assert.Equal(t, tt.warn, rangeText(m.Warn))
			assert.Equal(t, tt.crit, rangeText(m.Crit))
			assert.Equal(t, tt.min, m.Min)
			assert.Equal(t, tt.max, m.Max)
		})
	}
}

// TestAddCheck: -w and -c on the same operand make one check.
func TestAddCheck(t *testing.T) {
	cfg := NewConfig()
	for _, c := range []struct{ level, src string }{
		{"warning", "goroutines > 2000"},
		{"critical", "goroutines > 5000"},
		{"critical", `status != "ok"`},
		{"critical", "exists(a) && a > 1"},
		{"warning", "goroutines > 3000"}, // a second warning on goroutines: a check of its own
	} {
		require.NoError(t, cfg.AddCheck(c.level, c.src))
	}
	var got []string
	for _, c := range cfg.Checks {
		got = append(got, c.Name)
	}
	assert.Equal(t, []string{"goroutines", "status", "exists(a) && a > 1", "goroutines"}, got)
	assert.Equal(t, "goroutines > 2000", cfg.Checks[0].Warning.String())
	assert.Equal(t, "goroutines > 5000", cfg.Checks[0].Critical.String())
	assert.Nil(t, cfg.Checks[3].Critical)

	err := cfg.AddCheck("critical", "a >> 1")
	require.EqualError(t, err, `expression "a >> 1": unexpected ">" at column 4, expected a value`)
}
