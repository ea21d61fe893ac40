package demo

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jsonprobe/jsonprobe/health"
)

// LeakPath is where a POST with ?n=N starts N goroutines that never end.
const LeakPath = "/leak"

// MaxLeaked is how many goroutines an endpoint leaks at most, in all: past
// 10000, where operators restart a service, and still a small part of a
// laptop's memory.
const MaxLeaked = 20000

// newHandler serves the health document and the goroutine profiles
// (package health, unprotected: the endpoint listens on loopback only) and
// the leak.
func newHandler(l *leaker) http.Handler {
	mux := http.NewServeMux()
	health.Register(mux)
	mux.HandleFunc("POST "+LeakPath, func(w http.ResponseWriter, r *http.Request) {
		v := r.FormValue("n")
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > l.max {
			http.Error(w, fmt.Sprintf("n %q: want a whole number from 1 to %d", v, l.max), http.StatusBadRequest)
			return
		}
		started, leaked := l.leak(n)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "started %d %s that never end: %d leaked of at most %d\n", started, plural(started, "goroutine"), leaked, l.max)
	})
	return mux
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// leaker starts goroutines that never end, up to max in all.
type leaker struct {
	mu          sync.Mutex
	leaked, max int
}

func (l *leaker) leak(n int) (started, leaked int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	started = max(0, min(n, l.max-l.leaked))
	for range started {
		go leakyWorker()
	}
	l.leaked += started
	return started, l.leaked
}

// count is how many goroutines leak now.
func (l *leaker) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leaked
}

// leakyWorker waits for a value on a channel that nothing else holds: the
// leak of a receive whose sender has gone, which no one can end. The
// goroutine leak profile reports it, since its garbage collector finds no
// goroutine that could still send.
func leakyWorker() {
	never := make(chan struct{})
	<-never
}

// Rate is how many goroutines to leak, and how often.
type Rate struct {
	N     int
	Every time.Duration
}

// String writes the rate as ParseRate reads it.
func (r Rate) String() string {
	return fmt.Sprintf("%d/%s", r.N, r.Every)
}

// ParseRate reads N/s, N/m, N/h or N/DURATION (100/s, 600/m, 50/500ms).
func ParseRate(s string) (Rate, error) {
	bad := fmt.Errorf("rate %q: want goroutines per interval, as 100/s or 600/m", s)
	count, per, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 1 || n > MaxLeaked {
		return Rate{}, bad
	}
	if per == "s" || per == "m" || per == "h" {
		per = "1" + per
	}
	every, err := time.ParseDuration(per)
	if err != nil || every <= 0 {
		return Rate{}, bad
	}
	return Rate{N: n, Every: every}, nil
}

// LeakSteadily leaks r.N goroutines every r.Every, until ctx is done or
// MaxLeaked is reached, and returns how many leak in all.
func (s *Server) LeakSteadily(ctx context.Context, r Rate) int {
	t := time.NewTicker(r.Every)
	defer t.Stop()
	return s.leak.steadily(ctx, r.N, t.C)
}

// steadily leaks n goroutines on each tick, until ctx is done or the cap
// is reached.
func (l *leaker) steadily(ctx context.Context, n int, ticks <-chan time.Time) int {
	for {
		select {
		case <-ctx.Done():
			return l.count()
		case <-ticks:
		}
		started, leaked := l.leak(n)
		if started < n {
			return leaked
		}
	}
}
