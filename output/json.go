package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
)

// SchemaVersion is the "schema_version" of the JSON output. It changes
// only when a key is removed or changes meaning; new keys may be added.
const SchemaVersion = 1

// JSON writes r as one JSON object on one line (JSON Lines).
//
// The keys always appear, in this order, so that "-o json >> file.jsonl"
// builds a history that line-oriented tools can read:
//
//	schema_version  1
//	time            when the probe started, RFC 3339 in UTC
//	target          the target, secrets redacted
//	state           "OK", "WARNING", "CRITICAL" or "UNKNOWN"
//	exit_code       0, 1, 2 or 3
//	summary         the status line's text
//	duration_ms     the whole probe, in milliseconds (microsecond precision)
//	http_status     the HTTP status code, or null when there was none
//	size            body bytes read
//	error           why the document could not be read, or null
//	checks          [{name, level, expr, state, value, message}] in check
//	                order; value is the JSON value the check read, or null
//	metrics         {label: number} for every perfdata item, in order;
//	                null for a value that is NaN or infinite
//
// and, only for a body that is not JSON (a goroutine profile):
//
//	document        {kind, noun, largest, grew}: what it was read as, and
//	                the parts it counts (its stacks), the five largest
//	                [{name, count, where}] and, with a state file, the five
//	                that grew most since the previous run [{name, count,
//	                previous, where}] (previous null for a new one)
//
// Strings are escaped by encoding/json (invalid UTF-8 becomes U+FFFD), and
// values read from the document are compacted onto the line.
func JSON(w io.Writer, r *probe.Report) error {
	if r == nil {
		return errors.New("write json output: no report")
	}
	j := &jsonWriter{}
	j.probeKeys(r)
	j.key("checks")
	j.checks(r.Outcomes)
	j.key("metrics")
	j.metrics(r.Perf)
	if r.Document != "" {
		j.key("document")
		j.document(r)
	}
	j.raw("}\n")
	if _, err := w.Write(j.buf.Bytes()); err != nil {
		return fmt.Errorf("write json output: %w", err)
	}
	return nil
}

// probeKeys opens the object and writes the keys of the probe as a whole,
// schema_version to error.
func (j *jsonWriter) probeKeys(r *probe.Report) {
	j.raw(`{"schema_version":` + strconv.Itoa(SchemaVersion))
	j.key("time")
	j.str(r.Time.UTC().Format(time.RFC3339))
	j.key("target")
	j.str(r.Target)
	j.key("state")
	j.str(r.State.String())
	j.key("exit_code")
	j.raw(strconv.Itoa(exitCode(r.State)))
	j.key("summary")
	j.str(r.Summary())
	j.key("duration_ms")
	j.raw(jsonNumber(math.Round(float64(r.Duration)/1e3) / 1e3))
	j.key("http_status")
	if r.HTTPStatus > 0 {
		j.raw(strconv.Itoa(r.HTTPStatus))
	} else {
		j.raw("null")
	}
	j.key("size")
	j.raw(strconv.Itoa(r.Size))
	j.key("error")
	if r.Err != nil {
		j.str(r.Err.Error())
	} else {
		j.raw("null")
	}
}

// checks writes the outcomes as the "checks" array.
func (j *jsonWriter) checks(outcomes []probe.Outcome) {
	j.raw("[")
	for i, o := range outcomes {
		if i > 0 {
			j.raw(",")
		}
		j.raw(`{"name":`)
		j.str(o.Name)
		j.key("level")
		j.str(string(o.Level))
		j.key("expr")
		j.str(o.Expr)
		j.key("state")
		j.str(o.State.String())
		j.key("value")
		j.raw(jsonValue(o.Value))
		j.key("message")
		j.str(o.Message)
		j.raw("}")
	}
	j.raw("]")
}

