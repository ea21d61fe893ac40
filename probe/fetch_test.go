package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/internal/testcert"
	"github.com/jsonprobe/jsonprobe/redact"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testTimeout bounds every fetch of a test that is not about timeouts.
const testTimeout = 10 * time.Second

// newServer starts a plain HTTP server on loopback, closed at the test's end.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// newTLSServer starts an HTTPS server on loopback with conf (nil for the
// httptest defaults), closed at the test's end.
func newTLSServer(t *testing.T, h http.Handler, conf *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point
	srv.TLS = conf
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// testConfig is a Config for target with the defaults.
func testConfig(target string) *Config {
	cfg := NewConfig()
	cfg.Target = target
	return cfg
}

// fetch runs Fetch with a client from NewHTTPClient(cfg) and a context
// that ends after cfg.Timeout.
func fetch(t *testing.T, cfg *Config, stdin io.Reader) (*Response, error) {
	t.Helper()
	client, err := NewHTTPClient(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	return Fetch(ctx, client, cfg, stdin)
}

// received is what a test server saw of a request.
type received struct {
	Method, Host, Body string
	Header             http.Header
	User, Pass         string
	HasBasic           bool
}

func TestFetchRequest(t *testing.T) {
	got := make(chan received, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		user, pass, ok := r.BasicAuth()
		got <- received{r.Method, r.Host, string(body), r.Header.Clone(), user, pass, ok}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	}))

	tests := []struct {
		name  string
		setup func(*Config)
		check func(*testing.T, received)
	}{
		{
			name:  "defaults",
			setup: func(*Config) {},
			check: func(t *testing.T, r received) {
				assert.Equal(t, "GET", r.Method)
				assert.Equal(t, []string{"jsonprobe"}, r.Header.Values("User-Agent"))
				assert.Equal(t, []string{"application/json"}, r.Header.Values("Accept"))
				assert.Empty(t, r.Header.Values("Authorization"))
				assert.Equal(t, "", r.Body)
			},
		},
		{
			name: "method and body",
			setup: func(c *Config) {
				c.Method = "POST"
				c.Body = []byte(`{"q":1}`)
			},
			check: func(t *testing.T, r received) {
				assert.Equal(t, "POST", r.Method)
				assert.Equal(t, `{"q":1}`, r.Body)
				assert.Equal(t, "7", r.Header.Get("Content-Length"))
			},
		},
		{
			name: "headers in order",
			setup: func(c *Config) {
				c.Headers = []Header{{"X-Trace", "a"}, {"X-Other", "o"}, {"x-trace", "b"}}
			},
			check: func(t *testing.T, r received) {
				assert.Equal(t, []string{"a", "b"}, r.Header.Values("X-Trace"))
				assert.Equal(t, "o", r.Header.Get("X-Other"))
			},
		},
		{
			name:  "host header",
			setup: func(c *Config) { c.Headers = []Header{{"Host", "api.example.test"}} },
			check: func(t *testing.T, r received) {
				assert.Equal(t, "api.example.test", r.Host)
			},
		},
		{
			name: "user agent and accept overridden",
			setup: func(c *Config) {
				c.Headers = []Header{{"user-agent", "custom/1"}, {"ACCEPT", "*/*"}}
			},
			check: func(t *testing.T, r received) {
				assert.Equal(t, []string{"custom/1"}, r.Header.Values("User-Agent"))
				assert.Equal(t, []string{"*/*"}, r.Header.Values("Accept"))
			},
		},
		{
			name:  "bearer token",
			setup: func(c *Config) { c.BearerToken = "tok-123" },
			check: func(t *testing.T, r received) {
				assert.Equal(t, []string{"Bearer tok-123"}, r.Header.Values("Authorization"))
			},
		},
		{
			name:  "basic auth split at the first colon",
			setup: func(c *Config) { c.BasicAuth = "alice:pa:ss" },
			check: func(t *testing.T, r received) {
				assert.True(t, r.HasBasic)
				assert.Equal(t, "alice", r.User)
				assert.Equal(t, "pa:ss", r.Pass)
			},
		},
		{
			name:  "basic auth without a password",
			setup: func(c *Config) { c.BasicAuth = "alice" },
			check: func(t *testing.T, r received) {
				assert.True(t, r.HasBasic)
				assert.Equal(t, "alice", r.User)
				assert.Equal(t, "", r.Pass)
			},
		},
		{
			name: "bearer token replaces an Authorization header",
			setup: func(c *Config) {
				c.Headers = []Header{{"Authorization", "Token old"}}
				c.BearerToken = "tok-123"
			},
			check: func(t *testing.T, r received) {
				assert.Equal(t, []string{"Bearer tok-123"}, r.Header.Values("Authorization"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(srv.URL + "/health")
			cfg.Timeout = testTimeout
			tt.setup(cfg)
			resp, err := fetch(t, cfg, nil)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, `{"status":"ok"}`, string(resp.Body))
			assert.Equal(t, "application/json", resp.ContentType)
			assert.Nil(t, resp.CertDays)
			assert.Positive(t, resp.Duration)
			tt.check(t, <-got)
		})
	}
}

func TestFetchInvalidHeaderName(t *testing.T) {
	cfg := testConfig("http://127.0.0.1:1/")
	cfg.Headers = []Header{{"X Bad", "secret-value"}}
	_, err := fetch(t, cfg, nil)
	require.Error(t, err)
	assert.Equal(t, `GET http://127.0.0.1:1/: invalid header name "X Bad"`, err.Error())
}

func TestFetchStatusIsNotAnError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"ok", 200, `{}`},
		{"no content", 204, ``},
		{"not found", 404, `{"error":"not found"}`},
		{"server error", 500, `{"status":"down"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			cfg := testConfig(srv.URL)
			cfg.Timeout = testTimeout
			resp, err := fetch(t, cfg, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.Status)
			assert.Equal(t, tt.body, string(resp.Body))
		})
	}
}

// redirectServer redirects /r/N to /r/N-1 and answers /r/0 with JSON.
func redirectServer(t *testing.T) *httptest.Server {
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, `{"hops":"done"}`)
	}))
}

func TestFetchRedirects(t *testing.T) {
	srv := redirectServer(t)
	tests := []struct {
		name     string
		hops     int
		noFollow bool
		status   int
		body     string
		err      string
	}{
		{name: "no redirect", hops: 0, status: 200, body: `{"hops":"done"}`},
		{name: "3 redirects followed", hops: 3, status: 200, body: `{"hops":"done"}`},
		{name: "10 redirects followed", hops: 10, status: 200, body: `{"hops":"done"}`},
		{name: "11 redirects stop", hops: 11, err: "GET %s/r/11: stopped after 10 redirects"},
		{name: "no-follow returns the 3xx", hops: 3, noFollow: true, status: 302, body: "<a href=\"/r/2\">Found</a>.\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(fmt.Sprintf("%s/r/%d", srv.URL, tt.hops))
			cfg.Timeout = testTimeout
			cfg.NoFollow = tt.noFollow
			resp, err := fetch(t, cfg, nil)
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, fmt.Sprintf(tt.err, srv.URL), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.Status)
			assert.Equal(t, tt.body, string(resp.Body))
		})
	}
}

func TestFetchBodyCap(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Write(bytes.Repeat([]byte("x"), n))
	}))
	tests := []struct {
		name string
		size int
		err  string
	}{
		{name: "empty", size: 0},
		{name: "below the cap", size: 1000},
		{name: "exactly at the cap", size: 1024},
		{name: "one byte over", size: 1025, err: "body larger than 1KiB (--max-body)"},
		{name: "far over", size: 1 << 20, err: "body larger than 1KiB (--max-body)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(fmt.Sprintf("%s/?n=%d", srv.URL, tt.size))
			cfg.Timeout = testTimeout
			cfg.MaxBody = 1024
			resp, err := fetch(t, cfg, nil)
			if tt.err != "" {
				require.Error(t, err)
				assert.Nil(t, resp, "never a truncated body")
				assert.Equal(t, fmt.Sprintf("GET %s: %s", cfg.Target, tt.err), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Len(t, resp.Body, tt.size)
		})
	}
}

// TestFetchBodyCapStopsReading checks that the client hangs up after the
// cap instead of downloading the whole body: the server's writes fail long
// before it has written everything.
func TestFetchBodyCapStopsReading(t *testing.T) {
	const total = 256 << 20
	written := make(chan int64, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		var n int64
		for n < total {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				break
			}
		}
		written <- n
	}))
	cfg := testConfig(srv.URL)
	cfg.Timeout = testTimeout
	cfg.MaxBody = 1024
	_, err := fetch(t, cfg, nil)
	require.Error(t, err)
	assert.Equal(t, fmt.Sprintf("GET %s: body larger than 1KiB (--max-body)", srv.URL), err.Error())

	select {
	case n := <-written:
		// What the socket buffers took before the connection was closed.
		assert.Less(t, n, int64(total))
		t.Logf("server wrote %s of %s before the client hung up", humanSize(n), humanSize(total))
	case <-time.After(testTimeout):
		t.Fatal("the server is still writing: the client did not close the connection")
	}
}

func TestFetchSizeUnits(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		want string
	}{
		{"zero", 0, "0B"},
		{"bytes", 512, "512B"},
		{"one KiB", 1024, "1KiB"},
		{"fraction", 1536, "1.5KiB"},
		{"decimal megabyte", 1e6, "976.56KiB"},
		{"default cap", DefaultMaxBody, "16MiB"},
		{"GiB", 3 << 30, "3GiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, humanSize(tt.n))
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stall-body" {
			w.Write([]byte(`{"partial":`))
			w.(http.Flusher).Flush()
		}
		select { // until the client gives up and hangs up
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before srv.Close

	tests := []struct {
		name, path, want string
	}{
		{"no response", "/hang", "GET %s/hang: timed out after 200ms"},
		{"body stalls", "/stall-body", "GET %s/stall-body: reading body: timed out after 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(srv.URL + tt.path)
			cfg.Timeout = 200 * time.Millisecond
			_, err := fetch(t, cfg, nil)
			require.Error(t, err)
			assert.Equal(t, fmt.Sprintf(tt.want, srv.URL), err.Error())
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			var fe *FetchError
			require.ErrorAs(t, err, &fe)
			assert.True(t, fe.Timeout())
		})
	}

	t.Run("stdin never ends", func(t *testing.T) {
		pr, pw := io.Pipe()
		t.Cleanup(func() { pw.Close() })
		cfg := testConfig("-")
		cfg.Timeout = 200 * time.Millisecond
		_, err := fetch(t, cfg, pr)
		require.Error(t, err)
		assert.Equal(t, "read stdin: timed out after 200ms", err.Error())
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// rawServer answers every connection with raw bytes and hangs up, for
// responses net/http would not send.
func rawServer(t *testing.T, raw string) string {
	t.Helper()
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString(raw)
		buf.Flush()
	})).URL
}

func TestFetchNetworkErrors(t *testing.T) {
	tests := []struct {
		name   string
		target func(t *testing.T) string
		want   string // %s is the target
	}{
		{
			name:   "connection refused",
			target: func(t *testing.T) string { return "http://" + freeAddr(t) + "/health" },
			want:   "GET %s: connection refused",
		},
		{
			name:   "dns failure",
			target: func(*testing.T) string { return "http://nosuch.invalid/" },
			want:   `GET %s: cannot resolve host "nosuch.invalid"`,
		},
		{
			name:   "closed without a response",
			target: func(t *testing.T) string { return rawServer(t, "") },
			want:   "GET %s: connection closed by the server without a response",
		},
		{
			name: "eof mid body",
			target: func(t *testing.T) string {
				return rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
			},
			want: "GET %s: reading body: unexpected EOF",
		},
		{
			name:   "garbage response",
			target: func(t *testing.T) string { return rawServer(t, "SSH-2.0-OpenSSH_9.6\r\n") },
			want:   `GET %s: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(tt.target(t))
			cfg.Timeout = testTimeout
			start := time.Now()
			_, err := fetch(t, cfg, nil)
			require.Error(t, err)
			assert.Equal(t, fmt.Sprintf(tt.want, cfg.Target), err.Error())
			var fe *FetchError
			assert.ErrorAs(t, err, &fe)
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			if d := time.Since(start); d > 2*time.Second {
				t.Logf("%s took %v: slower than expected", tt.name, d)
			}
		})
	}
}

