package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jsonprobe/jsonprobe/internal/testcert"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// The secrets every hardening row is configured with. They are distinctive so
// that a leak into any output is found by a plain substring search.
const (
	hardBearer = "hb-Bearer-5ecret-Q7xV9w"
	hardBasic  = "hb-BasicPw-K3m8Zr"
	hardKuma   = "hbKumaPushTok4R1"
)

// hardeningMargin is how far past its deadline a row may end: process
// scheduling and the parallel rows' work, not another timeout.
const hardeningMargin = 1500 * time.Millisecond

// stackTraceMarks betray a panic or a runtime crash in an output.
var stackTraceMarks = []string{"goroutine ", "panic:", "runtime."}

// hardeningRow is one hostile situation: what the probe is given, and the
// exit code and first line a person reading Nagios must see.
type hardeningRow struct {
	name string
	// args starts the row's servers and returns the arguments; the harness
	// adds the secrets (files, or the environment when serial).
	args func(t *testing.T) []string
	// wantCode is the exact exit code; anyCode accepts 0..3 (generated rows).
	wantCode int
	anyCode  bool
	// wantFirst is the whole first stdout line, exact except for the
	// placeholders {port}, {num} (a decimal), {path} (a temporary file
	// path) and {any}. Empty means stdout must be empty.
	wantFirst string
	// wantStderr is the same kind of pattern for the whole of stderr,
	// trimmed; empty means stderr must be empty.
	wantStderr string
	// serial rows give the secrets through the environment (t.Setenv) and
	// so cannot run in parallel; they are the rows that pass a secret file
	// of their own.
	serial bool
	// check makes further assertions on the outputs.
	check func(t *testing.T, stdout, stderr string)
}

// TestHardening drives the whole command against hostile networks, hostile
// responses and hostile operator input. Every row asserts the exact exit
// code, the first line, that the run ended within its deadline, that no
// output holds a stack trace, and that none of the configured secrets
// appears anywhere.
func TestHardening(t *testing.T) {
	dir := t.TempDir()
	secretFile := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	h := &hardening{
		tokenFile: secretFile("token", hardBearer+"\n"),
		basicFile: secretFile("basic", "probe:"+hardBasic+"\n"),
	}
	groups := []struct {
		name string
		rows []hardeningRow
	}{
		{"network", h.networkRows()},
		{"response", h.responseRows()},
		{"operator", h.operatorRows()},
		{"config", h.configRows()},
		{"secrets", h.secretRows()},
		{"kuma", h.kumaRows()},
		{"corpus", h.corpusRows(t)},
	}
	for _, g := range groups {
		// A group with serial rows (they set the environment) runs in the
		// test's own body, before any parallel group starts.
		serial := slices.ContainsFunc(g.rows, func(r hardeningRow) bool { return r.serial })
		t.Run(g.name, func(t *testing.T) {
			if !serial {
				t.Parallel()
			}
			for _, row := range g.rows {
				t.Run(row.name, func(t *testing.T) {
					if !row.serial {
						t.Parallel()
					}
					h.run(t, row)
				})
			}
		})
	}
}

// runMu makes the rows' runs of the command take turns.
var runMu sync.Mutex

// hardening holds what the rows share: the secret files.
type hardening struct {
	tokenFile, basicFile string
}

// run runs one row and makes the assertions every row shares.
func (h *hardening) run(t *testing.T, row hardeningRow) {
	args := row.args(t)
	if row.serial {
		t.Setenv("JSONPROBE_BEARER_TOKEN", hardBearer)
		t.Setenv("JSONPROBE_BASIC_AUTH", "probe:"+hardBasic)
	} else {
		// Before the row's own arguments: a row may end on a flag that
		// lacks its value.
		args = append([]string{"--bearer-token-file", h.tokenFile, "--basic-auth-file", h.basicFile}, args...)
	}
	// The run must end by its -t (10s by default), twice that with a Kuma
	// push, plus hardeningMargin.
	deadline := budget(args)

	// Rows set up their servers and check their outputs in parallel, but
	// run the command one at a time: urfave/cli's App writes to its global
	// HelpFlag on every run, which the race detector reports.
	runMu.Lock()
	start := time.Now()
	code, stdout, stderr := runArgs(t, args...)
	took := time.Since(start)
	runMu.Unlock()

	if row.anyCode {
		assert.True(t, code >= 0 && code <= 3, "exit %d out of 0..3", code)
		assert.Regexp(t, `^JSONPROBE (OK|WARNING|CRITICAL|UNKNOWN) - `, firstLine(stdout))
	} else {
		assert.Equal(t, row.wantCode, code, "exit code\nstdout: %s\nstderr: %s", stdout, stderr)
		assertPattern(t, "first line", row.wantFirst, firstLine(stdout))
		assertPattern(t, "stderr", row.wantStderr, strings.TrimSpace(stderr))
	}
	if state, _, ok := strings.Cut(strings.TrimPrefix(firstLine(stdout), "JSONPROBE "), " - "); ok && strings.HasPrefix(stdout, "JSONPROBE ") {
		assert.Equal(t, []string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}[min(max(code, 0), 3)], state,
			"the status line's state and the exit code %d disagree", code)
	}
	assert.LessOrEqual(t, took, deadline, "run took %s, deadline %s", took, deadline)
	for _, mark := range stackTraceMarks {
		assert.NotContains(t, stdout+stderr, mark, "stack trace in output")
	}
	assert.NotContains(t, stdout, "Incorrect Usage")
	for _, secret := range []string{hardBearer, hardBasic, hardKuma,
		base64.StdEncoding.EncodeToString([]byte("probe:" + hardBasic))} {
		assert.NotContains(t, stdout+stderr, secret, "secret in output")
	}
	t.Logf("exit %d in %s: %s", code, took.Round(time.Millisecond), firstLine(stdout))
	if t.Failed() {
		t.Logf("args: %q\nstdout:\n%s\nstderr:\n%s", args, stdout, stderr)
	}
	if row.check != nil {
		row.check(t, stdout, stderr)
	}
}

