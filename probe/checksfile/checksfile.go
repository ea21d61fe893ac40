// Package checksfile reads the YAML of a checks file: one document, parsed
// once into nodes, decoded strictly (an unknown key, a key given twice or a
// value of the wrong kind is an error at its own line), and split into the
// engine's keys and the sections the front-ends own, each decoded by the
// package that uses it.
//
//	root, err := checksfile.Parse(data)
//	err = checksfile.Decode(value, &dst) // dst: a struct with yaml tags
package checksfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Section is a part of the checks file that a front-end owns: top-level
// keys the engine leaves to it, decoded and validated by its own package.
type Section interface {
	// Keys are the section's top-level keys.
	Keys() []string
	// Decode reads the value of one of its keys, in file order.
	Decode(key, value *yaml.Node, f File) error
}

// A CheckSection is a front-end's part of each check entry: keys beside
// name, warning and critical that the engine leaves to it, decoded and
// validated by its own package, with the check's name.
type CheckSection interface {
	// CheckKeys are the section's keys in a check entry.
	CheckKeys() []string
	// DecodeCheck reads the value of one of its keys of the check named
	// check, in file order.
	DecodeCheck(check string, key, value *yaml.Node, f File) error
}

// File is what a checks file's values are read against: its folder, for
// the paths in it, and the environment, for its *_env keys.
type File struct {
	Dir    string
	Getenv func(string) string
}

// Path is p read relative to the checks file's folder ("" stays "").
func (f File) Path(p string) string {
	if p == "" || filepath.IsAbs(p) || f.Dir == "" {
		return p
	}
	return filepath.Join(f.Dir, p)
}

// LineError is a problem at a line of the checks file.
type LineError struct {
	Line int
	Msg  string
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Errorf is a LineError at line.
func Errorf(line int, format string, args ...any) error {
	return LineError{line, fmt.Sprintf(format, args...)}
}

// Parse reads data as one YAML document and returns its top-level mapping.
// A syntax error names the line where the file goes wrong, which may be a
// later line than the one yaml.v3 names: it reports where the enclosing
// block began.
func Parse(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, syntaxError(err, data)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, Errorf(more.Line, "a second YAML document; a checks file holds one")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, Errorf(root.Line, "got a %s, want a mapping", Kind(root))
	}
	if err := tags(nil, root, strings.Split(string(data), "\n")); err != nil {
		return nil, err
	}
	return root, nil
}

// Pairs calls fn for each key and value of the mapping n, in file order,
// and fails at the first key given twice.
func Pairs(n *yaml.Node, fn func(key, value *yaml.Node) error) error {
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, dup := seen[k.Value]; dup {
			return Errorf(k.Line, "key %q is already given at line %d", k.Value, line)
		}
		seen[k.Value] = k.Line
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Kind names a node's kind for a message.
func Kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// tags finds a value YAML read as a tag, which no key of a checks file
// takes: `critical: !exists(x)` is the tag !exists(x) on an empty value,
// and `critical: ! x > 1` the tag ! on "x > 1", which would silently drop
// the negation. yaml.v3 keeps no trace of the second in its nodes, so the
// text at the node is read.
func tags(key, n *yaml.Node, lines []string) error {
	if n.Line > 0 && n.Line <= len(lines) && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 && strings.IndexByte(lines[n.Line-1], '!') >= 0 {
		text := []rune(lines[n.Line-1])
		if c := n.Column - 1; c >= 0 && c < len(text) && text[c] == '!' && (c+1 >= len(text) || text[c+1] != '!') {
			written := strings.TrimSpace(string(text[c:]))
			name := "the value"
			if key != nil {
				name = key.Value
			}
			return Errorf(n.Line, "%s: YAML read %q as a tag; quote a value that starts with !: %s: '%s'", name, strings.Fields(written)[0], name, written)
		}
	}
	for i, c := range n.Content {
		var k *yaml.Node
		if n.Kind == yaml.MappingNode {
			if i%2 == 0 {
				continue // a key
			}
			k = n.Content[i-1]
		}
		if err := tags(k, c, lines); err != nil {
			return err
		}
	}
	return nil
}
