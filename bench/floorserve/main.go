// Command floorserve is the least an exporter can do per probe: its
// /probe handler fetches ?target= with one shared keep-alive client
// (net/http's, with the same idle pool as jsonprobe's), reads the body and
// answers one line. bench/exporter.sh scrapes it beside the exporters: what
// it serves per second is what net/http and the machine allow for the
// shape, whatever an exporter then does with the document.
//
//	floorserve [-ca FILE] ADDR
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	caFile := flag.String("ca", "", "trust this CA (PEM) for https targets")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: floorserve [-ca FILE] ADDR")
		os.Exit(2)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		t.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	client := &http.Client{Transport: t}
	mux := http.NewServeMux()
	mux.HandleFunc("/probe", func(w http.ResponseWriter, r *http.Request) {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, r.URL.Query().Get("target"), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		resp, err := client.Do(req)
		if err != nil {
			fmt.Fprintf(w, "probe_success 0\n")
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			fmt.Fprintf(w, "probe_success 0\n")
			return
		}
		fmt.Fprintf(w, "probe_success 1 bytes %d\n", len(body))
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "up 1") })
	if err := http.ListenAndServe(flag.Arg(0), mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
