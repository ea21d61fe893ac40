package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// jsonKeys are the documented top-level keys, in their order.
var jsonKeys = []string{"schema_version", "time", "target", "state", "exit_code", "summary",
	"duration_ms", "http_status", "size", "error", "checks", "metrics"}

// checkKeys are the documented keys of each element of "checks", in order.
var checkKeys = []string{"name", "level", "expr", "state", "value", "message"}

// checkJSONLine asserts that line is one line of valid JSON holding one
// object with every documented key, in the documented order.
func checkJSONLine(t testing.TB, line []byte) {
	t.Helper()
	if !bytes.HasSuffix(line, []byte("\n")) || bytes.Count(line, []byte("\n")) != 1 {
		t.Fatalf("not exactly one line: %q", line)
	}
	if !json.Valid(line) {
		t.Fatalf("not valid JSON: %q", line)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(line, &obj); err != nil {
		t.Fatalf("not a JSON object: %v: %q", err, line)
	}
	if got := objectKeys(t, line); !equalStrings(jsonKeys, got) {
		t.Fatalf("keys %q, want %q", got, jsonKeys)
	}
	var checks []json.RawMessage
	if err := json.Unmarshal(obj["checks"], &checks); err != nil {
		t.Fatalf("checks is not an array: %v", err)
	}
	for _, c := range checks {
		if got := objectKeys(t, c); !equalStrings(checkKeys, got) {
			t.Fatalf("check keys %q, want %q", got, checkKeys)
		}
	}
	var metrics map[string]*float64
	if err := json.Unmarshal(obj["metrics"], &metrics); err != nil {
		t.Fatalf("metrics is not an object of numbers: %v", err)
	}
}

// objectKeys returns the keys of the JSON object data in document order.
func objectKeys(t testing.TB, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %q", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("bad key: %v", err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatalf("bad value: %v", err)
		}
	}
	return keys
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
}

// TestGoldenJSONSyntax parses every JSON golden file.
func TestGoldenJSONSyntax(t *testing.T) {
	forEachGolden(t, "*.json.golden", func(t *testing.T, data []byte) { checkJSONLine(t, data) })
}

// TestJSONDocumentedExample is docs/output.md's JSON example, key for key.
func TestJSONDocumentedExample(t *testing.T) {
	r := &probe.Report{
		Target: healthURL, Time: time.Date(2026, 11, 28, 22, 0, 0, 0, time.FixedZone("CET", 3600)),
		Duration: 4100 * time.Microsecond, HTTPStatus: 200, Size: 112, State: probe.Warning,
		Outcomes: []probe.Outcome{goroutines("2156", 2156, probe.Warning)},
		Perf:     []probe.Perf{{Label: "goroutines", Value: 2156}, {Label: "memory.alloc_mb", Value: 256}},
	}
	var b bytes.Buffer
	require.NoError(t, JSON(&b, r))
	want := `{"schema_version":1,"time":"2026-11-28T21:00:00Z","target":"http://localhost:3000/api/monitor/health",` +
		`"state":"WARNING","exit_code":1,"summary":"goroutines=2156 > 2000","duration_ms":4.1,"http_status":200,` +
		`"size":112,"error":null,"checks":[{"name":"goroutines","level":"warning","expr":"goroutines > 2000",` +
		`"state":"WARNING","value":2156,"message":"goroutines > 2000 (got 2156)"}],` +
		`"metrics":{"goroutines":2156,"memory.alloc_mb":256}}` + "\n"
	assert.Equal(t, want, b.String())
}

func TestJSONFields(t *testing.T) {
	tests := []struct {
		name   string
		report *probe.Report
		key    string
		want   string // the key's value as compact JSON
	}{
		{"http status absent", &probe.Report{}, "http_status", `null`},
		{"error", &probe.Report{Err: errors.New("dial: refused")}, "error", `"dial: refused"`},
		{"no checks", &probe.Report{}, "checks", `[]`},
		{"no metrics", &probe.Report{}, "metrics", `{}`},
		{"duration rounded", &probe.Report{Duration: 1234567891}, "duration_ms", `1234.568`},
		{"exit code of an odd state", &probe.Report{State: probe.State(9)}, "exit_code", `3`},
		{"html kept", &probe.Report{Target: "http://h/?a=1&b=<2>"}, "target", `"http://h/?a=1&b=<2>"`},
		{"invalid utf-8", &probe.Report{Target: "a\xffb"}, "target", `"a\ufffdb"`},
		{"metrics nan null, duplicate first wins", &probe.Report{Perf: []probe.Perf{
			{Label: "a", Value: math.NaN()}, {Label: "b", Value: 1e21}, {Label: "a", Value: 2}, {Label: "c", Value: -1.5e-7}}},
			"metrics", `{"a":null,"b":1000000000000000000000,"c":-0.00000015}`},
		{"value kinds", &probe.Report{Outcomes: []probe.Outcome{
			{Value: nil},
			{Value: &expr.Value{Kind: expr.Bool, Bool: true, Raw: "true"}},
			{Value: &expr.Value{Kind: expr.Null, Raw: "null"}},
			{Value: &expr.Value{Kind: expr.Number, Num: 0.5}},
			{Value: &expr.Value{Kind: expr.Number, Num: 9007199254740993, Raw: "9007199254740993"}},
			{Value: &expr.Value{Kind: expr.Array, Raw: "[1,\n 2]"}},
			{Value: &expr.Value{Kind: expr.Object, Raw: "{\"a\":\t\"b\xff\"}"}},
			{Value: &expr.Value{Kind: expr.Number, Num: 3, Raw: "NaN"}},
			{Value: &expr.Value{Kind: expr.Object, Raw: "{oops"}},
			{Value: &expr.Value{Kind: expr.Number, Num: math.Inf(1)}},
			{Value: str("x\ny")},
		}}, "checks", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, JSON(&b, tt.report))
			checkJSONLine(t, b.Bytes())
			var obj map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(b.Bytes(), &obj))
			if tt.key == "checks" && tt.want == "" {
				var checks []struct{ Value json.RawMessage }
				require.NoError(t, json.Unmarshal(obj["checks"], &checks))
				var got []string
				for _, c := range checks {
					got = append(got, string(c.Value))
				}
				assert.Equal(t, []string{"null", "true", "null", "0.5", "9007199254740993", "[1,2]",
					`{"a":"b` + "\uFFFD" + `"}`, "3", "null", "null", `"x\ny"`}, got)
				return
			}
			assert.Equal(t, tt.want, string(obj[tt.key]))
		})
	}
}

func TestJSONNilReport(t *testing.T) {
	var b bytes.Buffer
	assert.EqualError(t, JSON(&b, nil), "write json output: no report")
}
