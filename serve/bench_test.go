package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkProbe is one /probe scrape through the handler, target on
// loopback: plain checks, and a module with a window function (its
// samples in the module's MemoryStore).
func BenchmarkProbe(b *testing.B) {
	tg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256}}`))
	}))
	defer tg.Close()
	for _, bc := range []struct{ name, checks string }{
		{"plain", "url: " + tg.URL + "\nchecks:\n  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }\n  - { name: memory, warning: memory.alloc_mb > 3072 }\n"},
		{"window", "url: " + tg.URL + "\nchecks:\n  - { name: goroutines, warning: goroutines > 2000 }\n  - name: growth\n    warning: growth(goroutines, 1h) > 20\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			s, err := New(Options{Files: []string{writeChecksB(b, dir, "m.yaml", bc.checks)}})
			if err != nil {
				b.Fatal(err)
			}
			h := s.Handler()
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/probe", nil))
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
