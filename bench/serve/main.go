// Command serve serves the files of a folder on random ports of 127.0.0.1
// for the benchmarks, in the shapes real services answer with, and prints
// its two base URLs, plain and TLS, one per line:
//
//	serve [-ca FILE] DIR
//	http://127.0.0.1:41234
//	https://127.0.0.1:41235
//
// Under either base, /NAME is the file with a Content-Length (as a file
// server sends it), /chunked/NAME the same bytes written in two pieces
// with no length (as net/http streams a body it did not buffer), and
// /gzip/NAME gzip-encoded with no length (as compression middleware
// sends it, whatever the request's Accept-Encoding). The TLS listener's
// certificate is self-signed for 127.0.0.1; -ca writes it as PEM, for the
// clients to trust.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/jsonprobe/jsonprobe/internal/fixture"
)

func main() {
	caFile := flag.String("ca", "", "write the TLS certificate here (PEM)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: serve [-ca FILE] DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *caFile); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(dir, caFile string) error {
	cert, certPEM, err := selfSigned()
	if err != nil {
		return err
	}
	if caFile != "" {
		if err := os.WriteFile(caFile, certPEM, 0o644); err != nil {
			return err
		}
	}
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	secure, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("http://%s\nhttps://%s\n", plain.Addr(), secure.Addr())
	_ = os.Stdout.Sync()

	h := shapes(dir)
	tlsSrv := &http.Server{Handler: h, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	errs := make(chan error, 2)
	go func() { errs <- http.Serve(plain, h) }()
	go func() { errs <- tlsSrv.ServeTLS(secure, "", "") }()
	return <-errs
}

// shapes serves dir's files as they are (with a length), chunked and
// gzip-encoded. The files are read once and kept: the server's own cost
// stays small beside the clients'.
func shapes(dir string) http.Handler {
	type file struct{ body, zipped []byte }
	var (
		mu    sync.Mutex
		cache = map[string]file{}
	)
	load := func(name string) (file, bool) {
		mu.Lock()
		defer mu.Unlock()
		if f, ok := cache[name]; ok {
			return f, true
		}
		b, err := os.ReadFile(path.Join(dir, path.Clean("/"+name)))
		if err != nil {
			return file{}, false
		}
		cache[name] = file{b, fixture.Gzip(b)}
		return cache[name], true
	}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		shape, name, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if shape != "chunked" && shape != "gzip" {
			files.ServeHTTP(w, r)
			return
		}
		f, ok := load(name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fixture.WriteShaped(w, shape, f.body, f.zipped)
	})
}

// selfSigned makes a certificate for 127.0.0.1 valid for a day.
func selfSigned() (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "jsonprobe bench"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, certPEM, nil
}
