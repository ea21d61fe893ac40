package expr

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"

	"github.com/tidwall/gjson"
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
func Validate(doc string) error {
	return scan(doc, nil, nil)
}

// frame is an open object or array during scan whose members may lead to a
// wanted path.
type frame struct {
	node  *pathNode // the trie node whose children the members may be
	index int       // the next element's index, in an array
	want  *pathNode // the trie child the member being read matches, or nil
	start int       // where that member's value starts
}

// hasFrame marks, in scan's stack of open brackets, a container that has a
// frame: '{' and '[' are below 0x80.
const hasFrame = 0x80

// scan validates doc as Validate does and, in the same pass, records in out
// the value of every path of the trie below root, as gjson.Get finds it: the
// first of duplicate keys wins, yet a path that the first does not hold is
// looked for in the later ones, and a number selects an array element. A
// nil root only validates. Containers that hold no wanted path cost no more
// than validating them: one byte on the stack, no frame.
func scan(doc string, root *pathNode, out map[string]gjson.Result) error {
	var (
		opens  []byte  // '{' or '[' per open container, | hasFrame if it has one
		frames []frame // the frames of the open containers that have one
		top    *frame  // the innermost container's frame, or nil
	)
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
		if len(opens) == MaxDepth {
			return ErrTooDeep
		}
		var node *pathNode
		switch {
		case len(opens) == 0:
			node = root
		case top != nil && top.want != nil && len(top.want.children) > 0:
			node = top.want
		}
		if node != nil && node.unset > 0 {
			frames = append(frames, frame{node: node})
			top = &frames[len(frames)-1]
			opens = append(opens, c|hasFrame)
		} else {
			top = nil
			opens = append(opens, c)
		}
		i = skipSpace(doc, i+1)
		if i < n && doc[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
			goto closed
		}
		if c == '{' {
			goto key
		}
		top.element(i)
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
after: // a value ends at i
	if len(opens) == 0 {
		if skipSpace(doc, i) != n {
			return errInvalid
		}
		return nil
	}
	if top != nil && top.want != nil {
		found(top.want, doc, top.start, i, out)
		top.want = nil
	}
	i = skipSpace(doc, i)
	if i >= n {
		return errInvalid
	}
	switch open := opens[len(opens)-1] &^ hasFrame; doc[i] {
	case ',':
		i = skipSpace(doc, i+1)
		if open == '{' {
			goto key
		}
		top.element(i)
		goto value
	case open + 2:
		goto closed
	}
	return errInvalid
closed: // doc[i] closes the innermost container
	i++
	if opens[len(opens)-1]&hasFrame != 0 {
		frames = frames[:len(frames)-1]
	}
	opens = opens[:len(opens)-1]
	top = nil
	if len(opens) > 0 && opens[len(opens)-1]&hasFrame != 0 {
		top = &frames[len(frames)-1]
	}
	goto after
key:
	if i >= n || doc[i] != '"' {
		return errInvalid
	}
	{
		start := i
		var ok bool
		if i, ok = skipString(doc, i); !ok {
			return errInvalid
		}
		if top != nil {
			top.member(doc[start:i])
		}
	}
	i = skipSpace(doc, i)
	if i >= n || doc[i] != ':' {
		return errInvalid
	}
	i = skipSpace(doc, i+1)
	if top != nil {
		top.start = i
	}
	goto value
}

// member notes the trie child that an object member's quoted key names, if
// one of its paths is still unset.
func (f *frame) member(quoted string) {
	if f.node.unset == 0 {
		return
	}
	name := quoted[1 : len(quoted)-1]
	if strings.IndexByte(name, '\\') >= 0 {
		name = gjson.Parse(quoted).Str // as gjson compares keys: unescaped
	}
	if c := f.node.children[name]; c != nil && c.unset > 0 {
		f.want = c
	}
}

// element notes the trie child that the array element starting at i
// selects, if one of its paths is still unset. A nil f (an array without a
// frame) wants nothing.
func (f *frame) element(i int) {
	if f == nil {
		return
	}
	if c := f.node.elements[f.index]; c != nil && c.unset > 0 {
		f.want = c
		f.start = i
	}
	f.index++
}

// found records the value doc[start:end] for the path that ends at node c,
// unless an earlier value holds it.
func found(c *pathNode, doc string, start, end int, out map[string]gjson.Result) {
	if c.full == "" {
		return
	}
	if _, ok := out[c.full]; ok {
		return
	}
	r := gjson.Parse(doc[start:end])
	r.Index = start // where gjson.Get reports it
	out[c.full] = r
	for p := c; p != nil; p = p.parent {
		p.unset--
	}
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space. Most documents have none between tokens: one
// comparison decides that.
func skipSpace(doc string, i int) int {
	for i < len(doc) && doc[i] <= ' ' && (doc[i] == ' ' || doc[i] == '\n' || doc[i] == '\r' || doc[i] == '\t') {
		i++
	}
	return i
}

func hasWord(doc string, i int, w string) bool {
	return len(doc)-i >= len(w) && doc[i:i+len(w)] == w
}

// plainStringByte marks the bytes that may stand in a string as they are:
// anything but the quote, the backslash and control characters.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// SWAR ("SIMD within a register") constants: a byte repeated eight times.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// specialBytes has the high bit set in the byte of w (little-endian) that
// is the first quote, backslash or control character, and maybe in later
// bytes; zero if none of the eight bytes is one.
func specialBytes(w uint64) uint64 {
	quote := w ^ ('"' * ones)
	backslash := w ^ ('\\' * ones)
	zero := func(x uint64) uint64 { return (x - ones) &^ x & highs }
	control := (w - 0x20*ones) &^ w & highs // bytes below 0x20
	return zero(quote) | zero(backslash) | control
}

// skipString returns the index after the string that starts at doc[i].
// Plain bytes are skipped eight at a time.
func skipString(doc string, i int) (int, bool) {
	i++
	for {
		for i+8 <= len(doc) {
			s := doc[i : i+8]
			w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
				uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
			if m := specialBytes(w); m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
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
func skipNumber(doc string, i int) (int, bool) {
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

func skipDigits(doc string, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}
