package expr

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Paths returns the document paths the expression reads, in order, each
// once: operands, function arguments, the paths inside arithmetic on
// either side, and $.paths on the right.
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
		n.reads(func(o operand) {
			if o.kind != opdFact {
				add(o.path)
			}
		})
	})
	return paths
}

// Preload validates the document as Validate does and, in the same pass,
// reads every plain path of paths (those of Expr.Paths): keys and array
// indexes joined by dots, such as memory.alloc_mb or items.3.name. Evaluating
// many checks then costs one scan of the document instead of one per path.
// Paths with wildcards, queries, modifiers, pipes or escapes are left to
// gjson at evaluation time. The values are exactly those gjson.Get finds,
// the first of duplicate keys included.
func (env *Env) Preload(paths []string) error {
	env.cache = nil
	root := &pathNode{}
	for _, p := range paths {
		if parts, ok := plainPath(p); ok {
			root.insert(p, parts)
		}
	}
	if root.unset == 0 {
		return Validate(env.Doc)
	}
	out := make(map[string]gjson.Result, root.unset)
	if err := scan(env.Doc, root, out); err != nil {
		return err
	}
	// gjson reads into a top-level string or number in its own ways: only
	// objects and arrays are preloaded.
	if isContainer(env.Doc) {
		// A plain path that the scan did not reach is known to be missing.
		root.missing(out)
		env.cache = out
	}
	return nil
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
	i := skipSpace(doc, 0)
	return i < len(doc) && (doc[i] == '{' || doc[i] == '[')
}

// pathNode is a trie of the plain paths to preload.
type pathNode struct {
	children map[string]*pathNode // by object key
	elements map[int]*pathNode    // the children whose key is an array index
	parent   *pathNode
	full     string // the path that ends here, or ""
	unset    int    // paths at or below this node that have no value yet
}

func (n *pathNode) insert(path string, parts []string) {
	for _, part := range parts {
		if n.children == nil {
			n.children = map[string]*pathNode{}
		}
		c, ok := n.children[part]
		if !ok {
			c = &pathNode{parent: n}
			n.children[part] = c
			// An index beyond int selects no element: gjson's own parse
			// of such a part saturates, and no array is that long.
			if i, err := strconv.Atoi(part); err == nil && isIndex(part) {
				if n.elements == nil {
					n.elements = map[int]*pathNode{}
				}
				n.elements[i] = c
			}
		}
		n = c
	}
	if n.full != "" {
		return // the same path twice
	}
	n.full = path
	for p := n; p != nil; p = p.parent {
		p.unset++
	}
}

// missing records an empty result for each path the walk did not find.
func (n *pathNode) missing(out map[string]gjson.Result) {
	if n.full != "" {
		if _, ok := out[n.full]; !ok {
			out[n.full] = gjson.Result{}
		}
	}
	for _, c := range n.children {
		c.missing(out)
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

// Windows returns the window functions' paths and windows, in order,
// inside arithmetic too (growth(x, 1h) * 2 > 40).
func (e *Expr) Windows() []Window {
	var ws []Window
	e.comparisons(func(n *cmpNode) {
		n.reads(func(o operand) {
			if o.kind == opdFunc && o.window > 0 {
				d := time.Duration(math.Min(o.window*float64(time.Second), math.MaxInt64))
				ws = append(ws, Window{Path: o.path, Window: d})
			}
		})
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
