package output

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

func TestNagios(t *testing.T) {
	tests := []struct {
		name    string
		report  *probe.Report
		verbose bool
		want    string
	}{
		{
			name:   "no perfdata, no bar",
			report: &probe.Report{State: probe.OK},
			want:   "JSONPROBE OK - document is valid JSON, no checks\n",
		},
		{
			name: "only unprintable perfdata, no bar",
			report: &probe.Report{State: probe.OK, Outcomes: []probe.Outcome{{Name: "a", Message: "a > 1 (got 0)"}},
				Perf: []probe.Perf{{Label: "a", Value: math.NaN()}}},
			want: "JSONPROBE OK - 1 check OK\nOK a: a > 1 (got 0)\n",
		},
		{
			name: "failing first, then check order",
			report: &probe.Report{State: probe.Critical, Outcomes: []probe.Outcome{
				{Name: "a", State: probe.OK, Message: "a"},
				{Name: "b", State: probe.Unknown, Summary: "b: not found", Message: "b"},
				{Name: "c", State: probe.Critical, Summary: "c=9 > 5", Message: "c"},
				{Name: "d", State: probe.Warning, Summary: "d=3 > 2", Message: "d"},
			}},
			want: "JSONPROBE CRITICAL - c=9 > 5, d=3 > 2, b: not found\nCRITICAL c: c\nWARNING d: d\nUNKNOWN b: b\nOK a: a\n",
		},
		{
			name:   "fetch error line",
			report: &probe.Report{State: probe.Critical, Err: errors.New("connection refused")},
			want:   "JSONPROBE CRITICAL - connection refused\nCRITICAL fetch: connection refused\n",
		},
		{
			name: "message falls back to the expression, name too",
			report: &probe.Report{State: probe.OK, Outcomes: []probe.Outcome{
				{Expr: "x > 1", State: probe.OK}}},
			want: "JSONPROBE OK - 1 check OK\nOK x > 1: x > 1\n",
		},
		{
			name: "pipes and line breaks in text",
			report: &probe.Report{State: probe.Warning, Outcomes: []probe.Outcome{
				{Name: "a|b", State: probe.Warning, Summary: "x|y\r\nz", Message: "m|n\nJSONPROBE OK - o | p=1"}}},
			want: "JSONPROBE WARNING - x¦y  z\nWARNING a¦b: m¦n JSONPROBE OK - o ¦ p=1\n",
		},
		{
			name: "verbose without http status",
			report: &probe.Report{Target: "-", State: probe.OK, Size: 2, FetchTime: 1500,
				Outcomes: []probe.Outcome{{Name: "n", Level: "critical", Expr: "n > 1", State: probe.OK, Message: "n > 1 (got 0)"}}},
			verbose: true,
			want: "JSONPROBE OK - 1 check OK\nOK n: n > 1 (got 0)\ntarget: -\nsize: 2 bytes\nfetch time: 0.000002s\nduration: 0s\n" +
				"check n: OK (critical: n > 1)\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, Nagios(&b, tt.report, NagiosOptions{Verbose: tt.verbose}))
			assert.Equal(t, tt.want, b.String())
			checkNagiosOutput(t, b.String())
		})
	}
}

func TestNagiosTruncatesSummary(t *testing.T) {
	r := &probe.Report{State: probe.Critical, Outcomes: []probe.Outcome{
		{Name: "a", State: probe.Critical, Summary: strings.Repeat("é", 1000), Message: strings.Repeat("x", 5000)}}}
	var b bytes.Buffer
	require.NoError(t, Nagios(&b, r, NagiosOptions{}))
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	text := strings.TrimPrefix(lines[0], "JSONPROBE CRITICAL - ")
	assert.Equal(t, maxSummary, utf8.RuneCountInString(text))
	assert.True(t, strings.HasSuffix(text, "…"))
	assert.Equal(t, maxLine, utf8.RuneCountInString(lines[1]))
}

