package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/health"
)

// TestServe fetches the sample document from a started endpoint and checks
// its shape: the health document, with live values.
func TestServe(t *testing.T) {
	srv, err := Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+/api/monitor/health$`, srv.URL)

	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.Equal(t, "ok", doc["status"])
	assert.Greater(t, doc["goroutines"], 0.0)
	mem, ok := doc["memory"].(map[string]any)
	require.True(t, ok, "memory is an object: %s", body)
	for _, key := range []string{"alloc_mb", "total_alloc_mb", "sys_mb", "num_gc"} {
		assert.Contains(t, mem, key)
	}
	assert.Greater(t, mem["sys_mb"], 0.0, "sys_mb is live, not zero")

	resp2, err := http.Get(srv.URL + "/other")
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp2.StatusCode)

	assert.Equal(t, srv.Root+health.Path, srv.URL)
	code, profile := fetch(t, srv.Root+health.GoroutinePath+"?debug=1")
	assert.Equal(t, http.StatusOK, code)
	assert.True(t, strings.HasPrefix(profile, "goroutine profile: total "), profile)
	code, leakBody := post(t, srv.Root+LeakPath+"?n=1")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, fmt.Sprintf("started 1 goroutine that never end: 1 leaked of at most %d\n", MaxLeaked), leakBody)
}

// post sends a POST to url and returns the status and the body.
func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// fetch GETs url and returns the status and the body.
func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// goroutines is the count the health document at url says.
func goroutines(t *testing.T, url string) int {
	t.Helper()
	code, body := fetch(t, url)
	require.Equal(t, http.StatusOK, code, body)
	var doc struct{ Goroutines int }
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	return doc.Goroutines
}

// TestLeak: a POST to /leak?n=N starts N goroutines that never end, up to
// the cap; the document counts them and the goroutine profile names them.
func TestLeak(t *testing.T) {
	srv := httptest.NewServer(newHandler(&leaker{max: 5}))
	t.Cleanup(srv.Close)
	before := goroutines(t, srv.URL+health.Path)

	tests := []struct {
		name     string
		query    string
		wantCode int
		wantBody string
	}{
		{"three", "?n=3", http.StatusOK, "started 3 goroutines that never end: 3 leaked of at most 5\n"},
		{"past the cap", "?n=3", http.StatusOK, "started 2 goroutines that never end: 5 leaked of at most 5\n"},
		{"at the cap", "?n=1", http.StatusOK, "started 0 goroutines that never end: 5 leaked of at most 5\n"},
		{"no n", "", http.StatusBadRequest, "n \"\": want a whole number from 1 to 5\n"},
		{"zero", "?n=0", http.StatusBadRequest, "n \"0\": want a whole number from 1 to 5\n"},
		{"negative", "?n=-1", http.StatusBadRequest, "n \"-1\": want a whole number from 1 to 5\n"},
		{"over the cap at once", "?n=6", http.StatusBadRequest, "n \"6\": want a whole number from 1 to 5\n"},
		{"not a number", "?n=lots", http.StatusBadRequest, "n \"lots\": want a whole number from 1 to 5\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, srv.URL+LeakPath+tt.query)
			assert.Equal(t, tt.wantCode, code)
			assert.Equal(t, tt.wantBody, body)
		})
	}
	code, _ := fetch(t, srv.URL+LeakPath+"?n=1")
	assert.Equal(t, http.StatusMethodNotAllowed, code, "a GET leaks nothing")

	assert.GreaterOrEqual(t, goroutines(t, srv.URL+health.Path), before+5, "the document counts the leaked goroutines")
	code, profile := fetch(t, srv.URL+health.GoroutinePath+"?debug=1")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, profile, "demo.leakyWorker+")
}

// TestLeakProfile: the goroutine leak profile, when the runtime has it
// (GOEXPERIMENT=goroutineleakprofile go test ./demo), reports the leaked
// goroutines in leakyWorker.
func TestLeakProfile(t *testing.T) {
	if pprof.Lookup("goroutineleak") == nil {
		t.Skip("no goroutine leak profile in this runtime (GOEXPERIMENT=goroutineleakprofile)")
	}
	srv := httptest.NewServer(newHandler(&leaker{max: 2}))
	t.Cleanup(srv.Close)
	code, _ := post(t, srv.URL+LeakPath+"?n=2")
	require.Equal(t, http.StatusOK, code)
	// Each profile runs a GC cycle that finds the goroutines blocked by
	// then; a bounded number of attempts.
	var profile string
	for range 50 {
		code, profile = fetch(t, srv.URL+health.GoroutineLeakPath+"?debug=1")
		require.Equal(t, http.StatusOK, code)
		if strings.Contains(profile, "demo.leakyWorker+") {
			break
		}
		runtime.Gosched()
	}
	assert.Contains(t, profile, "demo.leakyWorker+")
}

// TestLeakSteadily: n goroutines on each tick, until the cap or the end of
// the context.
func TestLeakSteadily(t *testing.T) {
	t.Run("up to the cap", func(t *testing.T) {
		l := &leaker{max: 5}
		ticks := make(chan time.Time, 3)
		for range 3 {
			ticks <- time.Time{}
		}
		done := make(chan int, 1)
		go func() { done <- l.steadily(context.Background(), 2, ticks) }()
		select {
		case n := <-done:
			assert.Equal(t, 5, n, "2, 4, then 1 more: the cap")
		case <-time.After(10 * time.Second):
			t.Fatal("steadily did not return at the cap")
		}
		assert.Empty(t, ticks, "each tick taken")
	})
	t.Run("until the context is done", func(t *testing.T) {
		l := &leaker{max: 5}
		ctx, cancel := context.WithCancel(context.Background())
		ticks := make(chan time.Time)
		done := make(chan int, 1)
		go func() { done <- l.steadily(ctx, 1, ticks) }()
		// An unbuffered tick is taken only once the leak before it is done.
		ticks <- time.Time{}
		ticks <- time.Time{}
		cancel()
		select {
		case n := <-done:
			assert.Equal(t, 2, n)
		case <-time.After(10 * time.Second):
			t.Fatal("steadily did not return when its context was done")
		}
	})
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    Rate
		wantErr string
	}{
		{"100/s", Rate{100, time.Second}, ""},
		{"600/m", Rate{600, time.Minute}, ""},
		{"1/h", Rate{1, time.Hour}, ""},
		{"50/500ms", Rate{50, 500 * time.Millisecond}, ""},
		{"20000/1s", Rate{20000, time.Second}, ""},
		{"100", Rate{}, `rate "100": want goroutines per interval, as 100/s or 600/m`},
		{"0/s", Rate{}, `rate "0/s": want goroutines per interval, as 100/s or 600/m`},
		{"20001/s", Rate{}, `rate "20001/s": want goroutines per interval, as 100/s or 600/m`},
		{"100/0s", Rate{}, `rate "100/0s": want goroutines per interval, as 100/s or 600/m`},
		{"100/-1s", Rate{}, `rate "100/-1s": want goroutines per interval, as 100/s or 600/m`},
		{"100/sec", Rate{}, `rate "100/sec": want goroutines per interval, as 100/s or 600/m`},
		{"many/s", Rate{}, `rate "many/s": want goroutines per interval, as 100/s or 600/m`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := ParseRate(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String reads back")
		})
	}
}
