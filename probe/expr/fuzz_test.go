package expr

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

// fuzzSeedExprs seeds FuzzParse and FuzzEval: the documented examples and the
// corners of the grammar that the table tests pin.
var fuzzSeedExprs = []string{
	"goroutines > 5000",
	"goroutines >> 5000",
	"$.goroutines > 5000",
	`status != "ok"`,
	"status == ok",
	"memory.alloc_mb > $.memory.sys_mb",
	"memory.alloc_mb > 3072 && memory.alloc_mb <= 4096",
	"$time > 1s",
	"$cert_days < 14",
	"$status == 200 || $size > 1e6",
	`services.#(status!="up")#.name contains "db"`,
	`any(services.#.status) == "down"`,
	`all(services.#.status) == up`,
	"exists(p) && p > 5",
	"!exists(cache) || cache.hit_ratio >= 0.5",
	"len(items) > 10",
	"min(items) < -1.5 || max(items) > 1e3 || sum(items) == 0 || avg(items) != 2",
	"age(updated_at) > 5m",
	`version =~ '^1\.2'`,
	`name !~ "^test-"`,
	"!(a > 5) || (b && c)",
	"a || b && c",
	"(a || b) && c",
	"a && (b && c)",
	"`my key`.count > 1",
	"`a``b` == 1",
	`friends.#(last=="Murphy").first == Dale`,
	`items.#(name%"web*")#|# > 2`,
	"children|@reverse|0 == Jack",
	`fav\.movie == "Deer Hunter"`,
	"@this.status == ok",
	"big > 9007199254740993",
	"x == null",
	"x != true",
	"((((a))))",
	`s == "tab\there \u00e9"`,
	"x > 1d12h",
	"growth(goroutines, 1h) > 20",
	"delta(memory.alloc_mb,30m) > 100 || rate(memory.num_gc, 10m) > 1",
	"avg(p, 1d12h) > 5 && min(p, 90s) < 1 && max(p) > 2",
	"growth(p)",
	"len(p, 1h) > 1",
	"growth(p, -1h) > 1",
	"",
	"a =",
	"(a",
	"items.#(",
	`s == "unterminated`,
	// Arithmetic, "(" and the right side.
	"memory.alloc_mb / memory.sys_mb > 0.9",
	"(disk.total - disk.free) / disk.total * 100 > 90",
	"memory.alloc_mb > $.memory.sys_mb * 0.9",
	"$time * 1000 > 500",
	"$time*1000>$size/2",
	"len(items)*2 % 3 == 1",
	"a - (b - c) > 1 && (a - b) - c < 1",
	"((a - b)) / (c + d) >= -1e3",
	"(a > 5) && (b - 1) * 2 > 0",
	"!(a - b) > 5",
	"(a) + 1",
	"(a > 1) > 2",
	"a > (1 + $.b) * 2 - $time",
	"a > $.b -1",
	"a * -1 > 5 || a - -1 < 0",
	"$.0 + `1h` > 0 && 0 > 5",
	"1 + 2 > 2",
	"p / 0 > 1",
	"p / zero > 1 || huge * 10 > 1 || huge - huge > 0",
	"growth(p, 1h) * 2 > 40",
	"exists(a) + 1 > 2",
	"a + 1 contains x",
	"a > 2*3",
	// Sizes.
	"p < 3GiB && p > 1.5GB - 512MiB && p != 100kB + 10B",
	"x / 1TiB < 2TB",
	// version() and age() forms.
	`version(v) < "3.13"`,
	"version(v) >= v3.12.1 || version(v) == 3.13 || version(v) != $.w",
	`version(v) < "3..1"`,
	"version(v)",
	"age(ts) > 1d && age(date) < 10000d && age(http) > 0",
	// Missing paths near existing ones.
	"gorutines > 5 || memory.aloc_mb > 1 || p > $.memroy.sys_mb",
	// jq's and the shell's habits.
	".goroutines > 2000 || memory.alloc > 1 || $..memory.sys_mb < p",
	"memory.alloc_mb/memory.sys_mb > 0.9 || p > $.disk.total-disk.free*2",
	"goroutines",
	"goroutines -gt 5000",
	"(a - b -le 3) && $status -ne 200",
	"a > .b * 2",
}

// fuzzSeedDocs are documents of every shape for FuzzEval.
var fuzzSeedDocs = []string{
	`{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`,
	`{"p":7,"items":[1,2,"3"],"services":[{"name":"db","status":"down"}],"updated_at":"2026-11-28T21:00:00Z"}`,
	`{"big":9007199254740993,"x":null,"a":true,"b":false,"c":[],"my key":{"count":2}}`,
	`[1,2,3]`,
	`{"p":7,"zero":0,"huge":1e308,"v":"3.12.13","w":"v3.13.0-rc.1","ts":"2026-11-28 20:00:00+0000",` +
		`"date":"2020-01-01","http":"Sat, 28 Nov 2026 20:00:00 GMT","disk":{"total":100,"free":5},"0":"x"}`,
	`"just a string"`,
	`1e400`,
	`{`,
	``,
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeedExprs {
		f.Add(s)
	}
	for _, row := range arithCanonicalRows {
		f.Add(row.src)
	}
	for _, row := range arithParseErrorRows {
		f.Add(row.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", src, err)
			}
			return
		}
		canon := e.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if got := again.String(); got != canon {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", src, canon, got)
		}
		if !reflect.DeepEqual(e.root, again.root) {
			t.Fatalf("canonical form %q of %q parses to a different expression", canon, src)
		}
	})
}

func FuzzEval(f *testing.F) {
	for i, s := range fuzzSeedExprs {
		f.Add(s, fuzzSeedDocs[i%len(fuzzSeedDocs)])
	}
	now := time.Date(2026, 11, 28, 21, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src, doc string) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		env := &Env{Doc: doc, Status: Fact(200), Time: Fact(0.01), Size: Fact(float64(len(doc))), Now: now}
		got, err := e.Eval(env)
		tgot, obs, terr := e.Trace(env)
		if got != tgot || (err == nil) != (terr == nil) {
			t.Fatalf("Eval and Trace disagree on %q over %q: %v/%v vs %v/%v", src, doc, got, err, tgot, terr)
		}
		if err != nil {
			if got {
				t.Fatalf("%q returned true with error %v", src, err)
			}
			if _, ok := err.(*EvalError); !ok {
				t.Fatalf("%q returned %T, want *EvalError", src, err)
			}
		}
		valid := Validate(doc) == nil // the probe evaluates only valid documents
		for _, o := range obs {
			_ = o.Value.String()
			if j := o.Value.JSON(); valid && !json.Valid([]byte(j)) {
				t.Fatalf("%q over %q: Value.JSON() = %q is not JSON", src, doc, j)
			}
		}
		// The derived Nagios range alerts exactly when the comparison fires
		// (away from 2^53, where the comparison is exact and floats are not).
		if subject, r, ok := e.Range(); ok && err == nil && len(obs) == 1 && obs[0].Subject == subject {
			if f, isNum := obs[0].Value.Float(); isNum && obs[0].Value.Kind != Bool && math.Abs(f) < exactInt2p53 {
				if r.Alert(f) != got {
					t.Fatalf("%q over %q: range %s alerts %v for %v, expression gave %v", src, doc, r, r.Alert(f), f, got)
				}
			}
		}
	})
}
