package probe

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/internal/fixture"
)

func benchConfig(b *testing.B, checks int) *Config {
	b.Helper()
	cfg := NewConfig()
	for _, c := range fixture.Checks(checks) {
		if err := cfg.AddCheck("critical", c); err != nil {
			b.Fatal(err)
		}
	}
	return cfg
}

// BenchmarkEvaluate is the cost of validating a document and deciding its
// checks, without the fetch: it must grow with the document, not with
// documents × checks.
func BenchmarkEvaluate(b *testing.B) {
	for _, doc := range []struct {
		name string
		body []byte
	}{
		{"health", []byte(fixture.Health)},
		{"1MB", fixture.Document(1 << 20)},
		{"10MB", fixture.Document(10 << 20)},
	} {
		for _, n := range []int{1, 100, 1000} {
			if doc.name == "health" && n > 1 {
				continue
			}
			b.Run(fmt.Sprintf("%s/%d-checks", doc.name, n), func(b *testing.B) {
				p, err := Compile(benchConfig(b, n))
				if err != nil {
					b.Fatal(err)
				}
				resp := &Response{Status: 200, Body: doc.body, Duration: time.Millisecond}
				b.SetBytes(int64(len(doc.body)))
				b.ReportAllocs()
				for b.Loop() {
					var perf perfSet
					if err := p.evaluate(context.Background(), &Report{Target: p.cfg.Target, Time: time.Now()}, resp, &perf); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkLoadConfig is the cost of reading and compiling the example
// checks file, done once per run.
func BenchmarkLoadConfig(b *testing.B) {
	path := filepath.Join("..", "checks.example.yaml")
	if _, err := os.Stat(path); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadConfig(path, func(string) string { return "" }); err != nil {
			b.Fatal(err)
		}
	}
}