// writeFile writes data to name in a fresh temporary folder.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

// certPEM is the PEM of a server's certificate, to trust it as a CA file.
func certPEM(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"ok"}`)
	})
}

func TestFetchTLS(t *testing.T) {
	srv := newTLSServer(t, okHandler(), nil)
	caFile := writeFile(t, "ca.pem", certPEM(srv))
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	require.NoError(t, err)

	ca := testcert.NewCA(t)
	_, _, expired := ca.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "expired"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-48 * time.Hour),
		NotAfter:    time.Now().Add(-24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	expiredSrv := newTLSServer(t, okHandler(), &tls.Config{Certificates: []tls.Certificate{expired}})
	testCAFile := writeFile(t, "test-ca.pem", ca.PEM)

	tests := []struct {
		name     string
		target   string
		insecure bool
		caFile   string
		want     string // error; %s is the target
		prefix   bool   // want is a prefix of the error
	}{
		{name: "verification on: unknown authority", target: srv.URL, want: "GET %s: TLS: certificate signed by unknown authority"},
		{name: "insecure", target: srv.URL, insecure: true},
		{name: "ca file", target: srv.URL, caFile: caFile},
		{
			name: "ca file, wrong host", target: "https://localhost:" + port, caFile: caFile,
			want: "GET %s: TLS: certificate is valid for example.com, *.example.com, not localhost",
		},
		{
			name: "expired", target: expiredSrv.URL, caFile: testCAFile, prefix: true,
			want: "GET %s: TLS: certificate has expired or is not yet valid: current time ",
		},
		{name: "expired, insecure", target: expiredSrv.URL, insecure: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(tt.target)
			cfg.Timeout = testTimeout
			cfg.Insecure = tt.insecure
			cfg.CAFile = tt.caFile
			resp, err := fetch(t, cfg, nil)
			if tt.want != "" {
				require.Error(t, err)
				want := fmt.Sprintf(tt.want, tt.target)
				if tt.prefix {
					assert.True(t, strings.HasPrefix(err.Error(), want), "error %q, want prefix %q", err, want)
				} else {
					assert.Equal(t, want, err.Error())
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status)
			require.NotNil(t, resp.CertDays)
			if tt.target == expiredSrv.URL {
				assert.InDelta(t, -1.0, *resp.CertDays, 0.01)
			} else {
				assert.Positive(t, *resp.CertDays)
			}
		})
	}
}

func TestFetchClientCert(t *testing.T) {
	ca := testcert.NewCA(t)
	certPEMBytes, keyPEMBytes, _ := ca.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "jsonprobe-client"},
		NotBefore:   time.Now().Add(-time.Hour),
		NotAfter:    time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	certFile := writeFile(t, "client.pem", certPEMBytes)
	keyFile := writeFile(t, "client-key.pem", keyPEMBytes)

	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	seen := make(chan string, 1)
	srv := newTLSServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.TLS.PeerCertificates[0].Subject.CommonName
		fmt.Fprint(w, `{}`)
	}), &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool})
	caFile := writeFile(t, "ca.pem", certPEM(srv))

	tests := []struct {
		name      string
		cert, key string
		want      string // error; %s is the target
	}{
		{name: "with a client certificate", cert: certFile, key: keyFile},
		{name: "without a client certificate", want: "GET %s: TLS: server refused the handshake: certificate required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(srv.URL)
			cfg.Timeout = testTimeout
			cfg.CAFile = caFile
			cfg.ClientCert, cfg.ClientKey = tt.cert, tt.key
			resp, err := fetch(t, cfg, nil)
			if tt.want != "" {
				require.Error(t, err)
				assert.Equal(t, fmt.Sprintf(tt.want, srv.URL), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status)
			assert.Equal(t, "jsonprobe-client", <-seen)
		})
	}
}

func TestNewHTTPClient(t *testing.T) {
	ca := testcert.NewCA(t)
	certPEMBytes, keyPEMBytes, _ := ca.Issue(t, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "c"},
		NotBefore: time.Now().Add(-time.Hour),
		NotAfter:  time.Now().Add(time.Hour),
	})
	_, otherKey, _ := ca.Issue(t, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "other"},
		NotBefore: time.Now().Add(-time.Hour),
		NotAfter:  time.Now().Add(time.Hour),
	})
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		return p
	}
	caFile := write("ca.pem", ca.PEM)
	notPEM := write("notes.txt", []byte("hello"))
	certFile := write("c.pem", certPEMBytes)
	keyFile := write("c-key.pem", keyPEMBytes)
	otherKeyFile := write("other-key.pem", otherKey)
	missing := filepath.Join(dir, "missing.pem")

	tests := []struct {
		name   string
		cfg    Config
		want   string
		certs  int
		roots  bool
		isFile bool // the error matches fs.ErrNotExist
	}{
		{name: "defaults", cfg: Config{}},
		{name: "ca file", cfg: Config{CAFile: caFile}, roots: true},
		{name: "client pair", cfg: Config{ClientCert: certFile, ClientKey: keyFile}, certs: 1},
		{name: "missing ca file", cfg: Config{CAFile: missing}, want: fmt.Sprintf("ca file %q: no such file", missing), isFile: true},
		{name: "ca file without certificates", cfg: Config{CAFile: notPEM}, want: fmt.Sprintf("ca file %q: no certificates found", notPEM)},
		{name: "ca file is a folder", cfg: Config{CAFile: dir}, want: fmt.Sprintf("ca file %q: is a directory, not a file", dir)},
		{name: "cert without key", cfg: Config{ClientCert: certFile}, want: fmt.Sprintf("client cert %q: no client key (--client-key)", certFile)},
		{name: "key without cert", cfg: Config{ClientKey: keyFile}, want: fmt.Sprintf("client key %q: no client certificate (--client-cert)", keyFile)},
		{name: "missing cert file", cfg: Config{ClientCert: missing, ClientKey: keyFile}, want: fmt.Sprintf("client cert %q: no such file", missing), isFile: true},
		{name: "missing key file", cfg: Config{ClientCert: certFile, ClientKey: missing}, want: fmt.Sprintf("client key %q: no such file", missing), isFile: true},
		{
			name: "key of another certificate", cfg: Config{ClientCert: certFile, ClientKey: otherKeyFile},
			want: fmt.Sprintf("client cert %q, key %q: tls: private key does not match public key", certFile, otherKeyFile),
		},
		{
			name: "cert file holds no certificate", cfg: Config{ClientCert: notPEM, ClientKey: keyFile},
			want: fmt.Sprintf("client cert %q, key %q: tls: failed to find any PEM data in certificate input", notPEM, keyFile),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewHTTPClient(&tt.cfg)
			if tt.want != "" {
				require.Error(t, err)
				assert.Equal(t, tt.want, err.Error())
				if tt.isFile {
					assert.ErrorIs(t, err, os.ErrNotExist)
				}
				return
			}
			require.NoError(t, err)
			tr, ok := client.Transport.(*http.Transport)
			require.True(t, ok)
			assert.NotNil(t, tr.Proxy, "proxy environment kept")
			assert.True(t, tr.ForceAttemptHTTP2)
			assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
			assert.Len(t, tr.TLSClientConfig.Certificates, tt.certs)
			assert.Equal(t, tt.roots, tr.TLSClientConfig.RootCAs != nil)
			assert.Zero(t, client.Timeout, "the context is the deadline")
		})
	}
}

func TestFetchFile(t *testing.T) {
	doc := []byte(`{"status":"ok"}`)
	file := writeFile(t, "health.json", doc)
	big := writeFile(t, "big.json", bytes.Repeat([]byte(" "), 17))
	dir := t.TempDir()
	missing := filepath.Join(dir, "x.json")

	tests := []struct {
		name   string
		target string
		stdin  io.Reader
		want   string // error
	}{
		{name: "file", target: file},
		{name: "missing file", target: missing, want: fmt.Sprintf("open %q: no such file", missing)},
		{name: "directory", target: dir, want: fmt.Sprintf("read %q: is a directory, not a file", dir)},
		{name: "file over the cap", target: big, want: fmt.Sprintf("read %q: input larger than 16B (--max-body)", big)},
		{name: "stdin", target: "-", stdin: bytes.NewReader(doc)},
		{name: "stdin through a buffer", target: "-", stdin: bufio.NewReader(bytes.NewReader(doc))},
		{name: "stdin over the cap", target: "-", stdin: strings.NewReader(strings.Repeat(" ", 17)), want: "read stdin: input larger than 16B (--max-body)"},
		{name: "no stdin", target: "-", want: "read stdin: no standard input"},
		{name: "unsupported scheme", target: "ftp://bob:pw@host/x", want: "target ftp://bob:***@host/x: unsupported URL scheme (want http://, https://, a file or -)"},
		{name: "no target", target: "", want: "no target: give a URL, a file or - for stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(tt.target)
			cfg.Timeout = testTimeout
			cfg.MaxBody = 16
			resp, err := fetch(t, cfg, tt.stdin)
			if tt.want != "" {
				require.Error(t, err)
				assert.Equal(t, tt.want, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 0, resp.Status)
			assert.Equal(t, string(doc), string(resp.Body))
			assert.Equal(t, "", resp.ContentType)
			assert.Nil(t, resp.CertDays)
		})
	}
}

func TestFetchNilClient(t *testing.T) {
	srv := newServer(t, okHandler())
	cfg := testConfig(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	resp, err := Fetch(ctx, nil, cfg, nil)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.Status)
}

// TestFetchErrorsHideSecrets runs every error path with secrets in the URL,
// the token and the basic auth, and checks none of them is in the message.
func TestFetchErrorsHideSecrets(t *testing.T) {
	release := make(chan struct{})
	hang := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) })
	big := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 4096))
	}))
	redirects := redirectServer(t)
	tlsSrv := newTLSServer(t, okHandler(), nil)
	eof := rawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123")

	// withSecrets puts a password and a secret query into base, an
	// http://host[:port] URL, before path.
	withSecrets := func(base, path string) string {
		scheme, host, _ := strings.Cut(base, "://")
		return scheme + "://alice:url-pass-9@" + host + path + "?access_token=query-tok-7&v=1"
	}
	tests := []struct {
		name   string
		target string
		want   string // the error with the secrets redacted
	}{
		{"connection refused", withSecrets("http://"+freeAddr(t), "/health"), "connection refused"},
		{"dns failure", withSecrets("http://nosuch.invalid", "/"), `cannot resolve host "nosuch.invalid"`},
		{"timeout", withSecrets(hang.URL, "/"), "timed out after 200ms"},
		{"tls unknown authority", withSecrets(tlsSrv.URL, "/"), "TLS: certificate signed by unknown authority"},
		{"too many redirects", withSecrets(redirects.URL, "/r/12"), "stopped after 10 redirects"},
		{"body over the cap", withSecrets(big.URL, "/"), "body larger than 1KiB (--max-body)"},
		{"eof mid body", withSecrets(eof, "/"), "reading body: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(tt.target)
			cfg.Timeout = 200 * time.Millisecond
			cfg.MaxBody = 1024
			cfg.BearerToken = "bearer-tok-5"
			cfg.BasicAuth = "bob:basic-pass-3"
			cfg.Headers = []Header{{"X-Api-Key", "header-key-1"}}
			secrets := cfg.Secrets()
			require.Subset(t, secrets, []string{"url-pass-9", "query-tok-7", "bearer-tok-5", "basic-pass-3", "header-key-1"})

			_, err := fetch(t, cfg, nil)
			require.Error(t, err)
			msg := err.Error()
			for _, s := range secrets {
				assert.NotContains(t, msg, s)
			}
			assert.True(t, strings.HasSuffix(msg, ": "+tt.want), "error %q, want reason %q", msg, tt.want)
			assert.Contains(t, msg, "alice:***@")
			assert.Contains(t, msg, "access_token=***&v=1")
			assert.Equal(t, msg, redact.New(secrets...).String(msg), "nothing left to redact")
		})
	}
}

func TestFetchErrorUnwrap(t *testing.T) {
	cause := errors.New("cause")
	err := error(&FetchError{Op: "GET", Target: "http://h/", Reason: "connection refused", Err: cause})
	assert.Equal(t, "GET http://h/: connection refused", err.Error())
	assert.ErrorIs(t, err, cause)
	assert.False(t, err.(*FetchError).Timeout())
	assert.Equal(t, "read: canceled", (&FetchError{Op: "read", Reason: "canceled"}).Error())
}

// TestTransportReasonBanner: when a server speaks first (an SSH banner)
// and net/http drops what it said as unsolicited, the reason says what
// happened instead of net/http's internal words.
func TestTransportReasonBanner(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "http://127.0.0.1:22/health", Err: fmt.Errorf("readLoopPeekFailLocked: %w", nil)}
	reason, _ := transportReason(context.Background(), time.Second, err)
	assert.Equal(t, "the server sent data before the request: not an HTTP server?", reason)
}

// TestCapture: Capture GETs a URL with the probe's client and body cap;
// the Config's headers and credentials go only to the target's origin.
func TestCapture(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{}
	handler := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[name] = r.Method + " " + r.Header.Get("Authorization") + " " + r.Header.Get("X-Tenant")
			mu.Unlock()
			fmt.Fprint(w, "goroutine 1 [running]:")
		})
	}
	own, other := httptest.NewServer(handler("own")), httptest.NewServer(handler("other"))
	defer own.Close()
	defer other.Close()
	cfg := NewConfig()
	cfg.Target, cfg.Method, cfg.Body = own.URL+"/health", "POST", []byte(`{}`)
	cfg.BearerToken, cfg.Headers = "tok-1234567", []Header{{"X-Tenant", "t1"}}
	p, err := Compile(cfg)
	require.NoError(t, err)
	resp, err := p.Capture(context.Background(), own.URL+"/debug/pprof/goroutine?debug=2")
	require.NoError(t, err)
	assert.Equal(t, "goroutine 1 [running]:", string(resp.Body))
	_, err = p.Capture(context.Background(), other.URL+"/dump")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"own": "GET Bearer tok-1234567 t1", "other": "GET  "}, seen)

	cfg.MaxBody = 4
	p, err = Compile(cfg)
	require.NoError(t, err)
	_, err = p.Capture(context.Background(), own.URL+"/x?token=abcdef99")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "abcdef99")
}
