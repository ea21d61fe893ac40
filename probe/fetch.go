package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jsonprobe/jsonprobe/redact"
)

// Response is the fetched document and what was measured getting it.
type Response struct {
	Status   int           // HTTP status code; 0 for a file or stdin
	Body     []byte        // at most cfg.MaxBody bytes (decoded, when gzip-encoded)
	Size     int64         // len(Body)
	Duration time.Duration // time to fetch (request sent to body read)
	// CertDays is, for https, the days (fractional) until the earliest
	// expiry among the peer certificates; nil otherwise.
	CertDays    *float64
	ContentType string // the Content-Type header; "" for a file or stdin
}

// FetchError is why a target could not be read. Its message is one short
// line for the status line, made only of the operation, the target and a
// reason worded for a person (the Report holds it redacted):
//
//	GET http://127.0.0.1:1/health: connection refused
//	GET https://host/: TLS: certificate signed by unknown authority
//	open "x.json": no such file
//
// Err is the cause, for errors.Is and errors.As: a timeout always matches
// context.DeadlineExceeded. The cause's own text is never part of the
// message, since it may quote the URL unredacted.
type FetchError struct {
	Op     string // "GET", "POST", …, "open", "read"
	Target string // the URL, the quoted file name, or "stdin"
	Reason string // e.g. "connection refused", "timed out after 10s"
	Err    error  // the cause
	// Size is, for a body over the cap, its declared length or the bytes
	// read before giving up; 0 otherwise.
	Size int64
}

// Error returns "op target: reason".
func (e *FetchError) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Target != "" {
		b.WriteByte(' ')
		b.WriteString(e.Target)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// Timeout reports whether the fetch ran out of time, as net.Error does.
func (e *FetchError) Timeout() bool { return errors.Is(e.Err, context.DeadlineExceeded) }

// errTooManyRedirects stops a redirect chain longer than DefaultRedirects.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", DefaultRedirects)

// NewHTTPClient builds the *http.Client for cfg: a clone of
// http.DefaultTransport (so it keeps the proxy environment variables and
// HTTP/2) with TLS from cfg, and redirects followed up to DefaultRedirects
// unless cfg.NoFollow, in which case the 3xx response itself is returned.
//
// TLS verification is on unless cfg.Insecure. cfg.CAFile, when set,
// replaces the system roots. cfg.ClientCert and cfg.ClientKey are given
// both or neither. Errors name the file: ca file "x.pem": no certificates
// found. The client has no timeout of its own: Fetch's context bounds it.
func NewHTTPClient(cfg *Config) (*http.Client, error) {
	tlsConf, err := tlsConfig(cfg)
	if err != nil {
		return nil, err
	}
	t := &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	if def, ok := http.DefaultTransport.(*http.Transport); ok { // unless a program replaced it
		t = def.Clone()
	}
	t.TLSClientConfig = tlsConf
	// Decoded by decodedBody, through the cap, with pooled decoders.
	t.DisableCompression = true
	// Keep-alive with a bounded idle pool (100 connections, 90 s, from the
	// default transport): a long-running front-end's concurrent probes of
	// one target reuse up to 64 connections instead of the default 2.
	t.MaxIdleConnsPerHost = 64
	// The default 10s handshake limit would cut a longer --timeout short
	// and report it as a different error; the context is the deadline.
	if cfg.Timeout > t.TLSHandshakeTimeout {
		t.TLSHandshakeTimeout = cfg.Timeout
	}
	return &http.Client{Transport: t, CheckRedirect: redirectPolicy(cfg.NoFollow)}, nil
}

// tlsConfig is cfg's TLS: verification unless Insecure, the CAs of CAFile,
// the client certificate, and a session cache, so that a new connection to
// a host seen before resumes its session instead of a full handshake.
func tlsConfig(cfg *Config) (*tls.Config, error) {
	tlsConf := &tls.Config{InsecureSkipVerify: cfg.Insecure, ClientSessionCache: tls.NewLRUClientSessionCache(0)}
	if cfg.CAFile != "" {
		pem, err := ReadFileArg("ca file", cfg.CAFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ca file %q: no certificates found", cfg.CAFile)
		}
		tlsConf.RootCAs = pool
	}
	switch {
	case cfg.ClientCert != "" && cfg.ClientKey != "":
		pair, err := clientCert(cfg.ClientCert, cfg.ClientKey)
		if err != nil {
			return nil, err
		}
		tlsConf.Certificates = []tls.Certificate{pair}
	case cfg.ClientCert != "":
		return nil, fmt.Errorf("client cert %q: no client key (--client-key)", cfg.ClientCert)
	case cfg.ClientKey != "":
		return nil, fmt.Errorf("client key %q: no client certificate (--client-cert)", cfg.ClientKey)
	}
	return tlsConf, nil
}

// clientCert reads the pair from its files here rather than with
// tls.LoadX509KeyPair, so that an error says which of the two is wrong.
func clientCert(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := ReadFileArg("client cert", certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := ReadFileArg("client key", keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("client cert %q, key %q: %w", certFile, keyFile, err)
	}
	return pair, nil
}

// redirectPolicy follows up to DefaultRedirects redirects, or none (the 3xx
// is the response) with noFollow, and sends no credential header to
// another host.
func redirectPolicy(noFollow bool) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if noFollow {
			return http.ErrUseLastResponse
		}
		// via holds the requests made so far: the 10th redirect makes the
		// 11th request, which is still allowed.
		if len(via) > DefaultRedirects {
			return errTooManyRedirects
		}
		// Go drops Authorization and Cookie on a redirect to another host;
		// do the same for the other credential headers.
		if req.URL.Host != via[0].URL.Host {
			for name := range req.Header {
				if redact.IsSecretHeader(name) {
					req.Header.Del(name)
				}
			}
		}
		return nil
	}
}

