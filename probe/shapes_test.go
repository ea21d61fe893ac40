package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jsonprobe/jsonprobe/internal/fixture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const healthDoc = fixture.Health

// shapeHandler answers ?n= bytes of healthDoc padded with spaces (the
// document itself without n) in the shape the path names
// (fixture.Shapes: /length, /chunked, /gzip); gzip only to a client that
// asks for it.
func shapeHandler(t *testing.T) http.Handler {
	t.Helper()
	var (
		mu     sync.Mutex
		zipped = map[int][]byte{}
	)
	gz := func(body []byte) []byte {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := zipped[len(body)]; !ok {
			zipped[len(body)] = fixture.Gzip(body)
		}
		return zipped[len(body)]
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(healthDoc)
		if n, _ := strconv.Atoi(r.URL.Query().Get("n")); n > len(body) {
			body = append(body, bytes.Repeat([]byte(" "), n-len(body))...)
		}
		shape := strings.TrimPrefix(r.URL.Path, "/")
		if shape == "gzip" && !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip only", http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fixture.WriteShaped(w, shape, body, gz(body))
	})
}

// shapes are the response shapes a probe meets (fixture.Shapes), each on a
// plain HTTP server and on a TLS one ("https length", …), by name.
func shapes(t *testing.T) map[string]string {
	t.Helper()
	plain := newServer(t, shapeHandler(t))
	secure := newTLSServer(t, shapeHandler(t), nil)
	out := map[string]string{}
	for _, shape := range fixture.Shapes {
		out[shape] = plain.URL + "/" + shape
		out["https "+shape] = secure.URL + "/" + shape
	}
	return out
}

// shapeConfig is a Config for target that trusts the test servers' CA.
func shapeConfig(target string) *Config {
	cfg := testConfig(target)
	cfg.Timeout = testTimeout
	cfg.Insecure = strings.HasPrefix(target, "https://")
	return cfg
}

// TestFetchShapes: every shape gives the document, its size the decoded
// bytes; a body over the cap is refused on every shape, with its size.
func TestFetchShapes(t *testing.T) {
	for name, target := range shapes(t) {
		t.Run(name, func(t *testing.T) {
			resp, err := fetch(t, shapeConfig(target), nil)
			require.NoError(t, err)
			assert.Equal(t, healthDoc, string(resp.Body))
			assert.Equal(t, int64(len(healthDoc)), resp.Size)
			assert.Equal(t, 200, resp.Status)
		})
		t.Run(name+" over the cap", func(t *testing.T) {
			cfg := shapeConfig(target + "?n=5000")
			cfg.MaxBody = 4096
			resp, err := fetch(t, cfg, nil)
			require.Error(t, err)
			assert.Nil(t, resp, "never a truncated body")
			assert.Equal(t, fmt.Sprintf("GET %s: body larger than 4KiB (--max-body)", cfg.Target), err.Error())
			var fe *FetchError
			require.ErrorAs(t, err, &fe)
			if strings.HasSuffix(name, "length") {
				assert.Equal(t, int64(5000), fe.Size, "the declared length")
			} else {
				assert.Equal(t, int64(4097), fe.Size, "what was read: the cap and one byte")
			}
		})
		t.Run(name+" exactly the cap", func(t *testing.T) {
			cfg := shapeConfig(target + "?n=4096")
			cfg.MaxBody = 4096
			resp, err := fetch(t, cfg, nil)
			require.NoError(t, err)
			assert.Len(t, resp.Body, 4096)
		})
	}
}

// TestFetchGzipBomb: a small gzip body that inflates far past the cap is
// stopped at the cap, having decoded no more than the cap and one read.
func TestFetchGzipBomb(t *testing.T) {
	bomb := fixture.Gzip(bytes.Repeat([]byte(" "), 64<<20))
	require.Less(t, len(bomb), 128<<10)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		_, _ = w.Write(bomb)
	}))
	cfg := shapeConfig(srv.URL)
	cfg.MaxBody = 1 << 20
	_, err := fetch(t, cfg, nil)
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("GET %s: body larger than 1MiB (--max-body)", srv.URL), err.Error())
	var fe *FetchError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, int64(1<<20+1), fe.Size)
}

// TestFetchGzipErrors: a body that says it is gzip and is not, and an
// encoding jsonprobe cannot read, are named as such; an empty gzip answer
// is an empty body.
func TestFetchGzipErrors(t *testing.T) {
	valid := fixture.Gzip([]byte(healthDoc))
	tests := []struct {
		name, encoding string
		body           []byte
		want           string // the reason; "" for no error
	}{
		{"not gzip at all", "gzip", []byte(healthDoc), "body is not valid gzip (Content-Encoding: gzip): invalid header"},
		{"cut short", "gzip", valid[:len(valid)-6], "reading body: unexpected EOF"},
		{"a corrupt checksum", "gzip", append(append([]byte{}, valid[:len(valid)-8]...), 0, 0, 0, 0, 0, 0, 0, 0), "body is not valid gzip (Content-Encoding: gzip): invalid checksum"},
		{"brotli", "br", []byte("x"), `Content-Encoding "br": jsonprobe reads gzip only`},
		{"empty", "gzip", nil, ""},
		{"x-gzip", "x-gzip", valid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Encoding", tt.encoding)
				_, _ = w.Write(tt.body)
			}))
			resp, err := fetch(t, shapeConfig(srv.URL), nil)
			if tt.want != "" {
				require.Error(t, err)
				assert.Equal(t, "GET "+srv.URL+": "+tt.want, err.Error())
				return
			}
			require.NoError(t, err)
			if tt.body == nil {
				assert.Empty(t, resp.Body)
			} else {
				assert.Equal(t, healthDoc, string(resp.Body))
			}
		})
	}
}