// budget is the time a run with args may take: its -t (10s by default),
// twice that when it also pushes to Kuma (the push has a deadline of its
// own), plus hardeningMargin.
func budget(args []string) time.Duration {
	d := probe.DefaultTimeout
	for i, a := range args {
		if (a == "-t" || a == "--timeout") && i+1 < len(args) {
			if v, err := probe.ParseTimeout(args[i+1]); err == nil {
				d = v
			}
		}
	}
	for _, a := range args {
		if a == "--kuma-url" {
			d *= 2
			break
		}
	}
	return d + hardeningMargin
}

var patternHoles = strings.NewReplacer(
	regexp.QuoteMeta("{port}"), `[0-9]+`,
	regexp.QuoteMeta("{num}"), `-?[0-9]+(?:\.[0-9]+)?`,
	regexp.QuoteMeta("{path}"), `[^"]+`,
	regexp.QuoteMeta("{any}"), `.*`,
)

// assertPattern asserts that got is want, exactly but for want's
// placeholders.
func assertPattern(t *testing.T, what, want, got string) {
	t.Helper()
	re := regexp.MustCompile(`^` + patternHoles.Replace(regexp.QuoteMeta(want)) + `$`)
	if !re.MatchString(got) {
		t.Errorf("%s:\n got: %s\nwant: %s", what, got, want)
	}
}

// Levels used by most rows: the SPEC's goroutine thresholds.
var hardLevels = []string{"-w", "goroutines > 2000", "-c", "goroutines > 5000"}

// errPerf is the perfdata of a run that read no document.
const errPerf = " | time={num}s;;;0 size=0B;;;0"

func withLevels(args ...string) []string { return append(args, hardLevels...) }

// --- servers -----------------------------------------------------------------

// quietServer is an httptest server whose own log (TLS handshake errors
// the rows cause on purpose) is discarded.
func quietServer(t *testing.T, h http.Handler, cert *tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

func handlerURL(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	return quietServer(t, h, nil).URL + "/health"
}

// respond answers every request with status, content type and body.
func respond(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	return handlerURL(t, func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// rawServer accepts TCP connections on loopback and runs script on each,
// for faults below HTTP. done closes when the test ends; every connection
// is closed then too. It returns host:port.
func rawServer(t *testing.T, script func(c *net.TCPConn, done <-chan struct{})) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				script(c.(*net.TCPConn), done)
			}()
		}
	}()
	t.Cleanup(func() {
		close(done)
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// readHead reads the request line and headers.
func readHead(c net.Conn) *bufio.Reader {
	r := bufio.NewReader(c)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			break
		}
	}
	_ = c.SetReadDeadline(time.Time{})
	return r
}

// rawURL serves script and returns its http URL.
func rawURL(t *testing.T, script func(c *net.TCPConn, done <-chan struct{})) string {
	return "http://" + rawServer(t, script) + "/health"
}

// silent reads whatever comes and never writes.
func silent(c *net.TCPConn, _ <-chan struct{}) { _, _ = io.Copy(io.Discard, c) }

// --- certificates ------------------------------------------------------------

// testCA is a certificate authority made for one test run, with its
// certificate in a file for --ca-file.
type testCA struct {
	*testcert.CA
	pemFile string
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	ca := testcert.NewCA(t)
	p := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(p, ca.PEM, 0o600))
	return &testCA{ca, p}
}

// leafSpec is a server certificate to make.
type leafSpec struct {
	notBefore, notAfter time.Time
	dnsNames            []string
	ips                 []net.IP
}

// validFor127 is a certificate for 127.0.0.1 valid now.
func validFor127() leafSpec {
	return leafSpec{time.Now().Add(-time.Hour), time.Now().Add(24 * time.Hour), nil, []net.IP{net.IPv4(127, 0, 0, 1)}}
}