// Fetch reads cfg.Target: an http:// or https:// URL with client, a file
// path, or "-" from stdin. It stops at ctx's deadline. At most cfg.MaxBody
// bytes are read (DefaultMaxBody when it is not positive); a larger body is
// an error, never a truncated document.
//
// Any HTTP status is a Response, not an error: whether it is expected is
// the caller's decision. A nil client means NewHTTPClient(cfg). An error
// reading the target is a *FetchError; its text is redacted by the
// Redactor of cfg's secrets.
func Fetch(ctx context.Context, client *http.Client, cfg *Config, stdin io.Reader) (*Response, error) {
	if kind, _ := checkTarget(cfg.Target); client == nil && kind == targetHTTP {
		c, err := NewHTTPClient(cfg)
		if err != nil {
			return nil, err
		}
		client = c
	}
	resp, err := newFetcher(client, cfg, stdin, time.Now, cfg.Timeout).fetch(ctx, cfg.Target)
	if err != nil {
		return nil, redactedError{cfg.Redactor().Message(err.Error()), err}
	}
	return resp, nil
}

// fetcher is one run's way to read a target: the client, the request
// settings, stdin, the clock, and the probe's deadline as its errors name
// it (the scrape's when that is shorter than the checks file's).
type fetcher struct {
	client  *http.Client
	cfg     *Config
	stdin   io.Reader
	now     func() time.Time
	timeout time.Duration
	limit   int64 // the body cap, cfg.MaxBody or DefaultMaxBody
}

func newFetcher(client *http.Client, cfg *Config, stdin io.Reader, now func() time.Time, timeout time.Duration) fetcher {
	limit := cfg.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	return fetcher{client: client, cfg: cfg, stdin: stdin, now: now, timeout: timeout, limit: limit}
}

// fetch reads target. Its errors quote the target as given: the caller
// redacts them where they enter the Report.
func (f fetcher) fetch(ctx context.Context, target string) (*Response, error) {
	kind, err := checkTarget(target)
	switch {
	case err != nil:
		return nil, err
	case kind == targetStdin:
		return f.fetchReader(ctx, f.stdin, "stdin")
	case kind == targetHTTP:
		return f.fetchHTTP(ctx, target)
	default:
		return f.fetchFile(ctx, target)
	}
}

