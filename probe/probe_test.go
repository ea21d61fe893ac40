package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunConcurrentTargets compiles one checks file once and runs it from
// 200 goroutines against 50 endpoints that answer different values (run
// with -race: make race). Each report must be its own target's.
func TestRunConcurrentTargets(t *testing.T) {
	const targets, workers = 50, 200
	urls := make([]string, targets)
	for i := range targets {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"goroutines":%d,"memory":{"alloc_mb":%d,"sys_mb":100}}`, i*100, i)
		}))
		t.Cleanup(srv.Close)
		urls[i] = srv.URL + "/health"
	}
	cfg, err := ParseConfig([]byte(`
checks:
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 4000 }
  - { name: heap share, warning: memory.alloc_mb / memory.sys_mb > 0.9 }
`), ".", noEnv)
	require.NoError(t, err)
	p, err := Compile(cfg, WithStore(&MemoryStore{}))
	require.NoError(t, err)

	reports := make([]*Report, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { reports[w] = p.Run(context.Background(), urls[w%targets]) })
	}
	wg.Wait()
	for w, rep := range reports {
		i := w % targets
		want := OK
		switch {
		case i*100 > 4000:
			want = Critical
		case i*100 > 2000:
			want = Warning
		}
		require.NoError(t, rep.Err, "worker %d", w)
		assert.Equal(t, want, rep.State, "worker %d, target %d: %s", w, i, rep.Summary())
		assert.Equal(t, redact.URL(urls[i]), rep.Target)
		require.NotNil(t, rep.Outcomes[0].Value)
		assert.Equal(t, float64(i*100), rep.Outcomes[0].Value.Num, "worker %d", w)
		assert.Equal(t, fmt.Sprintf("goroutines=%d", i*100), perfText(rep.Perf[0]), "worker %d", w)
	}
}

func perfText(p Perf) string { return fmt.Sprintf("%s=%g", p.Label, p.Value) }

// settledGoroutines waits (boundedly) for the goroutine count to come down
// to at most want, and returns the count it saw last.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// TestRunKeepsGoroutines: a compiled probe shares one transport, so many
// runs leave only its keep-alive connection's goroutines, not a transport
// (and its idle connections) per run as before.
func TestRunKeepsGoroutines(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"n":1}`))
	}))
	t.Cleanup(srv.Close)
	cfg := NewConfig()
	cfg.Target = srv.URL
	require.NoError(t, cfg.AddCheck("critical", "n > 5"))
	p, err := Compile(cfg)
	require.NoError(t, err)
	base := runtime.NumGoroutine()
	for range 100 {
		require.Equal(t, OK, p.Run(context.Background(), "").State)
	}
	// One idle keep-alive connection: its read and write loops, and the
	// server's side of it.
	assert.LessOrEqual(t, settledGoroutines(base+3), base+3)
}

// TestFileReadTimeoutKeepsGoroutines: a read that times out (a FIFO whose
// writer never writes) no longer leaves its goroutine blocked.
func TestFileReadTimeoutKeepsGoroutines(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "health.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	// A writer that stays and never writes: the probe's open succeeds and
	// its read blocks.
	w, err := os.OpenFile(fifo, os.O_RDWR, 0)
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	cfg := NewConfig()
	cfg.Target = fifo
	cfg.Timeout = 50 * time.Millisecond
	require.NoError(t, cfg.AddCheck("critical", "n > 5"))
	p, err := Compile(cfg)
	require.NoError(t, err)
	base := runtime.NumGoroutine()
	for range 5 {
		rep := p.Run(context.Background(), "")
		require.Error(t, rep.Err)
		assert.Contains(t, rep.Err.Error(), "timed out")
	}
	assert.LessOrEqual(t, settledGoroutines(base), base)
}

// TestRunHidesTheScrapeTargetsSecrets: a target passed to Run, not the
// configured one, has its own secrets hidden everywhere in the Report, its
// error included; the configured target's are hidden as before; the query
// parameters the user named (redact_params:) are secrets in both.
func TestRunHidesTheScrapeTargetsSecrets(t *testing.T) {
	cfg, err := ParseConfig([]byte("url: http://127.0.0.1:1/health?token=configured-secret&tenant=acme-secret-1\nredact_params: [tenant, X-Shard]\nchecks:\n  - critical: goroutines > 5\n"), ".", noEnv)
	require.NoError(t, err)
	p, err := Compile(cfg, WithClient(&http.Client{}))
	require.NoError(t, err)
	tests := []struct{ name, target, secret, shown string }{
		{"configured", "", "configured-secret", "http://127.0.0.1:1/health?token=***&tenant=***"},
		{"configured, a name the user added", "", "acme-secret-1", "http://127.0.0.1:1/health?token=***&tenant=***"},
		{"a name the user added, whole and without case", "http://127.0.0.1:1/x?x-shard=shard-secret-2&tenants=all", "shard-secret-2", "http://127.0.0.1:1/x?x-shard=***&tenants=all"},
		{"query", "http://127.0.0.1:1/x?api_key=scrape-secret-1", "scrape-secret-1", "http://127.0.0.1:1/x?api_key=***"},
		{"password", "http://bob:scrape-secret-2@127.0.0.1:1/x", "scrape-secret-2", "http://bob:***@127.0.0.1:1/x"},
		{"bad scheme", "ftp://bob:scrape-secret-3@127.0.0.1/x", "scrape-secret-3", "ftp://bob:***@127.0.0.1/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := p.Run(context.Background(), tt.target)
			require.Error(t, rep.Err)
			assert.Equal(t, tt.shown, rep.Target)
			assert.NotContains(t, rep.Err.Error(), tt.secret)
			assert.Contains(t, rep.Err.Error(), tt.shown)
			assert.NotContains(t, rep.Summary(), tt.secret)
		})
	}
}

