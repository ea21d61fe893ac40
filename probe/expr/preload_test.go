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
	` { "a" : [ 1 , { "b" : 2 } ] , "c" : { "d" : "e" } } `,
	`{"p":{"a":{"c":1}},"p":{"a":{"b":2,"c":3}},"p":{"a":{"b":4}}}`,
	`{"a":1,"a":{"b":2},"b":[[10,11],[20,{"c":21}]],"k\"q":5,"k\\":6}`,
	`{"memory":{"alloc_mb":256,"alloc_mb":1},"memory":{"sys_mb":7}}`,
	`[[1,2],[3,[4,5]],{"0":"zero-key"}]`,
}

var preloadExprs = []string{
	"a == 1", "a == 2", "b.c > 1", "b.c.d == 4", "a.x == 1", "a.y == 2",
	"items.0.name == x", "items.1.v > 1", "items.2.v > 1", "0 == zero", "1.2 == one-two",
	"0.a == 1", "1.1 == 3", "2 == s", "key == escaped", "key2 == plain", "`my key`.count > 2",
	"memory.alloc_mb > 100", "exists(a) && exists(b.c) && !exists(z.y)", "len(b) == 0",
	"any(items.#.v) > 1", "a == $.b.c", "items.01.v == 2",
	"a.1.b == 2", "c.d == e", "p.a.b == 2", "p.a.c == 1", "a.b > 1", "b.1.1.c > 20",
	"b.0.1 == 11", "b.2.0 == 1", "memory.alloc_mb > 100 && memory.sys_mb > 5", "1.1.0 > 3",
	"2.0 == zero-key", "0.9 == 1", "a.99999999999999999999 > 0", "b.18446744073709551616 > 0", "b.9223372036854775807 > 0", "len(b.1) == 2", "exists(p.a)",
	"a == 1 && a.b == 2", "len(a) == 1 && a.y == 2", "len(memory) == 2 && memory.sys_mb == 7",
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
	// Preload validates as it reads: a document that is not JSON is not
	// evaluated, and Preload says why as Validate does.
	if err, want := loaded.Preload(e.Paths()), Validate(doc); err != want {
		t.Fatalf("Preload over %q: %v, Validate: %v", doc, err, want)
	} else if err != nil {
		return
	}
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
		if err != nil {
			return
		}
		assertPreloadSame(t, e, doc)
	})
}
