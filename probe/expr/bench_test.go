package expr_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

const sampleHealth = `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`

// bigDocument returns a JSON document of about size bytes: an array of
// service records followed by the health fields, so paths at the end make
// gjson scan the whole document.
func bigDocument(size int) string {
	var b strings.Builder
	b.WriteString(`{"services":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"svc-%d","status":"up","latency_ms":%d.5,"tags":["a","b"]}`, i, i%100)
	}
	b.WriteString(`],"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"sys_mb":512}}`)
	return b.String()
}

func benchEval(b *testing.B, doc, src string) {
	e := expr.MustParse(src)
	env := &expr.Env{Doc: doc, Time: expr.Fact(0.01)}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	big := bigDocument(10 << 20)
	for _, bc := range []struct{ name, doc, expr string }{
		{"health/comparison", sampleHealth, "goroutines > 5000"},
		{"health/nested", sampleHealth, "memory.alloc_mb > 4096"},
		{"health/string", sampleHealth, `status != "ok"`},
		{"health/and", sampleHealth, `status != "ok" || goroutines > 5000 && memory.alloc_mb > $.memory.sys_mb`},
		{"10MB/last-field", big, "goroutines > 5000"},
		{"10MB/query", big, `services.#(status!="up")#.name contains "x"`},
		{"10MB/any", big, `any(services.#.status) == down`},
	} {
		b.Run(bc.name, func(b *testing.B) { benchEval(b, bc.doc, bc.expr) })
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := expr.Parse(`status != "ok" || goroutines > 5000 && memory.alloc_mb > $.memory.sys_mb`); err != nil {
			b.Fatal(err)
		}
	}
}
