package expr

import (
	"errors"
	"fmt"

	"github.com/tidwall/gjson"
)

// MaxDepth is the deepest nesting of arrays and objects a document may
// have. gjson's validator recurses once per level, so a hostile body of
// millions of "[" would exhaust the stack; no health document comes near.
const MaxDepth = 10000

// ErrTooDeep is the error of Validate for a document nested deeper than
// MaxDepth.
var ErrTooDeep = fmt.Errorf("nested deeper than %d levels", MaxDepth)

// Validate reports whether doc is one JSON value, checking its nesting depth
// first without recursion. The error says what is wrong in a few words.
func Validate(doc []byte) error {
	depth, inString := 0, false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
			if depth > MaxDepth {
				return ErrTooDeep
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	if !gjson.ValidBytes(doc) {
		return errors.New("not valid JSON")
	}
	return nil
}
