// Package kumatest is an Uptime Kuma push receiver for tests, on loopback.
// It follows Kuma's push contract (server/routers/api-router.js, 1.23 and
// 2.0) to the letter, so that tests prove what a real Kuma would store:
//
//   - GET {base}/api/push/{token}?status=…&msg=…&ping=…, parameters read
//     from the query only;
//   - only the exact lowercase "up" is UP, anything else DOWN; a status or
//     msg given twice arrives as an array, so the beat is DOWN with the msg
//     "[object Object]";
//   - msg defaults to "OK" when empty;
//   - ping is milliseconds; empty or 0 is stored as no ping; a value that is
//     not a number or outside 0..1e11 is refused with 404;
//   - success is 200 {"ok":true}; every error (unknown token, bad ping) is
//     404 {"ok":false,"msg":…};
//   - /api/push/{token}/ with a trailing slash is not the push route: the
//     web app answers 200 with its HTML page and stores nothing.
package kumatest

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Beat is one stored heartbeat.
type Beat struct {
	Up       bool
	Msg      string
	Ping     *float64 // nil: no ping stored
	RawQuery string   // the query as received
}

// Receiver is a running fake Kuma.
type Receiver struct {
	URL   string // base URL, e.g. http://127.0.0.1:PORT
	Token string // the push token it knows

	// Delay holds every answer this long (or until the client gives up).
	Delay time.Duration

	srv      *httptest.Server
	mu       sync.Mutex
	beats    []Beat
	requests []string // every query received, stored or not
}

// Start serves a receiver that knows token.
func Start(token string) *Receiver {
	r := &Receiver{Token: token}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = r.srv.URL
	return r
}

// PushURL is the URL Kuma's UI shows for the monitor, with its query.
func (r *Receiver) PushURL() string {
	return r.URL + "/api/push/" + r.Token + "?status=up&msg=OK&ping="
}

// Close stops the receiver.
func (r *Receiver) Close() { r.srv.Close() }

// Beats returns the stored heartbeats.
func (r *Receiver) Beats() []Beat {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Beat(nil), r.beats...)
}

// Requests returns the raw query of every request received.
func (r *Receiver) Requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.requests...)
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.requests = append(r.requests, req.URL.RawQuery)
	delay := r.Delay
	r.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-req.Context().Done():
			return
		}
	}
	const prefix = "/api/push/"
	if !strings.HasPrefix(req.URL.Path, prefix) {
		http.NotFound(w, req)
		return
	}
	token := strings.TrimPrefix(req.URL.Path, prefix)
	if strings.Contains(token, "/") {
		// Not the push route: the SPA's catch-all page.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Uptime Kuma</title></head><body></body></html>"))
		return
	}
	q := req.URL.Query()
	msg := q.Get("msg")
	if len(q["msg"]) > 1 {
		msg = "[object Object]"
	}
	if msg == "" {
		msg = "OK"
	}
	up := len(q["status"]) <= 1 && (q.Get("status") == "up" || !q.Has("status"))
	if len(q["status"]) > 1 {
		msg = "[object Object]"
	}
	ping, ok := parsePing(q.Get("ping"))
	if !ok {
		fail(w, "Invalid ping value")
		return
	}
	if token != r.Token {
		fail(w, "Monitor not found or not active.")
		return
	}
	r.mu.Lock()
	r.beats = append(r.beats, Beat{Up: up, Msg: msg, Ping: ping, RawQuery: req.URL.RawQuery})
	r.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// parsePing reads ping as Kuma does: empty and 0 store no ping.
func parsePing(s string) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e11 {
		return nil, false
	}
	if f == 0 {
		return nil, true
	}
	return &f, true
}

func fail(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "msg": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