// TestFetchGzipAskedByTheUser: with the user's own Accept-Encoding: gzip,
// the body is still decoded (net/http would hand over the gzip bytes).
func TestFetchGzipAskedByTheUser(t *testing.T) {
	srv := newServer(t, shapeHandler(t))
	cfg := shapeConfig(srv.URL + "/gzip")
	cfg.Headers = []Header{{Name: "Accept-Encoding", Value: "gzip"}}
	resp, err := fetch(t, cfg, nil)
	require.NoError(t, err)
	assert.Equal(t, healthDoc, string(resp.Body))
}

// TestRunShapes: a probe on each shape reads the values right, and a body
// over the cap gives size= its size, not 0.
func TestRunShapes(t *testing.T) {
	for name, target := range shapes(t) {
		t.Run(name, func(t *testing.T) {
			rep := runShape(t, target, 0, "warning", "goroutines > 1000", "critical", "memory.alloc_mb / memory.sys_mb > 0.9")
			require.NoError(t, rep.Err)
			assert.Equal(t, Warning, rep.State)
			assert.Equal(t, len(healthDoc), rep.Size)
			assert.Equal(t, 1234.0, rep.Outcomes[0].Value.Num)
		})
		t.Run(name+" over the cap", func(t *testing.T) {
			rep := runShape(t, target+"?n=5000", 4096, "critical", "goroutines > 5000")
			require.Error(t, rep.Err)
			assert.Equal(t, Critical, rep.State)
			want := 4097
			if strings.HasSuffix(name, "length") {
				want = 5000
			}
			assert.Equal(t, want, rep.Size)
			assert.Contains(t, perfTexts(rep.Perf), fmt.Sprintf("size=%d", want))
		})
	}
}

// runShape runs one probe of target with the body cap maxBody (0: the
// default) and checks given as level, expression pairs.
func runShape(t *testing.T, target string, maxBody int64, checks ...string) *Report {
	t.Helper()
	cfg := shapeConfig(target)
	if maxBody > 0 {
		cfg.MaxBody = maxBody
	}
	for i := 0; i+1 < len(checks); i += 2 {
		require.NoError(t, cfg.AddCheck(checks[i], checks[i+1]))
	}
	p, err := Compile(cfg)
	require.NoError(t, err)
	return p.Run(context.Background(), "")
}

func perfTexts(perf []Perf) []string {
	var out []string
	for _, p := range perf {
		out = append(out, perfText(p))
	}
	return out
}

// TestProbeAllocationsFollowTheDocument: a probe of a 110-byte body, chunked,
// gzip-encoded or with a length, allocates in proportion to the document,
// not to the 16 MiB cap (server and client together, as the testing
// package counts them): at most 32 KiB, which a gzip decoder made anew for
// each probe (its window alone is 32 KiB) also passes.
func TestProbeAllocationsFollowTheDocument(t *testing.T) {
	for _, shape := range fixture.Shapes {
		t.Run(shape, func(t *testing.T) {
			srv := newServer(t, shapeHandler(t))
			cfg := shapeConfig(srv.URL + "/" + shape)
			require.NoError(t, cfg.AddCheck("critical", "goroutines > 5000"))
			p, err := Compile(cfg)
			require.NoError(t, err)
			ctx := context.Background()
			require.Equal(t, OK, p.Run(ctx, "").State) // the connection and pools warmed up
			res := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if rep := p.Run(ctx, ""); rep.State != OK {
						b.Fatal(rep.Err)
					}
				}
			})
			perProbe := res.AllocedBytesPerOp()
			t.Logf("%s: %d bytes allocated per probe", shape, perProbe)
			assert.LessOrEqual(t, perProbe, int64(32<<10))
		})
	}
}

// TestConnectionsReused: probes of one target over TLS, with a length or
// chunked or gzip-encoded, reuse one connection: the handshake is paid
// once, not per probe.
func TestConnectionsReused(t *testing.T) {
	for _, shape := range fixture.Shapes {
		t.Run(shape, func(t *testing.T) {
			var conns atomic.Int32
			srv := httptest.NewUnstartedServer(shapeHandler(t))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.StartTLS()
			t.Cleanup(srv.Close)
			cfg := shapeConfig(srv.URL + "/" + shape)
			p, err := Compile(cfg)
			require.NoError(t, err)
			for range 20 {
				rep := p.Run(context.Background(), "")
				require.NoError(t, rep.Err)
			}
			assert.Equal(t, int32(1), conns.Load(), "connections opened for 20 probes")
		})
	}
}

// TestTLSSessionsResumed: when the server closes every connection, the
// next one resumes the TLS session instead of a full handshake.
func TestTLSSessionsResumed(t *testing.T) {
	var (
		mu      sync.Mutex
		resumed []bool
	)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		resumed = append(resumed, r.TLS.DidResume)
		mu.Unlock()
		w.Header().Set("Connection", "close")
		_, _ = w.Write([]byte(healthDoc))
	}))
	// TLS 1.2 and 1.3 both resume from the client's session cache.
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	p, err := Compile(shapeConfig(srv.URL))
	require.NoError(t, err)
	for range 3 {
		require.NoError(t, p.Run(context.Background(), "").Err)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []bool{false, true, true}, resumed)
}
