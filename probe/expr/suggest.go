package expr

import (
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// notFound is the error for a document path that is not there, with a
// suggestion when the path looks like a typo of one that is: subject is
// the path as the expression names it, prefix is "$." for a right-hand
// $.path. It runs only for a missing path, so the happy path pays nothing.
func (env *Env) notFound(subject, path, prefix string) *EvalError {
	e := &EvalError{Kind: ErrMissing, Subject: subject}
	if near, ok := nearPath(env.Doc, path); ok {
		e.Detail = "did you mean " + prefix + formatPath(near) + "?"
	}
	return e
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
