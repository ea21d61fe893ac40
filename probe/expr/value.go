package expr

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON types a Value can hold.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

// String returns the JSON type name: "null", "boolean", "number", "string",
// "array" or "object".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "value"
}

// Value is a value read from the document, a probe fact or a function result.
type Value struct {
	Kind Kind
	Num  float64 // Number
	Str  string  // String
	Bool bool    // Bool
	// Raw is the value's JSON text where it came from the document (for
	// numbers it keeps every digit); empty for computed values.
	Raw string
}

// String formats the value for people: numbers as the document wrote them
// (computed ones in plain decimal notation),
// strings quoted, arrays and objects as (abbreviated) JSON.
func (v Value) String() string {
	switch v.Kind {
	case Null:
		return "null"
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Number:
		if v.Raw != "" {
			return v.Raw
		}
		return FormatNumber(v.Num)
	case String:
		return strconv.Quote(abbreviate(v.Str, 60))
	}
	return abbreviate(v.Raw, 60)
}

// JSON returns the value as JSON text.
func (v Value) JSON() string {
	switch v.Kind {
	case Number:
		if math.IsInf(v.Num, 0) || math.IsNaN(v.Num) {
			return "null"
		}
		// gjson literals in a path (!000) are not always JSON numbers.
		if isJSONNumber(v.Raw) {
			return v.Raw
		}
		return FormatNumber(v.Num)
	case String:
		return marshalString(v.Str)
	case Array, Object:
		// gjson reads past the end of a malformed document; never hand
		// that on as JSON.
		if gjson.Valid(v.Raw) {
			return v.Raw
		}
		return "null"
	}
	return v.String()
}

// FormatNumber prints f in plain decimal notation, never scientific, with as
// many digits as needed to read back the same float64.
func FormatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func abbreviate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// marshalString writes s as a JSON string, without HTML escaping; invalid
// UTF-8 becomes U+FFFD.
func marshalString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// valueOf converts a gjson result that exists.
func valueOf(r gjson.Result) Value {
	switch r.Type {
	case gjson.False:
		return Value{Kind: Bool, Raw: r.Raw}
	case gjson.True:
		return Value{Kind: Bool, Bool: true, Raw: r.Raw}
	case gjson.Number:
		return Value{Kind: Number, Num: r.Num, Raw: r.Raw}
	case gjson.String:
		return Value{Kind: String, Str: r.Str, Raw: r.Raw}
	case gjson.JSON:
		if r.IsArray() {
			return Value{Kind: Array, Raw: r.Raw}
		}
		return Value{Kind: Object, Raw: r.Raw}
	}
	return Value{Kind: Null, Raw: r.Raw}
}

// number returns v as a number with its exact digits where known: numbers
// as they are, and strings that hold a JSON number ("1234") as that number.
func (v Value) number() (num float64, digits string, ok bool) {
	switch v.Kind {
	case Number:
		return v.Num, v.Raw, true
	case String:
		if !isJSONNumber(v.Str) {
			return 0, "", false
		}
		f, err := strconv.ParseFloat(v.Str, 64)
		if err != nil && !isRangeErr(err) {
			return 0, "", false
		}
		return f, v.Str, true
	}
	return 0, "", false
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// exactInt2p53 is 2^53: integers from here on are not all representable as
// float64, so they are compared by their digits.
const exactInt2p53 = 1 << 53

// compareNumbers returns -1, 0 or 1. Integers written out in full are
// compared exactly when either is beyond 2^53; everything else as float64.
func compareNumbers(a float64, ad string, b float64, bd string) int {
	if (math.Abs(a) >= exactInt2p53 || math.Abs(b) >= exactInt2p53) && isIntText(ad) && isIntText(bd) {
		return compareIntText(ad, bd)
	}
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isIntText(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compareIntText compares two integers given as decimal digits of any length.
func compareIntText(a, b string) int {
	an, a := intSign(a)
	bn, b := intSign(b)
	switch {
	case an && !bn:
		return -1
	case !an && bn:
		return 1
	}
	c := compareMagnitude(a, b)
	if an {
		return -c
	}
	return c
}

// intSign strips the sign and leading zeros; -0 counts as positive.
func intSign(s string) (neg bool, digits string) {
	neg = strings.HasPrefix(s, "-")
	s = strings.TrimLeft(strings.TrimLeft(s, "+-"), "0")
	return neg && s != "", s
}

func compareMagnitude(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

// Float returns v as a number for performance data: numbers and numeric
// strings as their value, booleans as 1 or 0. ok is false for anything else.
func (v Value) Float() (f float64, ok bool) {
	if v.Kind == Bool {
		if v.Bool {
			return 1, true
		}
		return 0, true
	}
	f, _, ok = v.number()
	return f, ok
}

// LookupNumber reads path from the document as a number for performance
// data (see Value.Float). A missing path or a value that is not a number is
// an *EvalError, as for an operand.
func (env *Env) LookupNumber(path string) (Value, float64, error) {
	// Not o.resolve: a metric's path is never arithmetic, so its hints
	// are those of a function's argument.
	subject := formatPath(path)
	r := env.lookup(path)
	if !r.Exists() {
		return Value{}, 0, env.notFound(subject, path, "", false)
	}
	v := valueOf(r)
	f, ok := v.Float()
	if !ok {
		return v, 0, typeError(subject, v, "number")
	}
	return v, f, nil
}
