package health

import (
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parkedForProfile waits until release is closed: a stack the goroutine
// profile must show.
func parkedForProfile(started chan<- struct{}, release <-chan struct{}) {
	close(started)
	<-release
}

// leakedForProfile waits on a channel no one else can reach: a goroutine
// the leak detector reports.
func leakedForProfile() {
	never := make(chan struct{})
	<-never
}

func TestRegisterGoroutineProfile(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	go parkedForProfile(started, release)
	t.Cleanup(func() { close(release) })
	<-started

	mux := http.NewServeMux()
	Register(mux, WithBearerToken("s3cret"))
	auth := "Authorization: Bearer s3cret"
	tests := []struct {
		name, target string
		wantType     string
		wantIn       string
	}{
		{"the document", Path, "application/json", `"goroutines":`},
		{"debug=1", GoroutinePath + "?debug=1", "text/plain; charset=utf-8", "health.parkedForProfile+"},
		{"debug=2", GoroutinePath + "?debug=2", "text/plain; charset=utf-8", "[chan receive]:\ngithub.com/jsonprobe/jsonprobe/health.parkedForProfile("},
		{"no debug: the gzipped protobuf", GoroutinePath, "application/octet-stream", "\x1f\x8b"},
		{"debug=0", GoroutinePath + "?debug=0", "application/octet-stream", "\x1f\x8b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, mux, http.MethodGet, tt.target, "", auth)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, tt.wantType, w.Header().Get("Content-Type"))
			assert.Contains(t, w.Body.String(), tt.wantIn)
			if tt.wantType == "text/plain; charset=utf-8" {
				assert.True(t, strings.HasPrefix(w.Body.String(), "goroutine "), w.Body.String())
			}
		})
	}
	w := get(t, mux, http.MethodGet, GoroutinePath, "", auth)
	assert.Equal(t, `attachment; filename="goroutine"`, w.Header().Get("Content-Disposition"))
}

func TestRegisterRefuses(t *testing.T) {
	mux := http.NewServeMux()
	Register(mux, WithAllowedNetworks(loopback), WithBearerToken("s3cret"))
	inside, outside, auth := "127.0.0.1:5000", "203.0.113.7:5000", "Authorization: Bearer s3cret"
	tests := []struct {
		name, method, target, remoteAddr string
		headers                          []string
		wantCode                         int
		wantBody                         string
	}{
		{"profile outside the networks", http.MethodGet, GoroutinePath + "?debug=1", outside, []string{auth}, http.StatusForbidden, "forbidden\n"},
		{"profile without the token", http.MethodGet, GoroutinePath + "?debug=1", inside, nil, http.StatusUnauthorized, "unauthorized\n"},
		{"profile with a wrong token", http.MethodGet, GoroutinePath + "?debug=2", inside, []string{"Authorization: Bearer guess"}, http.StatusUnauthorized, "unauthorized\n"},
		{"document without the token", http.MethodGet, Path, inside, nil, http.StatusUnauthorized, "unauthorized\n"},
		{"profile by POST", http.MethodPost, GoroutinePath, inside, []string{auth}, http.StatusMethodNotAllowed, "method not allowed\n"},
		{"debug=3", http.MethodGet, GoroutinePath + "?debug=3", inside, []string{auth}, http.StatusBadRequest, "debug \"3\": want 0, 1 or 2\n"},
		{"debug=x", http.MethodGet, GoroutinePath + "?debug=x", inside, []string{auth}, http.StatusBadRequest, "debug \"x\": want 0, 1 or 2\n"},
		{"seconds", http.MethodGet, GoroutinePath + "?seconds=5", inside, []string{auth}, http.StatusBadRequest, "seconds \"5\": only the profile of the moment is served here\n"},
		{"another profile", http.MethodGet, "/debug/pprof/heap", inside, []string{auth}, http.StatusNotFound, "404 page not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, mux, tt.method, tt.target, tt.remoteAddr, tt.headers...)
			assert.Equal(t, tt.wantCode, w.Code)
			assert.Equal(t, tt.wantBody, w.Body.String())
		})
	}
}

func TestRegisterHead(t *testing.T) {
	mux := http.NewServeMux()
	Register(mux)
	w := get(t, mux, http.MethodHead, GoroutinePath+"?debug=1", "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "text/plain; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Empty(t, w.Body.String())
}

// TestRegisterGoroutineLeakProfile: the leak profile is mounted when the
// runtime has it (GOEXPERIMENT=goroutineleakprofile go test ./health), and
// shows a leaked goroutine; not found otherwise.
func TestRegisterGoroutineLeakProfile(t *testing.T) {
	mux := http.NewServeMux()
	Register(mux, WithBearerToken("s3cret"))
	auth := "Authorization: Bearer s3cret"
	if pprof.Lookup("goroutineleak") == nil {
		assert.Equal(t, []string{GoroutinePath}, ProfilePaths())
		w := get(t, mux, http.MethodGet, GoroutineLeakPath+"?debug=1", "", auth)
		assert.Equal(t, http.StatusNotFound, w.Code)
		return
	}
	assert.Equal(t, []string{GoroutinePath, GoroutineLeakPath}, ProfilePaths())
	assert.Equal(t, http.StatusUnauthorized, get(t, mux, http.MethodGet, GoroutineLeakPath+"?debug=1", "").Code)
	go leakedForProfile()
	// The leak is found by a GC cycle once the goroutine is blocked; a
	// bounded number of attempts, each a profile that runs such a cycle.
	var body string
	for range 50 {
		w := get(t, mux, http.MethodGet, GoroutineLeakPath+"?debug=1", "", auth)
		require.Equal(t, http.StatusOK, w.Code)
		body = w.Body.String()
		if strings.Contains(body, "health.leakedForProfile+") {
			break
		}
		runtime.Gosched()
	}
	assert.True(t, strings.HasPrefix(body, "goroutineleak profile: total "), body)
	assert.Contains(t, body, "health.leakedForProfile+")
}
