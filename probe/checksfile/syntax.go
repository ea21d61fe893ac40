package checksfile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// syntaxError is yaml.v3's parse error at the line where the file goes
// wrong. yaml.v3 names the line where the enclosing block began (often line
// 2) for a line indented off its block, and the line before for a tab in
// the indentation: the text is read again, line by line, for the line at
// fault; the message is yaml.v3's own, or says what the indentation should
// be.
func syntaxError(err error, data []byte) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr != nil {
		return errors.New(msg)
	}
	_, reason, _ := strings.Cut(msg, ": ")
	lines := strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n")
	if strings.Contains(reason, "tab character") || reason == "found character that cannot start any token" {
		for i := line - 1; i >= 0 && i < len(lines); i++ {
			if indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]; strings.Contains(indent, "\t") {
				return Errorf(i+1, "%s", reason)
			}
		}
	}
	if le, ok := indentation(reason, line, lines); ok {
		return le
	}
	return Errorf(line, "%s", reason)
}

// indentation finds the line where the file's indentation goes wrong, for
// the structural errors yaml.v3 reports at the line where the enclosing
// block began: a line indented deeper than the line before it, when that
// line opens no block, less deep than it to a level no enclosing block
// has, or to the level of a list's dashes without a dash. ok is false when
// reason is no such error, or no such line stands at or after the line
// yaml.v3 names (the parser read past anything before it, so a line found
// there is a misread of this simple reading, and the parser's message
// stands).
func indentation(reason string, parsedUpTo int, lines []string) (LineError, bool) {
	switch reason {
	case "did not find expected key", "did not find expected '-' indicator",
		"mapping values are not allowed in this context", "did not find expected <document start>":
	default:
		return LineError{}, false
	}
	st := indentReader{levels: []level{{}}, scalarIndent: -1}
	for i, text := range lines {
		if le, bad := st.line(i+1, text); bad {
			return le, i+1 >= parsedUpTo
		}
	}
	return LineError{}, false
}

// level is an open block: its indent, and whether it is a list's dashes
// (a line there must be an item) rather than a mapping's keys.
type level struct {
	indent int
	list   bool
}

// indentReader follows the block structure of a YAML file line by line,
// as far as indentation shows it.
type indentReader struct {
	levels       []level // the open blocks
	opens        bool    // the line before opens a block: deeper lines belong to it
	scalarIndent int     // inside a block scalar (| or >) of a key at this indent; -1 when not
	flow         int     // depth of [ and { still open
}

// line reads one line; bad is set, with the error, when its indentation
// fits no open block.
func (st *indentReader) line(n int, text string) (le LineError, bad bool) {
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	switch {
	case body == "" || body[0] == '#' || (st.scalarIndent >= 0 && indent > st.scalarIndent):
		return LineError{}, false
	case st.flow > 0:
		st.flow += flowDepth(body)
		return LineError{}, false
	}
	st.scalarIndent = -1
	item := strings.HasPrefix(body, "- ") || body == "-"
	if le, bad := st.place(n, indent, body, item); bad {
		return le, true
	}
	if item {
		// A sequence item's keys stand where its content starts.
		body = strings.TrimLeft(body[1:], " ")
		st.levels = append(st.levels, level{indent: len(text) - len(body)})
	}
	st.next(body, item)
	return LineError{}, false
}

// place finds the open block a line at indent belongs to, opening a new
// one when the line before opened it.
func (st *indentReader) place(n, indent int, body string, item bool) (LineError, bool) {
	top := st.levels[len(st.levels)-1].indent
	switch {
	case indent > top && st.opens:
		st.levels = append(st.levels, level{indent: indent, list: item})
		return LineError{}, false
	case indent > top && !strings.Contains(body, ": ") && !strings.HasSuffix(body, ":") && !item:
		return LineError{}, false // a plain scalar that goes on over lines
	case indent > top:
		return badIndent(n, indent, st.levels), true
	}
	open := st.levels
	for len(st.levels) > 1 && st.levels[len(st.levels)-1].indent > indent {
		st.levels = st.levels[:len(st.levels)-1]
	}
	at := st.levels[len(st.levels)-1]
	switch {
	case at.indent != indent:
		return badIndent(n, indent, open), true
	case at.list && !item:
		return notAnItem(n, indent, open), true
	}
	return LineError{}, false
}

// next notes whether the line just read (its body after any dash) opens a
// block, a block scalar or a flow collection.
func (st *indentReader) next(body string, item bool) {
	value := body
	if j := strings.Index(body, ": "); j >= 0 {
		value = strings.TrimSpace(body[j+2:])
	} else if strings.HasSuffix(body, ":") {
		value = ""
	}
	if k := strings.Index(" "+value, " #"); k >= 0 {
		value = strings.TrimSpace(value[:max(k-1, 0)])
	}
	anchorOnly := (strings.HasPrefix(value, "&") || strings.HasPrefix(value, "!")) && !strings.Contains(value, " ")
	st.opens = value == "" || anchorOnly || (item && value == body && !strings.Contains(body, ":"))
	st.flow = flowDepth(value)
	if strings.HasPrefix(value, "|") || strings.HasPrefix(value, ">") {
		st.scalarIndent, st.opens = st.levels[len(st.levels)-1].indent, false
	}
}

// flowDepth is how many [ and { s opens outside quotes, less those it
// closes.
func flowDepth(s string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		}
	}
	return max(depth, 0)
}

// badIndent says where the blocks around a line are indented.
func badIndent(line, indent int, levels []level) LineError {
	return LineError{line, fmt.Sprintf("indentation: %s here, where the blocks around it are indented %s", spaces(indent), indents(levels, true))}
}

// notAnItem is the error for a key at the indent of a list's dashes: it
// belongs to no item, and the list ends only at a lesser indent.
func notAnItem(line, indent int, levels []level) LineError {
	return LineError{line, fmt.Sprintf("indentation: %s here, where a list's items (\"- \") stand; a key goes where the blocks around it are indented, %s", spaces(indent), indents(levels, false))}
}

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return strconv.Itoa(n) + " spaces"
}

// indents lists the indents of the open blocks, of the lists too or not:
// "0, 2 or 4".
func indents(levels []level, lists bool) string {
	var want []string
	for _, l := range levels {
		if lists || !l.list {
			want = append(want, strconv.Itoa(l.indent))
		}
	}
	if n := len(want); n > 1 {
		return strings.Join(want[:n-1], ", ") + " or " + want[n-1]
	}
	return want[0]
}
