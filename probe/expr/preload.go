package expr

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Paths returns the document paths the expression reads, in order, each
// once: operands, function arguments and $.paths on the right.
func (e *Expr) Paths() []string {
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	e.comparisons(func(n *cmpNode) {
		if n.lhs.kind != opdFact {
			add(n.lhs.path)
		}
		if n.rhs.kind == litPath {
			add(n.rhs.path)
		}
	})
	return paths
}

// Preload reads, in one pass over the document, every plain path of paths
// (those of Expr.Paths) (keys and array indexes joined by dots, such as
// memory.alloc_mb or items.3.name), so that evaluating many checks costs one
// scan of the document instead of one per path. Paths with wildcards,
// queries, modifiers, pipes or escapes are left to gjson at evaluation time.
// The values are exactly those gjson.Get finds, the first of duplicate keys
// included.
func (env *Env) Preload(paths []string) {
	root := &pathNode{}
	any := false
	for _, p := range paths {
		if parts, ok := plainPath(p); ok {
			root.insert(p, parts)
			any = true
		}
	}
	doc := gjson.Parse(env.Doc)
	// gjson reads into a top-level string or number in its own ways: only
	// objects and arrays are walked.
	if !any || !doc.IsObject() && !doc.IsArray() {
		return
	}
	env.cache = map[string]gjson.Result{}
	root.collect(doc, env.cache)
	// A plain path that the walk did not reach is known to be missing.
	root.missing(env.cache)
}

// lookup is gjson.Get through the preloaded values. A document that is a
// single string, number or literal has no members: gjson would search a
// string for brackets, so only modifiers (@this) reach it.
func (env *Env) lookup(path string) gjson.Result {
	if r, ok := env.cache[path]; ok {
		return r
	}
	if !isContainer(env.Doc) && !strings.HasPrefix(path, "@") {
		return gjson.Result{}
	}
	return gjson.Get(env.Doc, path)
}

// isContainer reports whether doc is an object or an array.
func isContainer(doc string) bool {
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// pathNode is a trie of the plain paths to preload.
type pathNode struct {
	children map[string]*pathNode
	order    []string // child keys in insertion order, for a stable walk
	full     string   // the path that ends here, or ""
}

func (n *pathNode) insert(path string, parts []string) {
	for _, part := range parts {
		if n.children == nil {
			n.children = map[string]*pathNode{}
		}
		c, ok := n.children[part]
		if !ok {
			c = &pathNode{}
			n.children[part] = c
			n.order = append(n.order, part)
		}
		n = c
	}
	n.full = path
}

// collect walks value once, recording the result of every path in the trie
// below n, and reports whether all of them are found. Like gjson, the first
// of duplicate keys wins, yet a path that the first does not hold is looked
// for in the later ones; a number selects an array element.
func (n *pathNode) collect(value gjson.Result, out map[string]gjson.Result) (complete bool) {
	if len(n.children) == 0 {
		return true
	}
	if !value.IsObject() && !value.IsArray() {
		return false
	}
	done := map[string]bool{}
	isArray := value.IsArray()
	i := 0
	value.ForEach(func(key, v gjson.Result) bool {
		name := key.Str
		if isArray {
			name = strconv.Itoa(i)
			i++
		}
		c, ok := n.children[name]
		if !ok || done[name] {
			return true
		}
		if _, found := out[c.full]; c.full != "" && !found {
			out[c.full] = v
		}
		if c.collect(v, out) {
			done[name] = true
		}
		return len(done) < len(n.children)
	})
	return len(done) == len(n.children)
}

// missing records an empty result for each path the walk did not find.
func (n *pathNode) missing(out map[string]gjson.Result) {
	if n.full != "" {
		if _, ok := out[n.full]; !ok {
			out[n.full] = gjson.Result{}
		}
	}
	for _, k := range n.order {
		n.children[k].missing(out)
	}
}

// plainPath splits a path of plain keys and indexes; ok is false for
// anything with gjson syntax beyond the dot.
func plainPath(p string) (parts []string, ok bool) {
	if p == "" || strings.ContainsAny(p, "*?#@|\\!{}[]()\"'=<>%~,:") {
		return nil, false
	}
	parts = strings.Split(p, ".")
	for _, part := range parts {
		if part == "" {
			return nil, false
		}
		if isIndex(part) && part != "0" && part[0] == '0' {
			return nil, false
		}
	}
	return parts, true
}

func isIndex(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Window is a path read by a window function, with the function's window.
type Window struct {
	Path   string
	Window time.Duration
}

// Windows returns the window functions' paths and windows, in order.
func (e *Expr) Windows() []Window {
	var ws []Window
	e.comparisons(func(n *cmpNode) {
		if n.lhs.kind == opdFunc && n.lhs.window > 0 {
			d := time.Duration(math.Min(n.lhs.window*float64(time.Second), math.MaxInt64))
			ws = append(ws, Window{Path: n.lhs.path, Window: d})
		}
	})
	return ws
}

// comparisons calls fn for every comparison of the expression, left to right.
func (e *Expr) comparisons(fn func(*cmpNode)) {
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *orNode:
			walk(n.l)
			walk(n.r)
		case *andNode:
			walk(n.l)
			walk(n.r)
		case *notNode:
			walk(n.x)
		case *cmpNode:
			fn(n)
		}
	}
	walk(e.root)
}
