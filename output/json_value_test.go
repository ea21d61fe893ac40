package output

import (
	"math"
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
		{"large string left out", &expr.Value{Kind: expr.String, Str: strings.Repeat("x", 2*maxJSONValue)}, "null"},
		{"pretty object compacted", &expr.Value{Kind: expr.Object, Raw: "{\n  \"a\": 1\n}"}, `{"a":1}`},
		{"number digits kept", &expr.Value{Kind: expr.Number, Num: 9007199254740993, Raw: "9007199254740993"}, "9007199254740993"},
		{"infinite number", &expr.Value{Kind: expr.Number, Num: math.Inf(1), Raw: "1e400"}, "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, jsonValue(tt.v))
		})
	}
}