// jsonPart and jsonGrown are the parts of the "document" key.
type (
	jsonPart struct {
		Name  string  `json:"name"`
		Count float64 `json:"count"`
		Where string  `json:"where"`
	}
	jsonGrown struct {
		Name     string   `json:"name"`
		Count    float64  `json:"count"`
		Previous *float64 `json:"previous"`
		Where    string   `json:"where"`
	}
)

// document writes the "document" object of a body that is not JSON.
func (j *jsonWriter) document(r *probe.Report) {
	doc := struct {
		Kind    string      `json:"kind"`
		Noun    string      `json:"noun"`
		Largest []jsonPart  `json:"largest"`
		Grew    []jsonGrown `json:"grew"`
	}{Kind: r.Document, Noun: r.PartsNoun, Largest: []jsonPart{}, Grew: []jsonGrown{}}
	for _, pc := range r.Parts[:min(maxParts, len(r.Parts))] {
		doc.Largest = append(doc.Largest, jsonPart{Name: pc.Name, Count: pc.Count, Where: pc.Where})
	}
	for _, pc := range r.GrewParts(maxParts) {
		g := jsonGrown{Name: pc.Name, Count: pc.Count, Where: pc.Where}
		if pc.Known {
			g.Previous = &pc.Previous
		}
		doc.Grew = append(doc.Grew, g)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		b = []byte("null") // a count JSON cannot hold (NaN): no part is made up
	}
	j.buf.Write(b)
}

// metrics writes the perfdata values as the "metrics" object.
func (j *jsonWriter) metrics(perf []probe.Perf) {
	j.raw("{")
	seen := make(map[string]bool, len(perf))
	for _, p := range perf {
		// A repeated key is legal JSON but read differently by different
		// parsers; the first item with a label wins.
		if seen[p.Label] {
			continue
		}
		if len(seen) > 0 {
			j.raw(",")
		}
		seen[p.Label] = true
		j.str(p.Label)
		j.raw(":")
		j.raw(jsonNumber(p.Value))
	}
	j.raw("}")
}

// jsonWriter builds one JSON line by hand, which keeps the key order fixed.
type jsonWriter struct{ buf bytes.Buffer }

func (j *jsonWriter) raw(s string) { j.buf.WriteString(s) }

// key writes `,"name":`; names are constants that need no escaping.
func (j *jsonWriter) key(name string) { j.buf.WriteString(`,"` + name + `":`) }

// str writes s as a JSON string. "<", ">" and "&" are kept as they are, for
// people reading the log; encoding/json still escapes control characters,
// U+2028 and U+2029, and replaces invalid UTF-8 with U+FFFD.
func (j *jsonWriter) str(s string) {
	enc := json.NewEncoder(&j.buf)
	enc.SetEscapeHTML(false)
	// Encoding a string cannot fail.
	_ = enc.Encode(s)
	j.buf.Truncate(j.buf.Len() - 1) // Encode's newline
}

// jsonNumber writes f as a JSON number in plain decimal, or null when JSON
// cannot hold it (NaN, ±Inf).
func jsonNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	return perfNumber(f)
}

// maxJSONValue is the largest value written as a check's "value", in bytes
// of JSON: a larger one (a big array or object) is written as null, so that
// a history line stays a line, not a copy of the document.
const maxJSONValue = 1024

// jsonValue returns v as compact JSON text for the "value" key, or null
// when there is no value or it is too large. A value read from the document
// keeps its JSON text (every digit of a number), re-encoded onto one line.
func jsonValue(v *probe.Value) string {
	if v == nil {
		return "null"
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(strings.ToValidUTF8(v.JSON(), "\uFFFD"))); err != nil || b.Len() > maxJSONValue {
		return "null"
	}
	return b.String()
}

// exitCode is the plugin exit code of s; anything unexpected is UNKNOWN.
func exitCode(s probe.State) int {
	switch s {
	case probe.OK, probe.Warning, probe.Critical:
		return int(s)
	}
	return int(probe.Unknown)
}
