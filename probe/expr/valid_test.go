package expr

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidate(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	tests := []struct {
		name, doc, wantErr string
	}{
		{"object", `{"a":1}`, ""},
		{"at the depth limit", deep(MaxDepth), ""},
		{"one level deeper", deep(MaxDepth + 1), "nested deeper than 10000 levels"},
		{"8 million unclosed brackets", strings.Repeat("[", 8_000_000), "nested deeper than 10000 levels"},
		{"brackets inside strings do not count", `{"a":"` + strings.Repeat("[", MaxDepth+5) + `"}`, ""},
		{"escaped quote in a string", `{"a":"x\"[[[[","b":1}`, ""},
		{"truncated", `{"a":`, "not valid JSON"},
		{"NaN", `{"a":NaN}`, "not valid JSON"},
		{"two values", `{} {}`, "not valid JSON"},
		{"empty", ``, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.doc))
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.wantErr)
		})
	}
}
