package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocumentFaults: the body arrives whole but is JSON of an unusual or
// hostile shape.
func TestDocumentFaults(t *testing.T) {
	runFaults(t, slices.Concat(syntaxRows(), valueRows()))
}

// perfOf is the perfdata part of a status line.
func perfOf(line string) string {
	_, perf, _ := strings.Cut(line, " | ")
	return perf
}

// syntaxRows: bytes that are not JSON, not UTF-8, or nested past the
// limit.
func syntaxRows() []faultRow {
	doc := func(n int) string { return fmt.Sprintf(healthDoc, n) }
	return []faultRow{
		{name: "truncated JSON", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", `{"status":"ok","goroutines":12`))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"status\":\"ok\",\"goroutines\":12" | time={num}s;;;0 size=30B;;;0`},

		{name: "UTF-8 byte order mark", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", "\xef\xbb\xbf"+doc(1234)))
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=109B;;;0"},

		{name: "invalid UTF-8 in strings", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", "{\"status\":\"ok\xff\xfe\",\"name\":\"caf\xe9\"}"),
				"-v", "-c", `status != "ok"`, "-w", `name == "x"`}
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - status="ok\xff\xfe" != "ok" | time={num}s;;;0 size=31B;;;0`,
			check: func(t *testing.T, stdout, _ string) {
				assert.True(t, utf8.ValidString(stdout), "stdout is not valid UTF-8: %q", stdout)
			}},

		{name: "invalid UTF-8 in strings, -o json", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", "{\"status\":\"ok\xff\xfe\",\"name\":\"caf\xe9\"}"),
				"-o", "json", "-c", `status != "ok"`, "-w", `name == "x"`}
		}, wantCode: 2, wantFirst: `{"schema_version":1,{any}"state":"CRITICAL","exit_code":2,"summary":"status=\"ok\\xff\\xfe\" != \"ok\"",{any}`,
			check: func(t *testing.T, stdout, _ string) {
				assert.True(t, utf8.ValidString(stdout), "stdout is not valid UTF-8: %q", stdout)
				assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line")
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(stdout), &v), "-o json output parses")
				assert.Equal(t, "CRITICAL", v["state"])
			}},

		{name: "nested 100000 deep", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - body is nested deeper than 10000 levels | time={num}s;;;0 size=200000B;;;0"},

		{name: "8000000 open brackets", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", strings.Repeat("[", 8000000)))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - body is nested deeper than 10000 levels | time={num}s;;;0 size=8000000B;;;0"},
	}
}

// valueRows: numbers at the edges of float64 and int64, literals JSON
// does not have, a document that is a string, duplicate keys.
func valueRows() []faultRow {
	number := func(body, check string) func(t *testing.T) []string {
		return func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", body), "-c", check}
		}
	}
	return []faultRow{
		{name: "number 1e400", args: number(`{"x":1e400}`, "x > 5"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=1e400 > 5 | time={num}s;;;0 size=11B;;;0",
			check: func(t *testing.T, stdout, _ string) {
				perf := perfOf(firstLine(stdout))
				assert.NotRegexp(t, `(?i)inf|nan|[0-9]e[-+]?[0-9]`, perf, "perfdata holds Inf, NaN or e notation")
			}},

		{name: "number 1e400, -o json", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", `{"x":1e400}`), "-o", "json", "-c", "x > 5"}
		}, wantCode: 2, wantFirst: `{"schema_version":1,{any}"state":"CRITICAL","exit_code":2,"summary":"x=1e400 > 5",{any}`,
			check: func(t *testing.T, stdout, _ string) {
				var v struct {
					Metrics map[string]*float64 `json:"metrics"`
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &v), "-o json output parses")
				assert.Contains(t, v.Metrics, "time")
			}},

		{name: "number -0 equals 0", args: number(`{"x":-0}`, "x == 0"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=-0 == 0 | x=0 time={num}s;;;0 size=8B;;;0"},

		{name: "number 1.0000000000000001 equals 1 (float)", args: number(`{"x":1.0000000000000001}`, "x == 1"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=1.0000000000000001 == 1 | x=1 time={num}s;;;0 size=24B;;;0"},

		{name: "number 2^63+1 compares exactly", args: number(`{"x":9223372036854775809}`, "x > 9223372036854775808"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=9223372036854775809 > 9223372036854775808 | x=9223372036854776000;;~:9223372036854776000 time={num}s;;;0 size=25B;;;0"},

		{name: "NaN literal", args: number(`{"x":NaN}`, "x > 5"),
			wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"x\":NaN}" | time={num}s;;;0 size=9B;;;0`},

		{name: "Infinity literal", args: number(`{"x":-Infinity}`, "x > 5"),
			wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"x\":-Infinity}" | time={num}s;;;0 size=15B;;;0`},

		// A document that is a JSON string holds no array: "[9999]" is text,
		// and reading 9999 out of it is a false alert.
		{name: "string document is not indexed", args: number(`"[9999]"`, "0 > 5000"),
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - 0: not found | time={num}s;;;0 size=8B;;;0"},

		{name: "duplicate keys, the first wins", args: number(`{"x":1,"x":100}`, "x > 50"),
			wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | x=1;;~:50 time={num}s;;;0 size=15B;;;0"},
	}
}
