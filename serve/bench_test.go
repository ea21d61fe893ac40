package serve

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jsonprobe/jsonprobe/internal/fixture"
)

// benchTarget answers the health document in the shape the path names
// (fixture.Shapes: /length, /chunked, /gzip).
func benchTarget() http.Handler {
	body := []byte(fixture.Health)
	zipped := fixture.Gzip(body)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fixture.WriteShaped(w, strings.TrimPrefix(r.URL.Path, "/"), body, zipped)
	})
}

// BenchmarkProbe is one /probe scrape through the handler, the target on
// loopback in each shape a service answers with (a length, chunked, gzip,
// HTTPS chunked), with plain checks; and a module with a window function
// (its samples in the module's MemoryStore). The bytes allocated per probe
// count the target's server too.
func BenchmarkProbe(b *testing.B) {
	plain := httptest.NewServer(benchTarget())
	defer plain.Close()
	secure := httptest.NewTLSServer(benchTarget())
	defer secure.Close()
	checks := "checks:\n  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }\n  - { name: memory, warning: memory.alloc_mb > 3072 }\n"
	for _, bc := range []struct{ name, checks string }{
		{"length", "url: " + plain.URL + "/length\n" + checks},
		{"chunked", "url: " + plain.URL + "/chunked\n" + checks},
		{"gzip", "url: " + plain.URL + "/gzip\n" + checks},
		{"https", "url: " + secure.URL + "/chunked\ninsecure: true\n" + checks},
		{"window", "url: " + plain.URL + "/length\nchecks:\n  - { name: goroutines, warning: goroutines > 2000 }\n  - name: growth\n    warning: growth(goroutines, 1h) > 20\n"},
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
				if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte("probe_success 1")) {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