func (f fetcher) fetchHTTP(ctx context.Context, target string) (*Response, error) {
	method := f.cfg.Method
	if method == "" {
		method = http.MethodGet
	}
	fail := func(reason string, err error) error {
		return &FetchError{Op: method, Target: target, Reason: reason, Err: err}
	}
	var body io.Reader
	if f.cfg.Body != nil {
		// A *bytes.Reader sets ContentLength and GetBody, so a 307 or 308
		// redirect can send the body again.
		body = bytes.NewReader(f.cfg.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		// The url package's message quotes the URL: keep only its reason.
		cause := requestCause(err)
		return nil, fail("invalid request: "+cause.Error(), cause)
	}
	if err := setHeaders(req, f.cfg); err != nil {
		return nil, fail(err.Error(), err)
	}
	start := f.now()
	resp, err := f.client.Do(req)
	if err != nil {
		reason, cause := transportReason(ctx, f.timeout, err)
		// After a redirect the failing address is another one: name it.
		var ue *url.Error
		if errors.As(err, &ue) && !sameURL(ue.URL, req.URL) && !errors.Is(err, errTooManyRedirects) {
			reason = "redirected to " + ue.URL + ": " + reason
		}
		return nil, fail(reason, cause)
	}
	// Closed after the body is read to its end, the connection goes back
	// to the pool; a body left unread would cost the next probe a new
	// connection (and, over TLS, a handshake).
	defer resp.Body.Close()
	data, err := f.readBody(ctx, resp, fail)
	if err != nil {
		return nil, err
	}
	r := &Response{Status: resp.StatusCode, Body: data, Size: int64(len(data)), Duration: f.now().Sub(start),
		ContentType: resp.Header.Get("Content-Type"), CertDays: certDays(resp.TLS, f.now())}
	return r, nil
}

// readBody reads resp's body, decoded, through the cap; fail words its
// errors as the request's.
func (f fetcher) readBody(ctx context.Context, resp *http.Response, fail func(string, error) error) ([]byte, error) {
	body, size, release, err := decodedBody(resp)
	var bad badGzip
	switch {
	case errors.As(err, &bad):
		return nil, fail(bad.reason(), err)
	case err != nil:
		return nil, fail(err.Error(), err)
	}
	defer release()
	// A declared length over the cap is refused before a byte is read.
	data, err := readCapped(body, f.limit, size)
	switch {
	case errors.Is(err, errTooLarge):
		fe := fail(tooLargeReason("body", f.limit), err).(*FetchError)
		fe.Size = tooLargeSize(err)
		return nil, fe
	case errors.As(err, &bad):
		return nil, fail(bad.reason(), err)
	case err != nil:
		reason, cause := transportReason(ctx, f.timeout, err)
		return nil, fail("reading body: "+reason, cause)
	}
	return data, nil
}

// certDays is, for a TLS connection, the days (fractional) from now until
// the earliest expiry among the peer certificates; nil otherwise.
func certDays(cs *tls.ConnectionState, now time.Time) *float64 {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return nil
	}
	first := cs.PeerCertificates[0].NotAfter
	for _, c := range cs.PeerCertificates[1:] {
		if c.NotAfter.Before(first) {
			first = c.NotAfter
		}
	}
	days := first.Sub(now).Hours() / 24
	return &days
}

// setHeaders puts cfg's headers, credentials and the defaults on req.
// The user's headers come first, in order; basic auth and then the bearer
// token replace an Authorization header among them; User-Agent and Accept
// are set only when the user did not set them.
func setHeaders(req *http.Request, cfg *Config) error {
	for _, h := range cfg.Headers {
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value
			continue
		}
		// The value is not quoted: it may be a secret.
		if !validHeaderName(h.Name) {
			return fmt.Errorf("invalid header name %q", h.Name)
		}
		req.Header.Add(h.Name, h.Value)
	}
	if cfg.BasicAuth != "" {
		user, pass, _ := strings.Cut(cfg.BasicAuth, ":")
		req.SetBasicAuth(user, pass)
	}
	if cfg.BearerToken != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.BearerToken)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "jsonprobe")
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	// As net/http's transport would; the body is decoded by decodedBody,
	// through the cap, also when the user asked for gzip themselves.
	if req.Header.Get("Accept-Encoding") == "" && req.Header.Get("Range") == "" && req.Method != http.MethodHead {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if cfg.Body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return nil
}

