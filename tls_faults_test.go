package main

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/internal/testcert"

	"github.com/stretchr/testify/require"
)

// TestTLSFaults: certificates the probe must refuse, and accept with -k
// or --ca-file, and a scheme that does not match the server's.
func TestTLSFaults(t *testing.T) {
	runFaults(t, slices.Concat(certificateRows(), schemeRows()))
}

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

// certificateRows: a certificate that does not verify, refused, and
// accepted with -k or --ca-file.
func certificateRows() []faultRow {
	const okLine = "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=106B;;;0"
	return []faultRow{
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
	}
}

// schemeRows: TLS where the URL or the redirect does not lead one to
// expect it, and a handshake that never ends.
func schemeRows() []faultRow {
	const okLine = "JSONPROBE OK - 1 check OK | goroutines=1234;~:2000;~:5000 time={num}s;;;0 size=106B;;;0"
	return []faultRow{
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
