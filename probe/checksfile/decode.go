package checksfile

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// Scalar is a single value with the line it stands on, for messages.
type Scalar struct {
	Value string
	Line  int
}

// UnmarshalYAML takes a scalar only.
func (s *Scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return Errorf(n.Line, "want a single value, got a %s", Kind(n))
	}
	s.Value, s.Line = n.Value, n.Line
	return nil
}

// Decode decodes n into dst, a pointer to a struct whose fields have yaml
// tags, strictly: every key of every mapping must be a field of what it is
// decoded into, a key is given once, and a value has the kind its field
// wants. Each error is at the line of the key or value at fault. Types that
// decode themselves (yaml.Unmarshaler) check their own nodes.
func Decode(n *yaml.Node, dst any) error {
	if err := check(n, reflect.TypeOf(dst).Elem()); err != nil {
		return err
	}
	return n.Decode(dst)
}

// Keys are the keys of a struct type decoded by Decode, from its yaml
// tags, in field order.
func Keys(t reflect.Type) []string { return fieldsOf(t).keys }

// fields are a struct type's keys and the type each decodes into.
type fields struct {
	keys  []string
	types map[string]reflect.Type
}

// fieldCache holds each struct type's fields, read from its tags once.
var fieldCache sync.Map // reflect.Type → fields

func fieldsOf(t reflect.Type) fields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(fields)
	}
	f := fields{types: map[string]reflect.Type{}}
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			f.keys = append(f.keys, name)
			f.types[name] = t.Field(i).Type
		}
	}
	fieldCache.Store(t, f)
	return f
}

var unmarshaler = reflect.TypeFor[yaml.Unmarshaler]()

// check walks n against the type t it is decoded into.
func check(n *yaml.Node, t reflect.Type) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshaler) {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // no value: the zero value, as yaml.v3 decodes it
	}
	if err := checkKind(n, t); err != nil {
		return err
	}
	switch t.Kind() {
	case reflect.Struct:
		return checkStruct(n, t)
	case reflect.Slice:
		for _, c := range n.Content {
			if err := check(c, t.Elem()); err != nil {
				return err
			}
		}
	case reflect.Map:
		return Pairs(n, func(_, v *yaml.Node) error { return check(v, t.Elem()) })
	}
	return nil
}

// checkKind makes sure a node is of the kind its type wants: a mapping for
// a struct or a map, a list for a slice, a value otherwise, and for a
// boolean, true or false.
func checkKind(n *yaml.Node, t reflect.Type) error {
	want := "value"
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		want = "mapping"
	case reflect.Slice:
		want = "list"
	}
	if Kind(n) != want {
		return Errorf(n.Line, "got a %s, want a %s", Kind(n), want)
	}
	if t.Kind() == reflect.Bool && n.ShortTag() != "!!bool" {
		return Errorf(n.Line, "%s %q is not a boolean (true or false)", tagName(n.ShortTag()), n.Value)
	}
	return nil
}

// checkStruct checks the keys of the mapping n against the struct t.
func checkStruct(n *yaml.Node, t reflect.Type) error {
	f := fieldsOf(t)
	return Pairs(n, func(k, v *yaml.Node) error {
		if ft, ok := f.types[k.Value]; ok {
			return check(v, ft)
		}
		return UnknownKey(k, f.keys)
	})
}

// UnknownKey is the error for the key k where one of keys was expected,
// naming the closest one.
func UnknownKey(k *yaml.Node, keys []string) error {
	msg := fmt.Sprintf("unknown key %q", k.Value)
	if s := expr.Closest(k.Value, keys); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return LineError{k.Line, msg}
}

// tagName names a YAML type for a message.
func tagName(tag string) string {
	switch tag {
	case "!!str":
		return "string"
	case "!!seq":
		return "list"
	case "!!map":
		return "mapping"
	}
	return strings.TrimPrefix(tag, "!!")
}