// sameURL reports whether shown, the URL a transport error names (with
// any password as "***"), is u: the error came before any redirect.
func sameURL(shown string, u *url.URL) bool {
	v, err := url.Parse(shown)
	if err != nil {
		return false
	}
	w := *u
	v.User, w.User = nil, nil
	return v.String() == w.String()
}

// requestCause is an http.NewRequest error without the *url.Error around it,
// which quotes the URL.
func requestCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// transportReason turns a transport error into a short reason, and the cause to
// keep: the error inside *url.Error, whose own text quotes the URL. A
// timeout's cause always matches context.DeadlineExceeded.
func transportReason(ctx context.Context, timeout time.Duration, err error) (reason string, cause error) {
	cause = err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(cause, context.DeadlineExceeded):
		return timedOut(timeout), withDeadline(cause)
	case errors.Is(ctx.Err(), context.Canceled):
		return interrupted(ctx)
	case errors.Is(cause, errTooManyRedirects):
		return errTooManyRedirects.Error(), cause
	}
	if reason, c, ok := networkReason(cause); ok {
		return reason, c
	}
	if reason, ok := tlsReason(cause); ok {
		return reason, cause
	}
	switch {
	case errors.Is(cause, io.ErrUnexpectedEOF):
		return "unexpected EOF", cause
	case errors.Is(cause, io.EOF):
		return "connection closed by the server without a response", cause
	case strings.HasPrefix(innermost(cause), "readLoopPeekFailLocked"):
		// net/http's words when the server spoke before the request was
		// written (an SSH or SMTP banner) and it dropped what came.
		return "the server sent data before the request: not an HTTP server?", cause
	}
	return plainReason(innermost(cause)), cause
}

// networkReason words a failure to look up or reach the host; ok is false
// for another error.
func networkReason(cause error) (reason string, c error, ok bool) {
	var (
		ne     net.Error
		dnsErr *net.DNSError
	)
	switch {
	case errors.As(cause, &dnsErr):
		if dnsErr.IsNotFound {
			return fmt.Sprintf("cannot resolve host %q", dnsErr.Name), cause, true
		}
		if dnsErr.IsTimeout {
			return fmt.Sprintf("cannot resolve host %q: DNS timed out", dnsErr.Name), withDeadline(cause), true
		}
		return fmt.Sprintf("cannot resolve host %q: %s", dnsErr.Name, dnsErr.Err), cause, true
	case errors.As(cause, &ne) && ne.Timeout():
		// A transport limit rather than the probe's deadline, e.g.
		// "net/http: TLS handshake timeout".
		return "timed out: " + plainReason(innermost(cause)), withDeadline(cause), true
	case errors.Is(cause, syscall.ECONNREFUSED):
		return "connection refused", cause, true
	case errors.Is(cause, syscall.ECONNRESET):
		return "connection reset by peer", cause, true
	case errors.Is(cause, syscall.EHOSTUNREACH), errors.Is(cause, syscall.ENETUNREACH):
		return "no route to host", cause, true
	}
	return "", cause, false
}

