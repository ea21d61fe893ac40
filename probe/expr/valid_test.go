package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidate(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	type row struct{ name, doc, wantErr string }
	tests := []row{
		{"object", `{"a":1}`, ""},
		{"at the depth limit", deep(MaxDepth), ""},
		{"one level deeper", deep(MaxDepth + 1), "nested deeper than 10000 levels"},
		{"8 million unclosed brackets", strings.Repeat("[", 8_000_000), "nested deeper than 10000 levels"},
		{"brackets inside strings do not count", `{"a":"` + strings.Repeat("[", MaxDepth+5) + `"}`, ""},
		{"escaped quote in a string", `{"a":"x\"[[[[","b":1}`, ""},
		{"many brackets after escaped quotes in strings", `{"a":"\"\\\"` + strings.Repeat("[", MaxDepth+5) + `\\","b":[1]}`, ""},
		{"deep after a string ending in backslashes", `{"a":"\\\\","b":` + deep(MaxDepth+1) + `}`, "nested deeper than 10000 levels"},
		{"truncated", `{"a":`, "not valid JSON"},
		{"NaN", `{"a":NaN}`, "not valid JSON"},
		{"two values", `{} {}`, "not valid JSON"},
		{"empty", ``, "not valid JSON"},
	}
	// Strings are skipped eight bytes at a time: a quote, backslash or
	// control character is found at every offset within and across words.
	for k := 0; k <= 17; k++ {
		pad := strings.Repeat("x", k)
		tests = append(tests,
			row{fmt.Sprintf("quote after %d bytes", k), `["` + pad + `",1]`, ""},
			row{fmt.Sprintf("escape after %d bytes", k), `["` + pad + `\"\u00e9x",1]`, ""},
			row{fmt.Sprintf("newline after %d bytes", k), "[\"" + pad + "\n\"]", "not valid JSON"},
			row{fmt.Sprintf("0x1f after %d bytes", k), "[\"" + pad + "\x1f\"]", "not valid JSON"},
			row{fmt.Sprintf("0x7f and UTF-8 after %d bytes", k), "[\"" + pad + "\x7fé€😀\"]", ""},
			row{fmt.Sprintf("unterminated after %d bytes", k), `["` + pad, "not valid JSON"},
			row{fmt.Sprintf("bad escape after %d bytes", k), `["` + pad + `\x"]`, "not valid JSON"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.doc)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.wantErr)
		})
	}
}

// FuzzValidate checks Validate against encoding/json.Valid, the standard
// library's validator, on every input within the depth limit.
func FuzzValidate(f *testing.F) {
	for _, s := range append(append([]string{}, fuzzSeedDocs...), `{"a":[1,2,{"b":null}],"c":"\u00e9\n"}`, `[1e5,-0.5,true,false]`, `"\ud83d"`, "\"\xff\"", `{"a":1,}`, `[01]`, `1.`, `-`, ` 1 `, "\t[\r\n]") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		err := Validate(doc)
		if errors.Is(err, ErrTooDeep) {
			return
		}
		if want := json.Valid([]byte(doc)); want != (err == nil) {
			t.Fatalf("Validate(%q) = %v, encoding/json.Valid = %v", doc, err, want)
		}
	})
}
