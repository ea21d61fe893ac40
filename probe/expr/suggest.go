package expr

import (
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// notFound is the error for a document path that is not there, with a hint
// when the path looks like a slip (see missingHint): subject is the path as
// the expression names it, prefix is "$." for a right-hand $.path, and
// arith tells that arithmetic may stand where the path does. It runs only
// for a missing path, so the happy path pays nothing.
func (env *Env) notFound(subject, path, prefix string, arith bool) *EvalError {
	return &EvalError{Kind: ErrMissing, Subject: subject, Detail: env.missingHint(path, prefix, arith)}
}

// missingHint is what a missing path was likely meant to be, or "": where
// arithmetic may stand, arithmetic written without its spaces (see
// spacedArith), first, since every piece of it is there as written
// (goroutines-1 is goroutines - 1, not a near miss of goroutines); a near
// miss of a path that exists (see nearPath); or jq's leading dot, which
// gjson paths do not have (.goroutines for goroutines), said rather than
// dropped, so that no path is silently read as another.
func (env *Env) missingHint(path, prefix string, arith bool) string {
	if arith {
		if spaced := env.spacedArith(path, prefix); spaced != "" {
			return "arithmetic needs spaces: " + spaced
		}
	}
	if near, ok := nearPath(env.Doc, path); ok {
		return "did you mean " + prefix + formatPath(near) + "?"
	}
	if rest, dot := strings.CutPrefix(path, "."); dot {
		near, ok := rest, env.lookup(rest).Exists()
		if !ok {
			near, ok = nearPath(env.Doc, rest)
		}
		if ok {
			return "did you mean " + prefix + formatPath(near) + "? paths have no leading dot"
		}
	}
	return ""
}

// maxArithCuts bounds the + - * / % that spacedArith cuts a path at: each
// way to cut is a lookup, and a path with that many is a key, not a sum.
const maxArithCuts = 8

// spacedArith reads a missing path as arithmetic written without spaces,
// which a path takes as part of its key (memory.alloc_mb/memory.sys_mb):
// when cutting it at some of its + - * / % gives pieces that are each a
// number or a plain path that exists, at least one a path, it returns them
// spaced ("memory.alloc_mb / memory.sys_mb"), else "". Longer pieces are
// tried first, so that a key with a - in it (cpu-usage/total) stays whole.
func (env *Env) spacedArith(path, prefix string) string {
	// bounds are the cuts with -1 before the path and its length after:
	// the pieces are path[bounds[i]+1 : bounds[j+1]] for i <= j.
	bounds := []int{-1}
	for i := 0; i < len(path); i++ {
		if strings.IndexByte("+-*/%", path[i]) >= 0 {
			bounds = append(bounds, i)
		}
	}
	last := len(bounds) - 1 // the number of cuts
	if last == 0 || last > maxArithCuts {
		return ""
	}
	bounds = append(bounds, len(path))
	// next[i] is j when the rest from piece i reads as the piece up to
	// bound j+1 and then the rest from piece j+1 (j = last: the end), or
	// -1 when it does not read so; withPath[i] tells that the reading
	// holds a path.
	next := make([]int, last+2)
	withPath := make([]bool, last+2)
	next[last+1] = last
	for i := last; i >= 0; i-- {
		next[i] = -1
		for j := last; j >= i; j-- {
			if next[j+1] < 0 {
				continue
			}
			if isPath, ok := env.arithPiece(path[bounds[i]+1 : bounds[j+1]]); ok {
				next[i], withPath[i] = j, isPath || withPath[j+1]
				break
			}
		}
	}
	if next[0] < 0 || !withPath[0] {
		return ""
	}
	var b strings.Builder
	for i := 0; ; i = next[i] + 1 {
		piece := path[bounds[i]+1 : bounds[next[i]+1]]
		if _, isNum := numberLiteral(piece); !isNum {
			piece = prefix + formatPath(strings.TrimPrefix(piece, "$."))
		}
		b.WriteString(piece)
		if next[i] == last {
			return b.String()
		}
		cut := bounds[next[i]+1]
		b.WriteString(" " + path[cut:cut+1] + " ")
	}
}

// arithPiece tells whether piece, a piece of a path cut at arithmetic
// operators, reads as a factor of arithmetic: a number, or a plain path
// (with or without $.) that exists.
func (env *Env) arithPiece(piece string) (isPath, ok bool) {
	if _, isNum := numberLiteral(piece); isNum {
		return false, true
	}
	p := strings.TrimPrefix(piece, "$.")
	if _, plain := plainPath(p); !plain {
		return false, false
	}
	return true, env.lookup(p).Exists()
}

// nearPath corrects a plain dotted path (keys and indexes, no gjson
// syntax) that the document lacks: walking down the document, a key that
// is missing at some level is replaced by the closest key of the object
// there (see closestKey). ok is true when something was corrected and the
// corrected path exists.
func nearPath(doc, path string) (near string, ok bool) {
	parts, plain := plainPath(path)
	if !plain || !isContainer(doc) {
		return "", false
	}
	cur := gjson.Parse(doc)
	changed := false
	for i, part := range parts {
		next := cur.Get(part)
		if !next.Exists() {
			if !cur.IsObject() {
				return "", false
			}
			key, found := closestKey(cur, part)
			if !found {
				return "", false
			}
			parts[i], next, changed = key, cur.Get(key), true
		}
		cur = next
	}
	near = strings.Join(parts, ".")
	return near, changed && gjson.Get(doc, near).Exists()
}

// closestKey returns the key of obj nearest to key by Damerau-Levenshtein
// distance (optimal string alignment, in characters): at most 1 edit, or
// 2 when key has 3 characters or more, and fewer edits than key has
// characters, so that a one-letter key is never "corrected" to another.
// Ties go to the first key in the document. Failing that, key may be the
// start of a key, as alloc of alloc_mb: of 3 characters or more, and of
// one key only, since a path cut short names no more than its start. Keys
// that a plain path cannot name (with dots, wildcards or other gjson
// syntax) are not offered.
func closestKey(obj gjson.Result, key string) (string, bool) {
	limit := suggestLimit(key)
	if limit < 1 {
		return "", false
	}
	best, bestDist := "", limit+1
	longer, longers := "", 0
	obj.ForEach(func(k, _ gjson.Result) bool {
		name := k.String()
		starts := strings.HasPrefix(name, key)
		if !starts && abs(len(name)-len(key)) > 2*utf8.UTFMax*limit || strings.Contains(name, ".") {
			return true
		}
		if _, ok := plainPath(name); !ok {
			return true
		}
		if starts && name != longer {
			longer, longers = name, longers+1
		}
		if d := editDistance(key, name, bestDist); d > 0 && d < bestDist {
			best, bestDist = name, d
		}
		return true
	})
	if best == "" && longers == 1 && utf8.RuneCountInString(key) >= minKeyStart {
		return longer, true
	}
	return best, best != ""
}

// minKeyStart is the fewest characters of a key's start that closestKey
// completes: alloc is taken for alloc_mb, al is not.
const minKeyStart = 3

// suggestLimit is how many edits a suggestion for word may be away: 1, or
// 2 when word has 3 characters or more, and fewer than word has characters.
func suggestLimit(word string) int {
	n := utf8.RuneCountInString(word)
	limit := 1
	if n >= 3 {
		limit = 2
	}
	return min(limit, n-1)
}

// Closest returns the candidate nearest to word within suggestLimit edits,
// the first of equally near ones, or "" when none is that near: the
// did-you-mean of misspelt keys, flags and paths.
func Closest(word string, candidates []string) string {
	best, bestDist := "", suggestLimit(word)+1
	if bestDist < 2 {
		return ""
	}
	for _, c := range candidates {
		if d := editDistance(word, c, bestDist); d > 0 && d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal string alignment distance between a and b,
// counted in characters: insertions, deletions, substitutions and swaps of
// two neighbours. Any distance of at least bound is returned as bound.
func editDistance(a, b string, bound int) int {
	ra, rb := []rune(a), []rune(b)
	if abs(len(ra)-len(rb)) >= bound {
		return bound
	}
	// Three rows of the dynamic programme: two back, one back, this one.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], bound)
}