// tlsReason words a failed TLS handshake; ok is false for another error.
func tlsReason(cause error) (reason string, ok bool) {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		recordErr tls.RecordHeaderError
		opErr     *net.OpError
	)
	switch {
	case errors.As(cause, &unknownCA):
		// Its message may go on about a candidate authority; the first
		// clause is the reason.
		return "TLS: certificate signed by unknown authority", true
	case errors.As(cause, &hostErr):
		return "TLS: " + trimX509(hostErr.Error()), true
	case errors.As(cause, &invalid):
		return "TLS: " + trimX509(invalid.Error()), true
	case errors.As(cause, &verifyErr):
		return "TLS: " + trimX509(verifyErr.Err.Error()), true
	case errors.As(cause, &recordErr):
		return "TLS: the server did not answer with TLS (an http:// URL?)", true
	case errors.As(cause, &opErr) && opErr.Op == "remote error":
		// A TLS alert from the server, e.g. "tls: certificate required"
		// when it wants a client certificate.
		return "TLS: server refused the handshake: " + strings.TrimPrefix(opErr.Err.Error(), "tls: "), true
	}
	return "", false
}

// plainReason drops the package prefixes from a transport message and keeps
// it to one status line.
func plainReason(s string) string {
	for _, p := range []string{"net/http: ", "HTTP/1.x transport connection broken: ", "http: "} {
		s = strings.TrimPrefix(s, p)
	}
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	const maxReason = 200
	if len(s) > maxReason {
		s = strings.ToValidUTF8(s[:maxReason], "") + "…"
	}
	return s
}

// ErrInterrupted is the cause of a fetch that the caller ended before the
// probe's deadline, as a monitoring core's SIGTERM or Ctrl-C does: the probe
// could not decide, so the report is UNKNOWN whatever on_error says.
var ErrInterrupted = errors.New("interrupted")

// interrupted is the reason and cause for a fetch whose context the caller
// canceled; the reason names the context's cause, such as "terminated
// signal received".
func interrupted(ctx context.Context) (reason string, cause error) {
	c := context.Cause(ctx)
	return "interrupted (" + c.Error() + ")", fmt.Errorf("%w: %w", ErrInterrupted, c)
}

// timedOut is the reason for a fetch that hit the probe's deadline.
func timedOut(timeout time.Duration) string {
	if timeout > 0 {
		return "timed out after " + timeout.String()
	}
	return "timed out"
}

// withDeadline makes sure a timeout's cause matches context.DeadlineExceeded.
func withDeadline(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%w: %w", context.DeadlineExceeded, err)
}

// innermost returns the text of err without the "dial tcp 127.0.0.1:80: "
// style prefixes of *net.OpError: addresses are noise in a status line.
func innermost(err error) string {
	var opErr *net.OpError
	for errors.As(err, &opErr) && opErr.Err != nil {
		err = opErr.Err
	}
	var sysErr *os.SyscallError
	if errors.As(err, &sysErr) {
		err = sysErr.Err
	}
	return err.Error()
}

// trimX509 drops the package prefixes of a certificate error.
func trimX509(s string) string {
	s = strings.TrimPrefix(s, "tls: failed to verify certificate: ")
	return strings.TrimPrefix(s, "x509: ")
}

// fetchFile reads the file target.
func (f fetcher) fetchFile(ctx context.Context, target string) (*Response, error) {
	name := strconv.Quote(target)
	// Opening a FIFO blocks until a writer comes: open inside the read,
	// which stops waiting at the deadline.
	open := func() (io.ReadCloser, error) {
		file, err := os.Open(target)
		if err != nil {
			return nil, &FetchError{Op: "open", Target: name, Reason: fileReason(err), Err: err}
		}
		if fi, err := file.Stat(); err == nil && fi.IsDir() {
			file.Close()
			return nil, &FetchError{Op: "read", Target: name, Reason: "is a directory, not a file", Err: syscall.EISDIR}
		}
		return file, nil
	}
	return f.finishReader(ctx, open, name)
}

// fetchReader reads stdin (or what stands for it in a test).
func (f fetcher) fetchReader(ctx context.Context, r io.Reader, name string) (*Response, error) {
	if r == nil {
		return nil, &FetchError{Op: "read", Target: name, Reason: "no standard input", Err: os.ErrInvalid}
	}
	open := func() (io.ReadCloser, error) { return io.NopCloser(r), nil }
	return f.finishReader(ctx, open, name)
}

