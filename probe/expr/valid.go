package expr

import (
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of arrays and objects a document may
// have. No health document comes near, and the limit keeps a hostile body
// of millions of "[" from costing more than one pass over it.
const MaxDepth = 10000

// ErrTooDeep is the error of Validate for a document nested deeper than
// MaxDepth.
var ErrTooDeep = fmt.Errorf("nested deeper than %d levels", MaxDepth)

// errInvalid is the error of Validate for anything else that is not JSON.
var errInvalid = errors.New("not valid JSON")

// Validate reports whether doc is exactly one JSON value (RFC 8259),
// surrounded by nothing but white space. It is one iterative pass, with an
// explicit stack bounded by MaxDepth: a recursive validator (gjson's) would
// exhaust the goroutine stack on a hostile body, which Go cannot recover.
func Validate(doc []byte) error {
	var stack []byte // '{' or '[' per open container
	n := len(doc)
	i := skipSpace(doc, 0)
	if i == n {
		return errInvalid
	}
value:
	if i >= n {
		return errInvalid
	}
	switch c := doc[i]; {
	case c == '{' || c == '[':
		if len(stack) == MaxDepth {
			return ErrTooDeep
		}
		stack = append(stack, c)
		i = skipSpace(doc, i+1)
		if i < n && doc[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
			stack = stack[:len(stack)-1]
			i++
			goto after
		}
		if c == '{' {
			goto key
		}
		goto value
	case c == '"':
		var ok bool
		if i, ok = skipString(doc, i); !ok {
			return errInvalid
		}
	case c == 't':
		if !hasWord(doc, i, "true") {
			return errInvalid
		}
		i += 4
	case c == 'f':
		if !hasWord(doc, i, "false") {
			return errInvalid
		}
		i += 5
	case c == 'n':
		if !hasWord(doc, i, "null") {
			return errInvalid
		}
		i += 4
	default:
		var ok bool
		if i, ok = skipNumber(doc, i); !ok {
			return errInvalid
		}
	}
after:
	i = skipSpace(doc, i)
	if len(stack) == 0 {
		if i != n {
			return errInvalid
		}
		return nil
	}
	if i >= n {
		return errInvalid
	}
	switch top := stack[len(stack)-1]; doc[i] {
	case ',':
		i = skipSpace(doc, i+1)
		if top == '{' {
			goto key
		}
		goto value
	case top + 2:
		stack = stack[:len(stack)-1]
		i++
		goto after
	}
	return errInvalid
key:
	if i >= n || doc[i] != '"' {
		return errInvalid
	}
	var ok bool
	if i, ok = skipString(doc, i); !ok {
		return errInvalid
	}
	i = skipSpace(doc, i)
	if i >= n || doc[i] != ':' {
		return errInvalid
	}
	i = skipSpace(doc, i+1)
	goto value
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\n' || doc[i] == '\r' || doc[i] == '\t') {
		i++
	}
	return i
}

func hasWord(doc []byte, i int, w string) bool {
	return len(doc)-i >= len(w) && string(doc[i:i+len(w)]) == w
}

// plainStringByte marks the bytes that may stand in a string as they are:
// anything but the quote, the backslash and control characters.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipString returns the index after the string that starts at doc[i].
func skipString(doc []byte, i int) (int, bool) {
	i++
	for {
		for i < len(doc) && plainStringByte[doc[i]] {
			i++
		}
		if i >= len(doc) {
			return i, false
		}
		switch doc[i] {
		case '"':
			return i + 1, true
		case '\\':
			if i+1 >= len(doc) {
				return i, false
			}
			switch doc[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if len(doc)-i < 6 || !isHex(doc[i+2]) || !isHex(doc[i+3]) || !isHex(doc[i+4]) || !isHex(doc[i+5]) {
					return i, false
				}
				i += 6
			default:
				return i, false
			}
		default: // a control character
			return i, false
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber returns the index after the number that starts at doc[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func skipNumber(doc []byte, i int) (int, bool) {
	n := len(doc)
	if i < n && doc[i] == '-' {
		i++
	}
	switch {
	case i < n && doc[i] == '0':
		i++
	case i < n && doc[i] >= '1' && doc[i] <= '9':
		i = skipDigits(doc, i)
	default:
		return i, false
	}
	if i < n && doc[i] == '.' {
		j := skipDigits(doc, i+1)
		if j == i+1 {
			return i, false
		}
		i = j
	}
	if i < n && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < n && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		j := skipDigits(doc, i)
		if j == i {
			return i, false
		}
		i = j
	}
	return i, true
}

func skipDigits(doc []byte, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}