// TestRunCertDaysUsesTheClock: $cert_days is counted from the probe's
// clock, not the wall clock: httptest's certificate is read at a clock 30
// days before it expires.
func TestRunCertDaysUsesTheClock(t *testing.T) {
	srv := newTLSServer(t, okHandler(), nil)
	notAfter := srv.Certificate().NotAfter
	clock := notAfter.Add(-30 * 24 * time.Hour)
	cfg := testConfig(srv.URL)
	cfg.Timeout = testTimeout
	require.NoError(t, cfg.AddCheck("warning", "$cert_days < 31"))
	require.NoError(t, cfg.AddCheck("critical", "$cert_days < 29"))
	p, err := Compile(cfg, WithClient(srv.Client()), WithClock(func() time.Time { return clock }))
	require.NoError(t, err)
	rep := p.Run(context.Background(), "")
	require.NoError(t, rep.Err)
	assert.Equal(t, Warning, rep.State, rep.Summary())
}

// TestRunHidesEchoedScrapeSecrets: a service that echoes the scrape
// target's token in its document has it hidden in the outcomes too.
func TestRunHidesEchoedScrapeSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"echo":%q}`, r.URL.Query().Get("token"))
	}))
	t.Cleanup(srv.Close)
	cfg := NewConfig()
	cfg.Timeout = 10 * time.Second
	require.NoError(t, cfg.AddCheck("critical", `echo != ""`))
	p, err := Compile(cfg)
	require.NoError(t, err)
	rep := p.Run(context.Background(), srv.URL+"/?token=echoed-secret-9")
	require.NoError(t, rep.Err)
	assert.Equal(t, Critical, rep.State)
	assert.NotContains(t, rep.Summary(), "echoed-secret-9")
	assert.Contains(t, rep.Summary(), "***")
}

// TestRunNamesTheShorterDeadline: a caller's deadline (the exporter's
// scrape timeout) shorter than the checks file's is the one that ends the
// probe, and the one its message names.
func TestRunNamesTheShorterDeadline(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	cfg := testConfig(srv.URL)
	cfg.Timeout = 10 * time.Second
	require.NoError(t, cfg.AddCheck("critical", "x > 1"))
	p, err := Compile(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rep := p.Run(ctx, "")
	require.Error(t, rep.Err)
	assert.Regexp(t, `^GET http://127\.0\.0\.1:\d+: timed out after (300|29\d)ms$`, rep.Err.Error())
	assert.Equal(t, Critical, rep.State)
}

// TestRunLeavesOutNumericSecrets: a value that holds a secret (a service
// echoing a numeric token of the target) is left out of Report.Values,
// which the exposition shows as they are.
func TestRunLeavesOutNumericSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"echo":%s,"n":5}`, r.URL.Query().Get("token"))
	}))
	t.Cleanup(srv.Close)
	cfg := NewConfig()
	cfg.Timeout = 10 * time.Second
	require.NoError(t, cfg.AddCheck("critical", "echo > 1"))
	require.NoError(t, cfg.AddCheck("critical", "n > 9"))
	p, err := Compile(cfg)
	require.NoError(t, err)
	rep := p.Run(context.Background(), srv.URL+"/?token=987654321")
	require.NoError(t, rep.Err)
	assert.Equal(t, []PathValue{{Path: "n", Name: "n", Value: 5}}, rep.Values)
}

// TestRedactParamErrors: a name that cannot stand before = in a query is
// refused, and says what was found.
func TestRedactParamErrors(t *testing.T) {
	for _, name := range []string{"", "a=b", "a&b", "has space"} {
		err := NewConfig().AddRedactParam(name)
		require.Error(t, err)
		assert.Equal(t, fmt.Sprintf("%q: want a query parameter name, as it stands before = in a URL", name), err.Error())
	}
	_, err := ParseConfig([]byte("url: http://h/\nredact_params: [ok, 'a=b']\n"), ".", noEnv)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `line 2: redact_params: "a=b": want a query parameter name`)
}

// TestRunSaysNoRedirectThatDidNotHappen: a refused connection to a URL
// with a password is no redirect.
func TestRunSaysNoRedirectThatDidNotHappen(t *testing.T) {
	addr := freeAddr(t)
	cfg := testConfig("http://admin:pw-secret@" + addr + "/")
	cfg.Timeout = testTimeout
	p, err := Compile(cfg)
	require.NoError(t, err)
	rep := p.Run(context.Background(), "")
	require.Error(t, rep.Err)
	assert.Equal(t, "GET http://admin:***@"+addr+"/: connection refused", rep.Err.Error())
}