// finishReader opens and reads a file or stdin through the cap, giving up
// at ctx's deadline.
func (f fetcher) finishReader(ctx context.Context, open func() (io.ReadCloser, error), name string) (*Response, error) {
	start := f.now()
	data, err := readAbandonable(ctx, open, f.limit)
	var fe *FetchError
	switch {
	case errors.As(err, &fe):
		return nil, fe
	case errors.Is(err, context.DeadlineExceeded):
		return nil, &FetchError{Op: "read", Target: name, Reason: timedOut(f.timeout), Err: err}
	case errors.Is(err, context.Canceled):
		reason, cause := interrupted(ctx)
		return nil, &FetchError{Op: "read", Target: name, Reason: reason, Err: cause}
	case errors.Is(err, errTooLarge):
		return nil, &FetchError{Op: "read", Target: name, Reason: tooLargeReason("input", f.limit), Err: err, Size: tooLargeSize(err)}
	case err != nil:
		return nil, &FetchError{Op: "read", Target: name, Reason: fileReason(err), Err: err}
	}
	return &Response{Body: data, Size: int64(len(data)), Duration: f.now().Sub(start)}, nil
}

// readAbandonable opens and reads through the cap, or gives up at ctx's
// end with ctx.Err(). A file or a pipe cannot be interrupted portably, and
// a terminal on stdin or a FIFO without a writer would block forever: it
// opens and reads in a goroutine and stops waiting at the deadline. Giving
// up closes what was opened, which ends a read blocked on a pipe or FIFO,
// so that a long-running process does not keep the goroutine; only an
// open(2) that waits for a FIFO's writer, or a read of a caller's
// io.Reader, stays until that returns.
func readAbandonable(ctx context.Context, open func() (io.ReadCloser, error), limit int64) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	var (
		mu     sync.Mutex
		opened io.Closer
		gaveUp bool
	)
	done := make(chan result, 1)
	go func() {
		rc, err := open()
		if err != nil {
			done <- result{nil, err}
			return
		}
		mu.Lock()
		if gaveUp {
			mu.Unlock()
			rc.Close()
			done <- result{nil, ctx.Err()}
			return
		}
		opened = rc
		mu.Unlock()
		data, err := readCapped(rc, limit, regularSize(rc))
		rc.Close()
		done <- result{data, err}
	}()
	select {
	case res := <-done:
		return res.data, res.err
	case <-ctx.Done():
		mu.Lock()
		gaveUp = true
		if opened != nil {
			opened.Close()
		}
		mu.Unlock()
		return nil, ctx.Err()
	}
}

// tooLargeReason is the reason for a document over the cap.
func tooLargeReason(what string, limit int64) string {
	return fmt.Sprintf("%s larger than %s (--max-body)", what, humanSize(limit))
}

// humanSize writes n bytes in binary units: 512B, 1KiB, 1.5MiB, 16MiB,
// rounded to two decimals.
func humanSize(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strconv.FormatFloat(roundTo(v, 2), 'f', -1, 64) + units[i]
}

// Capture reads rawURL (GET, no request body) with the probe's client,
// within the Config's timeout and body cap: what a front-end keeps as
// evidence. The Config's headers and credentials go with it only when
// rawURL has the target's origin, never to another. Its error is redacted.
func (p *Probe) Capture(ctx context.Context, rawURL string) (*Response, error) {
	c := *p.cfg
	c.Method, c.Body = http.MethodGet, nil
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if !sameOrigin(rawURL, p.cfg.Target) {
		c.Headers, c.BearerToken, c.BasicAuth = nil, "", ""
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	resp, err := newFetcher(p.client, &c, nil, p.now, c.Timeout).fetch(ctx, rawURL)
	if err != nil {
		return nil, redactedError{p.redact.WithURL(rawURL).Message(err.Error()), err}
	}
	return resp, nil
}

// sameOrigin reports whether the URLs a and b have one scheme, host and
// port.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" &&
		strings.EqualFold(ua.Scheme, ub.Scheme) && strings.EqualFold(ua.Host, ub.Host)
}
