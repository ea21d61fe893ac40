// Package demo is the built-in sample health endpoint behind `jsonprobe
// demo`: the health document of the operators' monitoring guide, filled with
// live values of the running process.
package demo

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"runtime"
	"time"
)

// HealthPath is where the sample endpoint serves its document.
const HealthPath = "/api/monitor/health"

// Health is the sample health document.
type Health struct {
	Status     string `json:"status"`
	Goroutines int    `json:"goroutines"`
	Memory     Memory `json:"memory"`
}

// Memory is the memory part of the sample document, in whole MiB.
type Memory struct {
	AllocMB      uint64 `json:"alloc_mb"`
	TotalAllocMB uint64 `json:"total_alloc_mb"`
	SysMB        uint64 `json:"sys_mb"`
	NumGC        uint32 `json:"num_gc"`
}

// Current reads the live values of this process.
func Current() Health {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	const mib = 1 << 20
	return Health{
		Status:     "ok",
		Goroutines: runtime.NumGoroutine(),
		Memory:     Memory{AllocMB: m.Alloc / mib, TotalAllocMB: m.TotalAlloc / mib, SysMB: m.Sys / mib, NumGC: m.NumGC},
	}
}

// Handler serves the live health document at HealthPath.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+HealthPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(Current())
	})
	return mux
}

// Server is a running sample endpoint.
type Server struct {
	URL string // the health document's URL
	srv *http.Server
}

// Start serves the sample endpoint on a random port of 127.0.0.1.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		URL: "http://" + ln.Addr().String() + HealthPath,
		srv: &http.Server{Handler: Handler(), ReadHeaderTimeout: 5 * time.Second},
	}
	// Serve returns only when Close shuts the server down.
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the endpoint.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