// issue makes a server certificate signed by ca, or self-signed when ca is nil.
func issue(t *testing.T, ca *testCA, spec leafSpec) *tls.Certificate {
	t.Helper()
	var signer *testcert.CA
	if ca != nil {
		signer = ca.CA
	}
	_, _, pair := signer.Issue(t, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "jsonprobe hardening server"},
		NotBefore:   spec.notBefore,
		NotAfter:    spec.notAfter,
		DNSNames:    spec.dnsNames,
		IPAddresses: spec.ips,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return &pair
}

// tlsURL serves the health document over TLS with cert.
func tlsURL(t *testing.T, cert *tls.Certificate) string {
	t.Helper()
	return quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, healthDoc, 1234)
	}), cert).URL + "/health"
}

// --- rows: network -----------------------------------------------------------

func (h *hardening) networkRows() []hardeningRow {
	const okLine = "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=106B;;;0"
	rawHead := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	return []hardeningRow{
		{name: "connection refused", args: func(t *testing.T) []string {
			return withLevels(closedPort(t))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: connection refused" + errPerf},

		{name: "DNS failure", args: func(t *testing.T) []string {
			return withLevels("http://nosuch.invalid/health", "-t", "3")
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - GET http://nosuch.invalid/health: cannot resolve host "nosuch.invalid"` + errPerf},

		{name: "accept then close", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) { readHead(c) }), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: connection closed by the server without a response" + errPerf},

		{name: "accept then silence", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, silent), "-t", "1")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: timed out after 1s" + errPerf},

		// The banner after the request: before it, whether net/http reads it
		// as the answer or drops it as unsolicited depends on timing (that
		// case: TestTransportReasonBanner).
		{name: "not HTTP (an SSH banner)", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6\r\n")
			}), "-t", "2")
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: malformed HTTP response "SSH-2.0-OpenSSH_9.6"` + errPerf},

		{name: "body drips one byte a second past the deadline", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, done <-chan struct{}) {
				readHead(c)
				if _, err := io.WriteString(c, rawHead+"Content-Length: 112\r\n\r\n"); err != nil {
					return
				}
				doc := fmt.Sprintf(healthDoc, 1234)
				for i := 0; i < len(doc); i++ {
					if _, err := c.Write([]byte{doc[i]}); err != nil {
						return
					}
					select {
					case <-done:
						return
					case <-time.After(time.Second):
					}
				}
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: timed out after 2s" + errPerf},

		{name: "connection reset mid-body", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, rawHead+"Content-Length: 1000\r\n\r\n"+`{"status":`)
				_ = c.SetLinger(0) // close sends RST
				_ = c.Close()
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: connection reset by peer" + errPerf},

		{name: "chunked body cut short", args: func(t *testing.T) []string {
			return withLevels(rawURL(t, func(c *net.TCPConn, _ <-chan struct{}) {
				readHead(c)
				_, _ = io.WriteString(c, rawHead+"Transfer-Encoding: chunked\r\n\r\n"+"a\r\n"+`{"status":`+"\r\n")
			}), "-t", "2")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: reading body: unexpected EOF" + errPerf},

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

		{name: "redirect to https with a self-signed certificate", args: func(t *testing.T) []string {
			target := tlsURL(t, issue(t, nil, validFor127()))
			return withLevels(handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusMovedPermanently)
			}))
		}, // A TLS error for an http:// URL needs the https:// hop named.
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET http://127.0.0.1:{port}/health: {any}https://127.0.0.1:{port}/health{any}TLS: certificate signed by unknown authority" + errPerf},

		{name: "redirect to https with a self-signed certificate, -k", args: func(t *testing.T) []string {
			target := tlsURL(t, issue(t, nil, validFor127()))
			return withLevels(handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusMovedPermanently)
			}), "-k")
		}, wantCode: 0, wantFirst: okLine},

		{name: "TLS self-signed", args: func(t *testing.T) []string {
			return withLevels(tlsURL(t, issue(t, nil, validFor127())))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://127.0.0.1:{port}/health: TLS: certificate signed by unknown authority" + errPerf},

		{name: "TLS self-signed, -k", args: func(t *testing.T) []string {
			return withLevels(tlsURL(t, issue(t, nil, validFor127())), "-k")
		}, wantCode: 0, wantFirst: okLine},

		{name: "TLS expired", args: func(t *testing.T) []string {
			ca := newCA(t)
			spec := validFor127()
			spec.notBefore, spec.notAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
			return withLevels(tlsURL(t, issue(t, ca, spec)), "--ca-file", ca.pemFile)
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://127.0.0.1:{port}/health: TLS: certificate has expired or is not yet valid: current time {any} is after {any}" + errPerf},

		{name: "TLS expired, -k", args: func(t *testing.T) []string {
			ca := newCA(t)
			spec := validFor127()
			spec.notBefore, spec.notAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
			return withLevels(tlsURL(t, issue(t, ca, spec)), "--ca-file", ca.pemFile, "-k")
		}, wantCode: 0, wantFirst: okLine},

		{name: "TLS wrong host", args: func(t *testing.T) []string {
			ca := newCA(t)
			spec := validFor127()
			spec.dnsNames, spec.ips = []string{"example.com"}, nil
			return withLevels(tlsURL(t, issue(t, ca, spec)), "--ca-file", ca.pemFile)
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://127.0.0.1:{port}/health: TLS: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs" + errPerf},

		{name: "TLS wrong host name (example.com certificate at localhost)", args: func(t *testing.T) []string {
			ca := newCA(t)
			spec := validFor127()
			spec.dnsNames, spec.ips = []string{"example.com"}, nil
			u := tlsURL(t, issue(t, ca, spec))
			return withLevels(strings.Replace(u, "127.0.0.1", "localhost", 1), "--ca-file", ca.pemFile)
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://localhost:{port}/health: TLS: certificate is valid for example.com, not localhost" + errPerf},

		{name: "TLS wrong host, -k", args: func(t *testing.T) []string {
			ca := newCA(t)
			spec := validFor127()
			spec.dnsNames, spec.ips = []string{"example.com"}, nil
			return withLevels(tlsURL(t, issue(t, ca, spec)), "--ca-file", ca.pemFile, "-k")
		}, wantCode: 0, wantFirst: okLine},

		{name: "TLS trusted through --ca-file", args: func(t *testing.T) []string {
			ca := newCA(t)
			return withLevels(tlsURL(t, issue(t, ca, validFor127())), "--ca-file", ca.pemFile)
		}, wantCode: 0, wantFirst: okLine},

		{name: "TLS handshake never finishes", args: func(t *testing.T) []string {
			return withLevels("https://"+rawServer(t, silent)+"/health", "-t", "1")
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://127.0.0.1:{port}/health: timed out after 1s" + errPerf},

		{name: "https URL to a plain HTTP server", args: func(t *testing.T) []string {
			u := serve(t, 200, "application/json", fmt.Sprintf(healthDoc, 1234))
			return withLevels("https://" + strings.TrimPrefix(u, "http://"))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - GET https://127.0.0.1:{port}/api/monitor/health: server gave HTTP response to HTTPS client" + errPerf},

		{name: "http URL to a TLS server", args: func(t *testing.T) []string {
			u := tlsURL(t, issue(t, nil, validFor127()))
			return withLevels("http://" + strings.TrimPrefix(u, "https://"))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - HTTP 400 (expected 2xx), body is not valid JSON: starts with "Client sent an HTTP request to an HTTPS …" | time={num}s;;;0 size=48B;;;0`},
	}
}

// --- rows: responses ---------------------------------------------------------

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

// perfOf is the perfdata part of a status line.
func perfOf(line string) string {
	_, perf, _ := strings.Cut(line, " | ")
	return perf
}

func (h *hardening) responseRows() []hardeningRow {
	doc := func(n int) string { return fmt.Sprintf(healthDoc, n) }
	statusCheck := []string{"-c", `status != "ok"`}
	number := func(body, check string) func(t *testing.T) []string {
		return func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", body), "-c", check}
		}
	}
	return []hardeningRow{
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

		{name: "empty body", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", ""))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - empty body, expected JSON | time={num}s;;;0 size=0B;;;0"},

		{name: "truncated JSON", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", `{"status":"ok","goroutines":12`))
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"status\":\"ok\",\"goroutines\":12" | time={num}s;;;0 size=30B;;;0`},

		{name: "UTF-8 byte order mark", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", "\xef\xbb\xbf"+doc(1234)))
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=109B;;;0"},

		{name: "invalid UTF-8 in strings", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", "{\"status\":\"ok\xff\xfe\",\"name\":\"caf\xe9\"}"),
				"-v", "-c", `status != "ok"`, "-w", `name == "x"`}
		}, wantCode: 2, wantFirst: `JSONPROBE CRITICAL - status="ok\xff\xfe" != "ok" | time={num}s;;;0 size=31B;;;0`,
			check: func(t *testing.T, stdout, _ string) {
				assert.True(t, utf8.ValidString(stdout), "stdout is not valid UTF-8: %q", stdout)
			}},

		{name: "invalid UTF-8 in strings, -o json", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", "{\"status\":\"ok\xff\xfe\",\"name\":\"caf\xe9\"}"),
				"-o", "json", "-c", `status != "ok"`, "-w", `name == "x"`}
		}, wantCode: 2, wantFirst: `{"schema_version":1,{any}"state":"CRITICAL","exit_code":2,"summary":"status=\"ok\\xff\\xfe\" != \"ok\"",{any}`,
			check: func(t *testing.T, stdout, _ string) {
				assert.True(t, utf8.ValidString(stdout), "stdout is not valid UTF-8: %q", stdout)
				assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line")
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(stdout), &v), "-o json output parses")
				assert.Equal(t, "CRITICAL", v["state"])
			}},

		{name: "number 1e400", args: number(`{"x":1e400}`, "x > 5"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=1e400 > 5 | time={num}s;;;0 size=11B;;;0",
			check: func(t *testing.T, stdout, _ string) {
				perf := perfOf(firstLine(stdout))
				assert.NotRegexp(t, `(?i)inf|nan|[0-9]e[-+]?[0-9]`, perf, "perfdata holds Inf, NaN or e notation")
			}},

		{name: "number 1e400, -o json", args: func(t *testing.T) []string {
			return []string{respond(t, 200, "application/json", `{"x":1e400}`), "-o", "json", "-c", "x > 5"}
		}, wantCode: 2, wantFirst: `{"schema_version":1,{any}"state":"CRITICAL","exit_code":2,"summary":"x=1e400 > 5",{any}`,
			check: func(t *testing.T, stdout, _ string) {
				var v struct {
					Metrics map[string]*float64 `json:"metrics"`
				}
				require.NoError(t, json.Unmarshal([]byte(stdout), &v), "-o json output parses")
				assert.Contains(t, v.Metrics, "time")
			}},

		{name: "number -0 equals 0", args: number(`{"x":-0}`, "x == 0"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=-0 == 0 | x=0 time={num}s;;;0 size=8B;;;0"},

		{name: "number 1.0000000000000001 equals 1 (float)", args: number(`{"x":1.0000000000000001}`, "x == 1"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=1.0000000000000001 == 1 | x=1 time={num}s;;;0 size=24B;;;0"},

		{name: "number 2^63+1 compares exactly", args: number(`{"x":9223372036854775809}`, "x > 9223372036854775808"),
			wantCode: 2, wantFirst: "JSONPROBE CRITICAL - x=9223372036854775809 > 9223372036854775808 | x=9223372036854776000;;~:9223372036854776000 time={num}s;;;0 size=25B;;;0"},

		{name: "NaN literal", args: number(`{"x":NaN}`, "x > 5"),
			wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"x\":NaN}" | time={num}s;;;0 size=9B;;;0`},

		{name: "Infinity literal", args: number(`{"x":-Infinity}`, "x > 5"),
			wantCode: 2, wantFirst: `JSONPROBE CRITICAL - body is not valid JSON: starts with "{\"x\":-Infinity}" | time={num}s;;;0 size=15B;;;0`},

		// A document that is a JSON string holds no array: "[9999]" is text,
		// and reading 9999 out of it is a false alert.
		{name: "string document is not indexed", args: number(`"[9999]"`, "0 > 5000"),
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - 0: not found | time={num}s;;;0 size=8B;;;0"},

		{name: "duplicate keys, the first wins", args: number(`{"x":1,"x":100}`, "x > 50"),
			wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | x=1;;~:50 time={num}s;;;0 size=15B;;;0"},

		{name: "nested 100000 deep", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", strings.Repeat("[", 100000)+strings.Repeat("]", 100000)))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - body is nested deeper than 10000 levels | time={num}s;;;0 size=200000B;;;0"},

		{name: "8000000 open brackets", args: func(t *testing.T) []string {
			return withLevels(respond(t, 200, "application/json", strings.Repeat("[", 8000000)))
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - body is nested deeper than 10000 levels | time={num}s;;;0 size=8000000B;;;0"},

		func() hardeningRow {
			lazy := &lazyBody{done: make(chan struct{})}
			return hardeningRow{name: "1 GiB body streamed", args: func(t *testing.T) []string {
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

// --- rows: operator input ----------------------------------------------------

func (h *hardening) operatorRows() []hardeningRow {
	// usage is a row for bad input: exit 3 with reason on the first line.
	usage := func(name, reason string, args ...string) hardeningRow {
		return hardeningRow{name: name, args: func(*testing.T) []string { return args },
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - " + reason}
	}
	const target = "http://127.0.0.1:1/health" // never contacted
	kumaURL := "https://kuma.example.com/api/push/" + hardKuma + "?status=up&msg=OK&ping="
	return []hardeningRow{
		usage("-t not a duration", `timeout "soon": want seconds (10) or a duration (10s, 1m)`, target, "-t", "soon"),
		usage("-t zero", `timeout "0": must be greater than 0`, target, "-t", "0"),
		usage("-t negative", `timeout "-5s": must be greater than 0`, target, "-t", "-5s"),
		usage("-t over a day", `timeout "25h": at most 24h0m0s`, target, "-t", "25h"),
		usage("--max-body not a size", `--max-body: size "lots": want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576`, target, "--max-body", "lots"),
		usage("--max-body zero", `--max-body: size "0": want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576`, target, "--max-body", "0"),
		usage("--expect-status word", `expect_status "ok": "ok" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "ok"),
		usage("--expect-status 600", `expect_status "200,600": "600" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "200,600"),
		usage("--expect-status reversed range", `expect_status "299-200": "299-200" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "299-200"),
		usage("--on-error unknown word", `--on-error: state "fatal": want ok, warning, critical or unknown`, target, "--on-error", "fatal"),
		usage("--on-missing number", `--on-missing: state "3": want ok, warning, critical or unknown`, target, "--on-missing", "3"),
		usage("-o unknown format", `--output "xml": want nagios, json, kuma or prometheus`, target, "-o", "xml"),
		usage("-o kuma without a push URL", "-o kuma needs the push URL: --kuma-url, JSONPROBE_KUMA_URL or kuma.url_env in the checks file", target, "-o", "kuma"),
		usage("-m bad range", `metric "x;1-10": range "1-10": "1-10" is not a number`, target, "-m", "x;1-10"),
		usage("-m empty path", `metric "=label": missing path`, target, "-m", "=label"),
		usage("-m reserved label", `metric "x=time": label "time" is the fetch's own; choose another`, target, "-m", "x=time"),
		usage("-H without a colon", `-H: header number 1 is not of the form 'Name: value'`, target, "-H", "X-Api-Key "+hardBearer),
		usage("-H bad name", `header "Bad@Name": not a valid header name`, target, "-H", "Bad@Name: v"),
		usage("-H value with a line break", `header "X-Api-Key": its value holds a line break or another control character`, target, "-H", "X-Api-Key: "+hardBearer+"\r\nX-Evil: 1"),
		usage("-w bad expression", `-w: expression "goroutines >> 5000": unexpected ">" at column 13, expected a value`, target, "-w", "goroutines >> 5000"),
		usage("-c unclosed call", `-c: expression "exists(": {any}`, target, "-c", "exists("),
		usage("-c bad regexp", `-c: expression "name =~ \"(\"": {any}`, target, "-c", `name =~ "("`),
		usage("-c number with a unit", `-c: expression "memory > 10%": {any}`, target, "-c", "memory > 10%"),
		usage("-c expression naming the token", `-c: expression "*** >> 1": unexpected ">" at column {num}, expected a value`, target, "-c", hardBearer+" >> 1"),
		usage("--kuma-url not a push URL", "kuma url https://kuma.example.com/dashboard/7: want a Push monitor URL ending in /api/push/TOKEN", target, "--kuma-url", "https://kuma.example.com/dashboard/7"),
		usage("--kuma-url not http", "kuma url ftp://kuma.example.com/api/push/***: want http(s)://host/api/push/TOKEN", target, "--kuma-url", "ftp://kuma.example.com/api/push/"+hardKuma),
		usage("--kuma-url with a push token, bad --kuma-warning-as", `--kuma-warning-as "sideways": want up or down`, target, "--kuma-url", kumaURL, "--kuma-warning-as", "sideways"),
		usage("-X with a space", `method "GE T": not a valid HTTP method`, target, "-X", "GE T"),
		usage("--ca-file missing", `ca file "/nonexistent/ca.pem": no such file`, "https://127.0.0.1:1/", "--ca-file", "/nonexistent/ca.pem"),
		{name: "--ca-file not PEM", args: func(t *testing.T) []string {
			return []string{"https://127.0.0.1:1/", "--ca-file", writeFile(t, "ca.pem", "not a certificate\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - ca file "{path}": no certificates found`},
		usage("--client-cert without --client-key", `client cert "/nonexistent/cert.pem": no client key (--client-key)`, "https://127.0.0.1:1/", "--client-cert", "/nonexistent/cert.pem"),
		usage("--data-file missing", `--data-file "/nonexistent/body.json": no such file`, target, "--data-file", "/nonexistent/body.json"),
		usage("--data and --data-file", "--data and --data-file: give one of them", target, "--data", "{}", "--data-file", "/nonexistent/body.json"),
		usage("unsupported URL scheme", "target ftp://host/health.json: unsupported URL scheme (want http://, https://, a file or -)", "ftp://host/health.json"),
		usage("unsupported URL scheme with a password", "target gopher://user:***@host/: unsupported URL scheme (want http://, https://, a file or -)", "gopher://user:"+hardBasic+"@host/"),
		usage("flag without its value at the end", "flag needs an argument: -c", target, "-c"),
		usage("-t without its value at the end", "flag needs an argument: -t", target, "-t"),
		usage("unknown flag", "flag provided but not defined: -frobnicate", target, "--frobnicate"),
		usage("two targets", "one TARGET expected, got 2: a.json b.json", "a.json", "b.json"),
		usage("no target", "no target: give a URL, file or - as TARGET, -u URL, or url: in the checks file", "-c", "a > 1"),
	}
}

// --- rows: checks files ------------------------------------------------------

// billionLaughs is the alias-expansion bomb, in the one place a checks file
// decodes nested values through aliases: merge keys.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("url: http://127.0.0.1:1/health\n")
	b.WriteString("x0: &l0 {on_error: critical}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x%d: &l%d {<<: [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]}\n")
	}
	b.WriteString("<<: [*l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9]\n")
	return b.String()
}

// billionLaughsList is the classic form, aliases of lists of lists, under a
// key that takes a list.
func billionLaughsList() string {
	var b strings.Builder
	b.WriteString("url: http://127.0.0.1:1/health\n")
	b.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("expect_status: *a9\n")
	return b.String()
}

func (h *hardening) configRows() []hardeningRow {
	// yamlRow runs -f with content (URL replaced by a server of the health
	// document) and expects exit 3 and the reason after the file name.
	yamlRow := func(name, content, reason string) hardeningRow {
		return hardeningRow{name: name, args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", content)}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": ` + reason}
	}
	rows := []hardeningRow{
		yamlRow("YAML unknown key", "url: http://127.0.0.1:1/health\ntimout: 5s\n", `line 2: unknown key "timout" (did you mean timeout?)`),
		yamlRow("YAML unknown key in a check", "url: http://127.0.0.1:1/health\nchecks:\n  - name: g\n    critcal: goroutines > 5000\n", `line 4: unknown key "critcal" (did you mean critical?)`),
		yamlRow("YAML wrong type (list for timeout)", "url: http://127.0.0.1:1/health\ntimeout: [1, 2]\n", `line 2: {any}`),
		yamlRow("YAML wrong type (word for a bool)", "url: http://127.0.0.1:1/health\ninsecure: maybe\n", `line 2: {any}`),
		yamlRow("YAML wrong type (map for checks)", "url: http://127.0.0.1:1/health\nchecks:\n  name: g\n", `line 3: {any}`),
		yamlRow("YAML tab indentation", "url: http://127.0.0.1:1/health\nchecks:\n\t- name: g\n\t  critical: goroutines > 5000\n", `line 3: {any}`),
		yamlRow("YAML second document", "url: http://127.0.0.1:1/health\n---\nurl: http://127.0.0.1:2/health\n", `line {num}: a second YAML document; a checks file holds one`),
		yamlRow("YAML empty file", "", `the file is empty`),
		yamlRow("YAML alias bomb through merge keys", billionLaughs(), `{any}`),
		yamlRow("YAML alias bomb of lists", billionLaughsList(), `{any}`),
		{name: "YAML anchors and aliases", args: func(t *testing.T) []string {
			u := respond(t, 200, "application/json", fmt.Sprintf(healthDoc, 6000))
			return []string{"-f", writeFile(t, "checks.yaml", "url: "+u+"\n"+
				"checks:\n"+
				"  - name: goroutines\n"+
				"    critical: &many goroutines > 5000\n"+
				"  - name: again\n"+
				"    warning: *many\n")}
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - goroutines=6000 > 5000, again=6000 > 5000 | goroutines=6000;;~:5000 again=6000;~:5000 time={num}s;;;0 size=106B;;;0"},
		{name: "config is a directory", args: func(t *testing.T) []string {
			return []string{"-f", t.TempDir()}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}": is a directory, not a file`},
		{name: "config missing", args: func(*testing.T) []string {
			return []string{"-f", "/nonexistent/checks.yaml"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "/nonexistent/checks.yaml": no such file`},
		{name: "config bearer_token_file missing", args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\nbearer_token_file: missing-token\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": bearer_token_file "{path}/missing-token": no such file`},
		{name: "config bearer_token_env not set", args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\nbearer_token_env: JSONPROBE_HARDENING_UNSET\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": bearer_token_env: environment variable JSONPROBE_HARDENING_UNSET is not set`},
	}
	// Root reads a mode-000 file, so the row means nothing when run as root.
	if os.Geteuid() != 0 {
		rows = append(rows, hardeningRow{name: "config unreadable", args: func(t *testing.T) []string {
			p := writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\n")
			require.NoError(t, os.Chmod(p, 0))
			return []string{"-f", p}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": permission denied`})
	}
	return rows
}

// --- rows: secret files --------------------------------------------------------

// secretRows pass secret files of their own, so the configured secrets come
// from the environment instead: serial rows.
func (h *hardening) secretRows() []hardeningRow {
	const target = "http://127.0.0.1:1/health"
	return []hardeningRow{
		{name: "--bearer-token-file missing", serial: true, args: func(*testing.T) []string {
			return []string{target, "--bearer-token-file", "/nonexistent/token"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "/nonexistent/token": no such file`},
		{name: "--bearer-token-file empty", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--bearer-token-file", writeFile(t, "token", "\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "{path}/token": the file is empty`},
		{name: "--bearer-token-file is a directory", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--bearer-token-file", t.TempDir()}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "{path}": is a directory, not a file`},
		{name: "--basic-auth-file missing", serial: true, args: func(*testing.T) []string {
			return []string{target, "--basic-auth-file", "/nonexistent/basic"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --basic-auth-file "/nonexistent/basic": no such file`},
		{name: "--basic-auth-file empty", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--basic-auth-file", writeFile(t, "basic", "")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --basic-auth-file "{path}/basic": the file is empty`},
		{name: "--basic-auth-file without a colon", serial: true, args: func(t *testing.T) []string {
			// The file holds the password alone: the message must not show it.
			return []string{target, "--basic-auth-file", writeFile(t, "basic", hardBasic+"\n")}
		}, wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - basic auth: want user:password"},
		{name: "secrets from the environment reach the server", serial: true, args: func(t *testing.T) []string {
			u := handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]string{"auth": r.Header.Get("Authorization")})
			})
			return []string{u, "-v", "-c", `auth != "Bearer ` + hardBearer + `"`}
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | time={num}s;;;0 size={num}B;;;0"},
	}
}

// --- rows: Kuma push -------------------------------------------------------------

func (h *hardening) kumaRows() []hardeningRow {
	health := func(t *testing.T) string { return respond(t, 200, "application/json", fmt.Sprintf(healthDoc, 1234)) }
	push := func(base string) string { return base + "/api/push/" + hardKuma + "?status=up&msg=OK&ping=" }
	kumaAnswer := func(status int, contentType, body string) func(t *testing.T) string {
		return func(t *testing.T) string {
			return quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", contentType)
				w.WriteHeader(status)
				_, _ = io.WriteString(w, body)
			}), nil).URL
		}
	}
	row := func(name string, kuma func(t *testing.T) string, timeout, stderr string) hardeningRow {
		return hardeningRow{name: name, args: func(t *testing.T) []string {
			return withLevels(health(t), "-o", "kuma", "--kuma-url", push(kuma(t)), "-t", timeout)
		}, wantCode: 3, wantFirst: "", wantStderr: stderr}
	}
	return []hardeningRow{
		row("push refused", func(t *testing.T) string { return strings.TrimSuffix(closedPort(t), "/health") }, "2",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: connection refused"),
		row("push times out", func(t *testing.T) string { return strings.TrimSuffix(blocking(t), "/") }, "1",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 1 attempt: timed out"),
		row("push answers 404 monitor not found", kumaAnswer(404, "application/json", `{"ok":false,"msg":"Monitor not found or not active."}`), "2",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 404: Monitor not found or not active."),
		row("push answers 200 with HTML", kumaAnswer(200, "text/html", "<!DOCTYPE html><html><body>Uptime Kuma</body></html>"), "2",
			`jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 200 without {"ok":true}: not a Kuma push answer (is it the monitor's push URL?)`),
		{name: "push fails next to nagios output", args: func(t *testing.T) []string {
			return withLevels(health(t), "--kuma-url", push(kumaAnswer(404, "application/json", `{"ok":false,"msg":"Monitor not found or not active."}`)(t)), "-t", "2")
		}, // Exit 3 (README) and a status line that says so: Nagios shows
			// the exit code's state next to this line's text.
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - {any}kuma push{any}",
			wantStderr: "jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 404: Monitor not found or not active."},
	}
}

// --- rows: the expression fuzz corpus ----------------------------------------

// fuzzCorpus reads the string values of every file of a go fuzz corpus
// directory; a directory that is not there gives nothing.
func fuzzCorpus(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	out := map[string][]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		require.Equal(t, "go test fuzz v1", lines[0], "%s/%s", dir, e.Name())
		var vals []string
		for _, l := range lines[1:] {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "string(") || !strings.HasSuffix(l, ")") {
				continue
			}
			s, err := strconv.Unquote(l[len("string(") : len(l)-1])
			require.NoError(t, err, "%s/%s: %s", dir, e.Name(), l)
			vals = append(vals, s)
		}
		out[e.Name()] = vals
	}
	return out
}

func (h *hardening) corpusRows(t *testing.T) []hardeningRow {
	const smallDoc = `{"status":"ok","goroutines":1234,"x":5,"items":[1,2,3],"s":"text"}`
	var rows []hardeningRow
	add := func(name, doc string, extra ...string) {
		rows = append(rows, hardeningRow{name: name, anyCode: true, args: func(t *testing.T) []string {
			return append([]string{respond(t, 200, "application/json", doc), "-t", "2", "-v"}, extra...)
		}})
	}
	for _, dir := range []string{"FuzzParse", "FuzzEval", "FuzzPreload"} {
		for file, vals := range fuzzCorpus(t, filepath.Join("probe/expr/testdata/fuzz", dir)) {
			if len(vals) == 0 {
				continue
			}
			add(dir+"/"+file+" against a small document", smallDoc, "-c", vals[0])
			if len(vals) > 1 && vals[1] != "" { // FuzzEval and FuzzPreload: (expression, document)
				add(dir+"/"+file+" against its document", vals[1], "-c", vals[0])
			}
		}
	}
	for file, vals := range fuzzCorpus(t, filepath.Join("probe/expr/testdata/fuzz", "FuzzParseRange")) {
		if len(vals) > 0 {
			add("FuzzParseRange/"+file, smallDoc, "-m", "x;"+vals[0])
		}
	}
	require.NotEmpty(t, rows, "no fuzz corpus found")
	return rows
}