func TestNagiosNilReport(t *testing.T) {
	var b bytes.Buffer
	assert.EqualError(t, Nagios(&b, nil, NagiosOptions{}), "write nagios output: no report")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteErrors(t *testing.T) {
	r := &probe.Report{State: probe.OK}
	assert.EqualError(t, Nagios(failWriter{}, r, NagiosOptions{}), "write nagios output: broken pipe")
	assert.EqualError(t, JSON(failWriter{}, r), "write json output: broken pipe")
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
		max            int
	}{
		{"plain", "goroutines=2156 > 2000", "goroutines=2156 > 2000", 400},
		{"pipe", "a|b", "a¦b", 400},
		{"line breaks", "a\r\nb\nc\rd", "a  b c d", 400},
		{"controls", "a\x00b\tc\x1bd\u0085e\u2028f", "a b c d e f", 400},
		{"invalid utf-8", "a\xff\xfeb", "a\uFFFDb", 400},
		{"trimmed", "\n  a  \n", "a", 400},
		{"cut", "abcdef", "abc…", 4},
		{"fits", "abcd", "abcd", 4},
		{"cut runes", "ééééé", "ééé…", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, cleanText(tt.in, tt.max))
		})
	}
}

// FuzzNagios renders reports whose every string is arbitrary: the status
// line has at most one "|", no other line has any, and the JSON of the same
// report is one valid line.
func FuzzNagios(f *testing.F) {
	f.Add("goroutines=2156 > 2000", "goroutines > 2000 (got 2156)", "goroutines", "")
	f.Add("a|b\nc", "x|y\r\nz|", "n|m", "dial tcp: connection refused\n|")
	f.Add("\xff\xfe", "\u2028|\u0085", "", "\x00")
	f.Add(strings.Repeat("|", 500), strings.Repeat("\n", 10), "'", "")
	f.Fuzz(func(t *testing.T, summary, message, name, errText string) {
		r := &probe.Report{Target: name, Time: probeTime, State: probe.Warning, Outcomes: []probe.Outcome{
			{Name: name, Level: "warning", Expr: message, State: probe.Warning, Value: str(message),
				Observations: obs(name, str(summary)), Summary: summary, Message: message},
			{Name: message, State: probe.OK, Summary: name, Message: summary},
		}, Perf: []probe.Perf{{Label: name, Value: 1}, {Label: summary, Value: 2}}}
		if errText != "" {
			r.Err = errors.New(errText)
		}
		for _, verbose := range []bool{false, true} {
			var b bytes.Buffer
			require.NoError(t, Nagios(&b, r, NagiosOptions{Verbose: verbose}))
			out := b.String()
			if !utf8.ValidString(out) {
				t.Fatalf("output is not valid UTF-8: %q", out)
			}
			checkNagiosOutput(t, out)
			if first, _, _ := strings.Cut(out, "\n"); strings.Count(first, "|") != 1 {
				t.Fatalf("status line must have exactly one |, before the perfdata: %q", first)
			}
			want := 3 // status line and two outcomes
			if r.Err != nil {
				want++
			}
			if verbose {
				want += 4 + 2 + 1 // facts, one head per outcome, one observation
			}
			if got := strings.Count(out, "\n"); got != want {
				t.Fatalf("want %d lines, got %d: %q", want, got, out)
			}
		}
		var js bytes.Buffer
		require.NoError(t, JSON(&js, r))
		checkJSONLine(t, js.Bytes())
	})
}

// TestNagiosDocumentedExample pins docs/output.md's example, which golden files
// regenerated with -update could otherwise drift from.
func TestNagiosDocumentedExample(t *testing.T) {
	var r *probe.Report
	for _, tc := range goldenCases() {
		if tc.name == "warning" {
			r = tc.report
		}
	}
	require.NotNil(t, r)
	var b bytes.Buffer
	require.NoError(t, Nagios(&b, r, NagiosOptions{}))
	want := "JSONPROBE WARNING - goroutines=2156 > 2000 | goroutines=2156;~:2000;~:5000 memory.alloc_mb=256MB;~:3072;~:4096 memory.sys_mb=512MB memory.num_gc=45c time=0.004s;~:1;~:5;0 size=112B;;;0\n" +
		"WARNING goroutines: goroutines > 2000 (got 2156)\n" +
		"OK status: status != \"ok\" (got \"ok\")\n" +
		"OK memory: memory.alloc_mb > 3072 (got 256)\n" +
		"OK latency: $time > 1s (got 0.004)\n"
	assert.Equal(t, want, b.String())
}
