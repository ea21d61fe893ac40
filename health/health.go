// Package health serves a Go service's health document, the one operators
// check with curl, jq and jsonprobe:
//
//	GET /api/monitor/health
//	{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}
//
// Handler serves it; Register mounts it with the goroutine profiles behind
// the same protection (allowed networks, a bearer token, basic auth); Log
// writes the goroutine count to a slog.Logger at the levels of the alerts:
// a warning over 2000 goroutines, an error over 5000.
//
// The package imports only the standard library.
package health

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"strconv"
)

// Path is where Register mounts the health document.
const Path = "/api/monitor/health"

// Document is the health document.
type Document struct {
	// Status is "ok", or what the status function of WithStatus reported.
	Status     string `json:"status"`
	Goroutines int    `json:"goroutines"`
	Memory     Memory `json:"memory"`
}

// Memory is the memory part of the document, from runtime.MemStats, in
// whole MiB (rounded down) as the operators' alert levels are written.
type Memory struct {
	AllocMB      uint64 `json:"alloc_mb"`       // heap in use: MemStats.Alloc
	TotalAllocMB uint64 `json:"total_alloc_mb"` // heap ever allocated: MemStats.TotalAlloc
	SysMB        uint64 `json:"sys_mb"`         // obtained from the OS: MemStats.Sys
	NumGC        uint32 `json:"num_gc"`         // completed GC cycles
}

// Read returns the document of this process now, with the status "ok".
// runtime.ReadMemStats stops the world briefly, so Read is meant for a
// probe every few seconds, not for every request a service serves.
func Read() Document {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	const mib = 1 << 20
	return Document{
		Status:     "ok",
		Goroutines: runtime.NumGoroutine(),
		Memory: Memory{
			AllocMB:      m.Alloc / mib,
			TotalAllocMB: m.TotalAlloc / mib,
			SysMB:        m.Sys / mib,
			NumGC:        m.NumGC,
		},
	}
}

// Handler serves the document of this process to GET and HEAD, as JSON,
// wherever it is mounted (Register mounts it at Path). Every other method is
// answered 405 with an Allow header. With WithStatus, a failing status is
// the document's status and the response is 503 Service Unavailable. The
// protection options (WithAllowedNetworks, WithBearerToken, WithBasicAuth)
// are checked first: 403 for a client outside the networks, 401 with a
// WWW-Authenticate challenge for a missing or wrong credential.
func Handler(opts ...Option) http.Handler {
	c := newConfig(opts)
	return c.protect(c.documentHandler())
}

// documentHandler serves the document to the requests protect let through.
func (c *config) documentHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, code := c.document(r.Context())
		var body bytes.Buffer
		// A document of strings and numbers always encodes.
		_ = json.NewEncoder(&body).Encode(doc)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Length", strconv.Itoa(body.Len()))
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body.Bytes())
		}
	})
}

// document reads the process and asks the status function, if any.
func (c *config) document(ctx context.Context) (Document, int) {
	doc := Read()
	if c.status == nil {
		return doc, http.StatusOK
	}
	err := c.status(ctx)
	if err == nil {
		return doc, http.StatusOK
	}
	doc.Status = err.Error()
	// A failure must never read as healthy, whatever its text.
	if doc.Status == "" || doc.Status == "ok" {
		doc.Status = "error"
	}
	return doc, http.StatusServiceUnavailable
}
