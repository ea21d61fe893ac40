package expr

import (
	"reflect"
	"testing"
	"time"
)

// preloadDocs add, to the fuzz seeds, documents that stress the one-pass
// walk: duplicate keys, arrays of objects, numeric keys, escaped keys.
var preloadDocs = []string{
	`{"a":1,"a":2,"b":{"c":3,"c":{"d":4}}}`,
	`{"a":{"x":1},"a":{"y":2}}`,
	`{"items":[{"name":"x","v":1},{"name":"y","v":2}],"0":"zero","1":{"2":"one-two"}}`,
	`[{"a":1},[2,3],"s"]`,
	`{"k\u0065y":"escaped","key2":"plain","my key":{"count":3}}`,
	`{"memory":{"alloc_mb":256},"memory.alloc_mb":"literal key"}`,
	`{"a":null,"b":[],"c":{}}`,
}

var preloadExprs = []string{
	"a == 1", "a == 2", "b.c > 1", "b.c.d == 4", "a.x == 1", "a.y == 2",
	"items.0.name == x", "items.1.v > 1", "items.2.v > 1", "0 == zero", "1.2 == one-two",
	"0.a == 1", "1.1 == 3", "2 == s", "key == escaped", "key2 == plain", "`my key`.count > 2",
	"memory.alloc_mb > 100", "exists(a) && exists(b.c) && !exists(z.y)", "len(b) == 0",
	"any(items.#.v) > 1", "a == $.b.c", "items.01.v == 2",
}

// TestPreloadSameAsGjson evaluates every seed expression over every seed
// document with and without Preload: the results, errors and observations
// must be the same.
func TestPreloadSameAsGjson(t *testing.T) {
	exprs := append(append([]string{}, fuzzSeedExprs...), preloadExprs...)
	docs := append(append([]string{}, fuzzSeedDocs...), preloadDocs...)
	for _, src := range exprs {
		e, err := Parse(src)
		if err != nil {
			continue
		}
		for _, doc := range docs {
			assertPreloadSame(t, e, doc)
		}
	}
}

func assertPreloadSame(t *testing.T, e *Expr, doc string) {
	t.Helper()
	now := time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)
	plain := &Env{Doc: doc, Time: Fact(0.5), Now: now}
	loaded := &Env{Doc: doc, Time: Fact(0.5), Now: now}
	loaded.Preload(e.Paths())
	got1, obs1, err1 := e.Trace(plain)
	got2, obs2, err2 := e.Trace(loaded)
	if got1 != got2 || !reflect.DeepEqual(err1, err2) || !sameObservations(obs1, obs2) {
		t.Errorf("%q over %s:\nwithout Preload: %v %v %v\nwith Preload:    %v %v %v", e.Source(), doc, got1, obs1, err1, got2, obs2, err2)
	}
}

// sameObservations compares what was read, ignoring gjson's positions.
func sameObservations(a, b []Observation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzPreload(f *testing.F) {
	for i, s := range append(append([]string{}, fuzzSeedExprs...), preloadExprs...) {
		docs := append(append([]string{}, fuzzSeedDocs...), preloadDocs...)
		f.Add(s, docs[i%len(docs)])
	}
	f.Fuzz(func(t *testing.T, src, doc string) {
		e, err := Parse(src)
		if err != nil || Validate([]byte(doc)) != nil {
			return
		}
		assertPreloadSame(t, e, doc)
	})
}
