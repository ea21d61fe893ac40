package expr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

func TestDidYouMean(t *testing.T) {
	health := evalHealthDoc(1234)
	rows := []struct {
		name string
		doc  string // the health document when empty
		src  string
		want string
	}{
		{name: "top-level key", src: "gorutines > 5000", want: "gorutines: not found (did you mean goroutines?)"},
		{name: "nested key, whole path", src: "memory.aloc_mb > 1", want: "memory.aloc_mb: not found (did you mean memory.alloc_mb?)"},
		{name: "parent key", src: "memroy.alloc_mb > 1", want: "memroy.alloc_mb: not found (did you mean memory.alloc_mb?)"},
		{name: "two levels", src: "memroy.aloc_mb > 1", want: "memroy.aloc_mb: not found (did you mean memory.alloc_mb?)"},
		{name: "dollar prefix", src: "$.gorutines > 1", want: "gorutines: not found (did you mean goroutines?)"},
		{name: "right-hand path", src: "memory.alloc_mb > $.memory.sys_nb", want: "$.memory.sys_nb: not found (did you mean $.memory.sys_mb?)"},
		{name: "function argument, transposed letters", src: "len(stauts) > 1", want: "stauts: not found (did you mean status?)"},
		{name: "arithmetic factor", src: "memory.alloc_mb / memory.sys_md > 0.5", want: "memory.sys_md: not found (did you mean memory.sys_mb?)"},
		{name: "right arithmetic factor", src: "memory.alloc_mb > $.memory.sysmb * 2", want: "$.memory.sysmb: not found (did you mean $.memory.sys_mb?)"},
		{name: "case", src: "Goroutines > 1", want: "Goroutines: not found (did you mean goroutines?)"},
		{name: "two edits on a long key", src: "goroutins_ > 1", want: "goroutins_: not found (did you mean goroutines?)"},
		{name: "through an array", doc: `{"items":[{"name":"a"}]}`, src: `items.0.nmae == a`, want: "items.0.nmae: not found (did you mean items.0.name?)"},
		{name: "ties go to the first key", doc: `{"cat":1,"bat":2}`, src: "hat > 0", want: "hat: not found (did you mean cat?)"},
		{name: "the closest wins", doc: `{"goroutine_x":1,"goroutines":2}`, src: "goroutine > 0", want: "goroutine: not found (did you mean goroutines?)"},
		{name: "three letters, two edits", doc: `{"axy":1}`, src: "abc > 0", want: "abc: not found (did you mean axy?)"},
		{name: "two letters, one edit", doc: `{"abc":1}`, src: "ab > 0", want: "ab: not found (did you mean abc?)"},
		{name: "start of a nested key", src: "memory.alloc > 1", want: "memory.alloc: not found (did you mean memory.alloc_mb?)"},
		{name: "start of a top-level key", src: "gorout > 1", want: "gorout: not found (did you mean goroutines?)"},
		{name: "start of a parent key", src: "mem.alloc_mb > 1", want: "mem.alloc_mb: not found (did you mean memory.alloc_mb?)"},
		{name: "start of a key, right-hand", src: "memory.alloc_mb > $.memory.sys", want: "$.memory.sys: not found (did you mean $.memory.sys_mb?)"},
		{name: "a near miss wins over a longer key", doc: `{"alloc_total":1,"allocs":2}`, src: "alloc > 0", want: "alloc: not found (did you mean allocs?)"},
		{name: "jq's leading dot", src: ".goroutines > 2000", want: ".goroutines: not found (did you mean goroutines? paths have no leading dot)"},
		{name: "jq's leading dot, nested", src: ".memory.alloc_mb > 1", want: ".memory.alloc_mb: not found (did you mean memory.alloc_mb? paths have no leading dot)"},
		{name: "jq's leading dot and a near miss", src: ".memroy.alloc_mb > 1", want: ".memroy.alloc_mb: not found (did you mean memory.alloc_mb? paths have no leading dot)"},
		{name: "jq's leading dot, right-hand", src: "memory.alloc_mb > $..memory.sys_mb", want: "$..memory.sys_mb: not found (did you mean $.memory.sys_mb? paths have no leading dot)"},
		{name: "jq's leading dot, function argument", src: "len(.status) > 1", want: ".status: not found (did you mean status? paths have no leading dot)"},
		{name: "arithmetic without spaces", src: "memory.alloc_mb/memory.sys_mb > 0.9", want: "memory.alloc_mb/memory.sys_mb: not found (arithmetic needs spaces: memory.alloc_mb / memory.sys_mb)"},
		{name: "arithmetic without spaces, a number", src: "memory.alloc_mb*100 > 50", want: "memory.alloc_mb*100: not found (arithmetic needs spaces: memory.alloc_mb * 100)"},
		{name: "arithmetic without spaces, three pieces", src: "memory.sys_mb-memory.alloc_mb%7 > 0", want: "memory.sys_mb-memory.alloc_mb%7: not found (arithmetic needs spaces: memory.sys_mb - memory.alloc_mb % 7)"},
		{name: "arithmetic without spaces, right-hand", src: "goroutines > $.memory.alloc_mb+memory.sys_mb", want: "$.memory.alloc_mb+memory.sys_mb: not found (arithmetic needs spaces: $.memory.alloc_mb + $.memory.sys_mb)"},
		{name: "arithmetic without spaces, a factor", src: "memory.alloc_mb/memory.sys_mb * 100 > 90", want: "memory.alloc_mb/memory.sys_mb: not found (arithmetic needs spaces: memory.alloc_mb / memory.sys_mb)"},
		{name: "arithmetic without spaces, a right factor", src: "goroutines > $.memory.alloc_mb/memory.sys_mb * 2", want: "$.memory.alloc_mb/memory.sys_mb: not found (arithmetic needs spaces: $.memory.alloc_mb / $.memory.sys_mb)"},
		{name: "arithmetic without spaces before a near miss", src: "goroutines-1 > 0", want: "goroutines-1: not found (arithmetic needs spaces: goroutines - 1)"},
		{name: "arithmetic without spaces keeps a key with a -", doc: `{"cpu-usage":5,"cpu":1,"usage":2,"total":9}`, src: "cpu-usage/total > 0", want: "cpu-usage/total: not found (arithmetic needs spaces: cpu-usage / total)"},

		{name: "far from every key", src: "threads > 100", want: "threads: not found"},
		{name: "two letters, two edits", doc: `{"abcd":1}`, src: "ab > 0", want: "ab: not found"},
		{name: "one letter", doc: `{"b":1}`, src: "a > 0", want: "a: not found"},
		{name: "three edits", src: "gortns > 1", want: "gortns: not found"},
		{name: "gjson query", doc: `{"items":[{"name":"a"}]}`, src: `items.#(name=="b").name == a`, want: `items.#(name=="b").name: not found`},
		{name: "wildcard", src: "memroy.* > 1", want: "memroy.*: not found"},
		{name: "index beyond the array", doc: `{"items":[1]}`, src: "items.3 > 0", want: "items.3: not found"},
		{name: "below a scalar", src: "status.code > 0", want: "status.code: not found"},
		{name: "key with a dot is not offered", doc: `{"memory.alloc_mb":1}`, src: "memory.alloc_mv > 0", want: "memory.alloc_mv: not found"},
		{name: "corrected path must exist", doc: `{"memory":{"sys_mb":1}}`, src: "memroy.aloc_mb > 0", want: "memroy.aloc_mb: not found"},
		{name: "top-level array", doc: `[1,2]`, src: "abc > 0", want: "abc: not found"},
		{name: "start of two keys", doc: `{"heap_alloc":1,"heap_sys":2}`, src: "heap > 0", want: "heap: not found"},
		{name: "two letters of a key", doc: `{"alloc_mb":1}`, src: "al > 0", want: "al: not found"},
		{name: "start of a key with a dot", doc: `{"alloc.mb":1}`, src: "alloc > 0", want: "alloc: not found"},
		{name: "leading dot, no such key", src: ".threads > 1", want: ".threads: not found"},
		{name: "arithmetic of numbers only", src: "1-2 > 0", want: "1-2: not found"},
		{name: "arithmetic with a missing piece", src: "memory.alloc_mb-nope > 1", want: "memory.alloc_mb-nope: not found"},
		{name: "no arithmetic in a function argument", src: "len(memory.alloc_mb/memory.sys_mb) > 1", want: "memory.alloc_mb/memory.sys_mb: not found"},
		{name: "a key, not a sum, past 8 operators", doc: `{"a":1}`, src: "a-a-a-a-a-a-a-a-a-a > 1", want: "a-a-a-a-a-a-a-a-a-a: not found"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			doc := row.doc
			if doc == "" {
				doc = health
			}
			e := expr.MustParse(row.src)
			_, err := e.Eval(&expr.Env{Doc: doc})
			var ee *expr.EvalError
			require.ErrorAs(t, err, &ee)
			assert.Equal(t, expr.ErrMissing, ee.Kind)
			assert.Equal(t, row.want, err.Error())
			// The same with the paths preloaded.
			loaded := &expr.Env{Doc: doc}
			require.NoError(t, loaded.Preload(e.Paths()))
			_, err = e.Eval(loaded)
			assert.EqualError(t, err, row.want)
		})
	}
	t.Run("metrics", func(t *testing.T) {
		_, _, err := (&expr.Env{Doc: health}).LookupNumber("memory.sys_nb")
		assert.EqualError(t, err, "memory.sys_nb: not found (did you mean memory.sys_mb?)")
		_, _, err = (&expr.Env{Doc: health}).LookupNumber(".memory.sys_mb")
		assert.EqualError(t, err, ".memory.sys_mb: not found (did you mean memory.sys_mb? paths have no leading dot)")
		// A metric's path is never arithmetic.
		_, _, err = (&expr.Env{Doc: health}).LookupNumber("memory.alloc_mb/memory.sys_mb")
		assert.EqualError(t, err, "memory.alloc_mb/memory.sys_mb: not found")
	})
	t.Run("exists is never an error", func(t *testing.T) {
		fired, err := expr.MustParse("exists(gorutines)").Eval(&expr.Env{Doc: health})
		require.NoError(t, err)
		assert.False(t, fired)
	})
}
