package health

import (
	"fmt"
	"net/http"
	"runtime/pprof"
	"strconv"
	"strings"
)

// The paths where Register mounts the goroutine profiles, the ones
// net/http/pprof serves them at.
const (
	GoroutinePath     = "/debug/pprof/goroutine"
	GoroutineLeakPath = "/debug/pprof/goroutineleak"
)

// Register mounts on mux, behind the same options: Handler at Path, the
// goroutine profile at GoroutinePath and, when the runtime has it, the
// goroutine leak profile at GoroutineLeakPath (Go 1.26 built with
// GOEXPERIMENT=goroutineleakprofile, and later releases).
//
// The profiles are served as net/http/pprof serves them: ?debug=1 is a text
// with a count per distinct stack, ?debug=2 every goroutine's stack as a
// panic prints it (the leak profile's included: every goroutine, leaked or
// not), no debug (or 0) the gzipped protobuf of go tool pprof; any other
// debug, and ?seconds=, are refused with 400.
//
// A stack shows the service's code paths, so protect them as you would the
// service itself; unlike net/http/pprof, Register mounts no other profile.
func Register(mux *http.ServeMux, opts ...Option) {
	c := newConfig(opts)
	mux.Handle(Path, c.protect(c.documentHandler()))
	for _, p := range profiles() {
		mux.Handle(p.path, c.protect(profileHandler(p.profile)))
	}
}

// ProfilePaths are the paths of the profiles Register mounts:
// GoroutinePath, and GoroutineLeakPath when the runtime has that profile.
func ProfilePaths() []string {
	var paths []string
	for _, p := range profiles() {
		paths = append(paths, p.path)
	}
	return paths
}

type mountedProfile struct {
	path    string
	profile *pprof.Profile
}

// profiles are the profiles Register mounts, those of them this runtime has.
func profiles() []mountedProfile {
	var ps []mountedProfile
	for _, path := range []string{GoroutinePath, GoroutineLeakPath} {
		if p := pprof.Lookup(strings.TrimPrefix(path, "/debug/pprof/")); p != nil {
			ps = append(ps, mountedProfile{path, p})
		}
	}
	return ps
}

// profileHandler writes p, in the format ?debug= asks for.
func profileHandler(p *pprof.Profile) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		debug, err := debugLevel(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		if debug == 0 {
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", p.Name()))
		} else {
			h.Set("Content-Type", "text/plain; charset=utf-8")
		}
		if r.Method == http.MethodHead {
			return
		}
		// Once the profile has started to go out, an error can only cut it
		// short: the client sees a truncated body.
		_ = p.WriteTo(w, debug)
	})
}

// debugLevel reads ?debug=, 0 when it is absent. net/http/pprof reads a
// value it does not know as 0, and serves ?seconds= as the difference of two
// profiles; here both are refused, so that no one reads one format or one
// moment as another.
func debugLevel(r *http.Request) (int, error) {
	if r.FormValue("seconds") != "" {
		return 0, fmt.Errorf("seconds %q: only the profile of the moment is served here", r.FormValue("seconds"))
	}
	v := r.FormValue("debug")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 2 {
		return 0, fmt.Errorf("debug %q: want 0, 1 or 2", v)
	}
	return n, nil
}
