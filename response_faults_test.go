package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResponseFaults: the server answers, but with a status, a redirect or
// a body that is not what a health check expects.
func TestResponseFaults(t *testing.T) {
	runFaults(t, slices.Concat(statusRows(), redirectRows(), bodyRows()))
}

// lazyBody is a handler that streams an endless JSON string in 64 KiB
// chunks, up to 1 GiB, until the client goes away, counting what it wrote.
type lazyBody struct {
	written atomic.Int64
	done    chan struct{}
}

func (l *lazyBody) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	defer close(l.done)
	w.Header().Set("Content-Type", "application/json")
	n, err := io.WriteString(w, `{"pad":"`)
	l.written.Add(int64(n))
	chunk := bytes.Repeat([]byte("0"), 64<<10)
	for err == nil && l.written.Load() < 1<<30 {
		n, err = w.Write(chunk)
		l.written.Add(int64(n))
	}
	if err == nil {
		_, _ = io.WriteString(w, `"}`)
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// gzipURL serves body gzip-encoded to a client that accepts gzip, and a 406
// to one that does not.
func gzipURL(t *testing.T, body []byte) string {
	t.Helper()
	z := gzipped(t, body)
	return handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			http.Error(w, "gzip only", http.StatusNotAcceptable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(z)
	})
}

// statusRows: a status outside 2xx, with or without a JSON body, and an
// HTML page with 200.
func statusRows() []faultRow {
	statusCheck := []string{"-c", `status != "ok"`}
	return []faultRow{
		{name: "103 Early Hints then close", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: unexpected EOF" + errPerf},

		{name: "302 with --no-follow, no body", args: func(t *testing.T) []string {
			return withLevels(handlerURL(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", "/elsewhere")
				w.WriteHeader(http.StatusFound)
			}), "--no-follow")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - HTTP 302 (expected 2xx), empty body, expected JSON | time={num}s;;;0 size=0B;;;0"},

		{name: "302 with --no-follow, JSON body", args: func(t *testing.T) []string {
			return append(withLevels(handlerURL(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Location", "/elsewhere")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusFound)
				_, _ = io.WriteString(w, `{"status":"moved"}`)
			}), "--no-follow"), statusCheck...)
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 302 (expected 2xx), status="moved" != "ok", goroutines: not found | time={num}s;;;0 size=18B;;;0`},

		{name: "404 without a JSON body", args: func(t *testing.T) []string {
			return withLevels(respond(t, 404, "text/plain; charset=utf-8", "404 page not found\n"))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 404 (expected 2xx), body is not valid JSON (Content-Type "text/plain; charset=utf-8"): starts with "404 page not found" | time={num}s;;;0 size=19B;;;0`},

		{name: "401 with a JSON body that echoes the credentials", args: func(t *testing.T) []string {
			u := handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_ = json.NewEncoder(w).Encode(map[string]string{"status": "denied", "got": r.Header.Get("Authorization")})
			})
			return append([]string{u, "-v", "-c", `got != ""`}, statusCheck...)
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 401 (expected 2xx), got="Bearer ***" != "", status="denied" != "ok" | time={num}s;;;0 size={num}B;;;0`},

		{name: "502 HTML error page", args: func(t *testing.T) []string {
			return withLevels(respond(t, 502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 502 (expected 2xx), body is not valid JSON (Content-Type "text/html"): starts with "<html>\r\n<head><title>502 Bad Gateway</ti…" | time={num}s;;;0 size=150B;;;0`},

		{name: "503 with a JSON body", args: func(t *testing.T) []string {
			return append(withLevels(respond(t, 503, "application/json", `{"status":"down","goroutines":6000}`)), statusCheck...)
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 503 (expected 2xx), goroutines=6000 > 5000, status="down" != "ok" | goroutines=6000;~:2000;~:5000 time={num}s;;;0 size=35B;;;0`},

		{name: "200 HTML login page", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>…</form></body></html>"))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON (Content-Type "text/html; charset=utf-8"): starts with "<!DOCTYPE html><html><head><title>Sign i…" | time={num}s;;;0 size={num}B;;;0`},
	}
}

// redirectRows: redirects the probe cannot follow.
func redirectRows() []faultRow {
	return []faultRow{
		{name: "redirect loop", args: func(t *testing.T) []string {
			return withLevels(handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/health", http.StatusFound)
			}))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: stopped after 10 redirects" + errPerf},

		{name: "redirect to ftp", args: func(t *testing.T) []string {
			return withLevels(handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "ftp://127.0.0.1/health.json", http.StatusFound)
			}))
		}, // The reason names the hop that failed, not only the URL asked for.
			wantCode: 2, wantFirst: `JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: {any}ftp://127.0.0.1/health.json{any}unsupported {any}scheme "ftp"` + errPerf},
	}
}

// bodyRows: an empty body, bodies past the cap, gzip, and a Content-Type
// that is not JSON's.
func bodyRows() []faultRow {
	doc := func(n int) string { return fmt.Sprintf(healthDoc, n) }
	return []faultRow{
		{name: "empty body", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", ""))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - empty body, expected JSON | time={num}s;;;0 size=0B;;;0"},

		func() faultRow {
			lazy := &lazyBody{done: make(chan struct{})}
			return faultRow{name: "1 GiB body streamed", args: func(t *testing.T) []string {
				return withLevels(quietServer(t, lazy, nil).URL + "/health")
			}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: body larger than 16MiB (--max-body) | time={num}s;;;0 size=16777217B;;;0",
				check: func(t *testing.T, _, _ string) {
					select {
					case <-lazy.done:
					case <-time.After(5 * time.Second):
						t.Fatal("the server kept writing 5s after the probe ended")
					}
					t.Logf("the server wrote %d bytes", lazy.written.Load())
					assert.Less(t, lazy.written.Load(), int64(64<<20), "the server wrote %d bytes: the probe read far past the cap", lazy.written.Load())
				}}
		}(),

		{name: "1 GiB Content-Length declared", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n"+`{"pad":"`)
				_, _ = io.Copy(io.Discard, c)
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: body larger than 16MiB (--max-body) | time={num}s;;;0 size=1073741824B;;;0"},

		{name: "gzip-encoded body", args: func(t *testing.T) []string {
			return withLevels(gzipURL(t, []byte(doc(1234))))
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=106B;;;0"},

		{name: "gzip bomb (64 MiB inflated)", args: func(t *testing.T) []string {
			return withLevels(gzipURL(t, []byte(`{"pad":"`+strings.Repeat("0", 64<<20)+`"}`)))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: body larger than 16MiB (--max-body) | time={num}s;;;0 size=16777217B;;;0"},

		{name: "text/plain Content-Type with valid JSON", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "text/plain", doc(1234)))
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=106B;;;0"},
	}
}
