package output

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

func TestJSONValueSizeCap(t *testing.T) {
	small := "[" + strings.Repeat("1,", 100) + "1]"
	big := "[" + strings.Repeat("1,", maxJSONValue) + "1]"
	tests := []struct {
		name string
		v    *expr.Value
		want string
	}{
		{"small array kept", &expr.Value{Kind: expr.Array, Raw: small}, small},
		{"large array left out", &expr.Value{Kind: expr.Array, Raw: big}, "null"},
		{"large string kept", &expr.Value{Kind: expr.String, Str: strings.Repeat("x", 2*maxJSONValue)}, `"` + strings.Repeat("x", 2*maxJSONValue) + `"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, jsonValue(tt.v))
		})
	}
}
