// Package demo is the built-in sample endpoint behind `jsonprobe demo`: the
// health document of package health with the live values of the running
// process, the goroutine profiles beside it, and goroutines leaked on
// demand, so that a newcomer can watch the checks go from OK to WARNING to
// CRITICAL and the leak profile name the culprit.
package demo

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/jsonprobe/jsonprobe/health"
)

// Server is a running sample endpoint.
type Server struct {
	URL  string // the health document's URL
	Root string // the server's URL, without a path
	srv  *http.Server
	leak *leaker
}

// Start serves the sample endpoint on a random port of 127.0.0.1.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &leaker{max: MaxLeaked}
	root := "http://" + ln.Addr().String()
	s := &Server{
		URL:  root + health.Path,
		Root: root,
		srv:  &http.Server{Handler: newHandler(l), ReadHeaderTimeout: 5 * time.Second},
		leak: l,
	}
	// Serve returns only when Close shuts the server down.
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the endpoint. The goroutines it leaked stay: nothing can end
// them, which is the point.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
