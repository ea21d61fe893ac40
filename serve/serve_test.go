package serve

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// target is a health endpoint on loopback that answers goroutines=n and
// counts its requests.
type target struct {
	*httptest.Server
	hits atomic.Int64
}

func newTarget(t *testing.T, goroutines int) *target {
	t.Helper()
	tg := &target{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.hits.Add(1)
		fmt.Fprintf(w, `{"goroutines":%d,"memory":{"alloc_mb":256}}`, goroutines)
	}))
	t.Cleanup(tg.Close)
	return tg
}

// writeChecks writes a checks file named name in dir.
func writeChecks(t *testing.T, dir, name, body string) string {
	t.Helper()
	return writeChecksB(t, dir, name, body)
}

func writeChecksB(t testing.TB, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

func healthChecks(url string) string {
	return "url: " + url + "\ntimeout: 10s\nchecks:\n  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }\n"
}

// newExporter starts a Server over files behind an httptest server.
func newExporter(t *testing.T, files ...string) (*Server, *httptest.Server) {
	t.Helper()
	return newExporterLog(t, io.Discard, files...)
}

// newExporterLog is newExporter with its log written to log.
func newExporterLog(t *testing.T, log io.Writer, files ...string) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(Options{Files: files, TimeoutOffset: 500 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(log, nil))})
	require.NoError(t, err)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func get(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestProbeModulesAndTargets(t *testing.T) {
	dir := t.TempDir()
	ok, warn := newTarget(t, 1234), newTarget(t, 2156)
	one := writeChecks(t, dir, "health.yaml", healthChecks(ok.URL+"/health"))
	two := writeChecks(t, dir, "other.yml", healthChecks(warn.URL+"/health"))
	secret := writeChecks(t, dir, "secret.yaml", "url: "+ok.URL+"/health\nbearer_token_file: token\ntargets: ['"+warn.URL+"/allowed/', '*.example.com']\nchecks:\n  - critical: goroutines > 5000\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token"), []byte("tok3n-value\n"), 0o600))

	_, single := newExporter(t, one)
	_, multi := newExporter(t, one, two, secret)
	tests := []struct {
		name   string
		srv    *httptest.Server
		query  string
		code   int
		want   []string // lines of the answer
		target *target  // must not be asked (403/400)
	}{
		{name: "the one module, its url", srv: single, query: "", code: 200,
			want: []string{"probe_success 1", "jsonprobe_state 0", `jsonprobe_value{name="goroutines",path="goroutines"} 1234`}},
		{name: "a module by name, its url", srv: multi, query: "module=other", code: 200,
			want: []string{"probe_success 1", "jsonprobe_state 1", `jsonprobe_check_state{check="goroutines"} 1`}},
		{name: "the scrape's target", srv: multi, query: "module=health&target=" + warn.URL + "/x", code: 200,
			want: []string{"jsonprobe_state 1", `jsonprobe_value{name="goroutines",path="goroutines"} 2156`}},
		{name: "no module among several", srv: multi, query: "", code: 400,
			want: []string{"module: give one of health, other, secret"}},
		{name: "unknown module", srv: multi, query: "module=nope", code: 400,
			want: []string{`unknown module "nope" (modules: health, other, secret)`}},
		{name: "a file", srv: single, query: "target=/etc/hostname", code: 400,
			want: []string{`target "/etc/hostname": want an http:// or https:// URL`}},
		{name: "stdin", srv: single, query: "target=-", code: 400,
			want: []string{`target "-": want an http:// or https:// URL`}},
		{name: "ftp, its password redacted", srv: single, query: "target=ftp://u:pw1234@h/x", code: 400,
			want: []string{`target "ftp://u:***@h/x": want an http:// or https:// URL`}},
		{name: "credentials to their own origin", srv: multi, query: "module=secret&target=" + ok.URL + "/other", code: 200,
			want: []string{"probe_success 1"}},
		{name: "credentials to an allowed prefix", srv: multi, query: "module=secret&target=" + warn.URL + "/allowed/health", code: 200,
			want: []string{"jsonprobe_state 0"}},
		{name: "credentials to a foreign target", srv: multi, query: "module=secret&target=" + warn.URL + "/allowedx", code: 403,
			want: []string{`module "secret" sends credentials, and target "` + warn.URL + `/allowedx" is not among its targets`}, target: warn},
		{name: "credentials to a lookalike host", srv: multi, query: "module=secret&target=http://127.0.0.1.example.org:1@" + strings.TrimPrefix(warn.URL, "http://") + "/", code: 403, target: warn},
		{name: "bad scrape timeout", srv: single, query: "", code: 400,
			want: []string{`X-Prometheus-Scrape-Timeout-Seconds "soon": want a positive number of seconds, at most 86400`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var header []string
			if tt.name == "bad scrape timeout" {
				header = []string{"X-Prometheus-Scrape-Timeout-Seconds", "soon"}
			}
			before := int64(0)
			if tt.target != nil {
				before = tt.target.hits.Load()
			}
			code, body := get(t, tt.srv.URL+"/probe?"+tt.query, header...)
			assert.Equal(t, tt.code, code, body)
			for _, line := range tt.want {
				assert.Contains(t, strings.Split(body, "\n"), line, body)
			}
			assert.NotContains(t, body, "tok3n-value")
			if tt.target != nil {
				assert.Equal(t, before, tt.target.hits.Load(), "the refused target was asked")
			}
		})
	}
	// The refusals are counted, by reason; the page shows no credential.
	_, metrics := get(t, multi.URL+"/metrics")
	assert.Contains(t, metrics, `jsonprobe_exporter_refused_probes_total{reason="forbidden"} 2`)
	assert.Contains(t, metrics, `jsonprobe_exporter_probes_total{module="other",result="warning"} 1`)
	_, page := get(t, multi.URL+"/")
	assert.Contains(t, page, "JSONPROBE WARNING - goroutines=2156 &gt; 2000")
	assert.NotContains(t, page+metrics, "tok3n-value")
}

// TestProbeBadScrapeTimeout: a header that is no usable number of seconds
// is a 400, never a probe with a deadline already past.
func TestProbeBadScrapeTimeout(t *testing.T) {
	tg := newTarget(t, 1)
	_, hs := newExporter(t, writeChecks(t, t.TempDir(), "health.yaml", healthChecks(tg.URL)))
	for _, h := range []string{"soon", "0", "-1", "NaN", "+Inf", "1e10", "100000"} {
		code, body := get(t, hs.URL+"/probe", "X-Prometheus-Scrape-Timeout-Seconds", h)
		assert.Equal(t, 400, code, "%s: %s", h, body)
		assert.Contains(t, body, fmt.Sprintf("X-Prometheus-Scrape-Timeout-Seconds %q: want a positive number of seconds, at most 86400", h))
	}
	assert.Zero(t, tg.hits.Load(), "no probe ran")
}

// TestPageShortensTargets: a scrape may name a target of any length; the
// page shows its start, so that a huge URL does not make a huge page.
func TestPageShortensTargets(t *testing.T) {
	tg := newTarget(t, 1)
	_, hs := newExporter(t, writeChecks(t, t.TempDir(), "health.yaml", healthChecks(tg.URL)))
	long := tg.URL + "/?pad=" + strings.Repeat("x", 900<<10)
	code, _ := get(t, hs.URL+"/probe?target="+long)
	require.Equal(t, 200, code)
	_, page := get(t, hs.URL+"/")
	assert.Contains(t, page, tg.URL+"/?pad=xxx")
	assert.Contains(t, page, "x…</code>")
	assert.Less(t, len(page), 8<<10)
}

// TestProbeScrapeTimeout: the scrape's timeout, less the offset, ends a
// probe whose module allows longer, and its status names it.
func TestProbeScrapeTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	s, hs := newExporter(t, writeChecks(t, t.TempDir(), "slow.yaml", healthChecks(slow.URL)))
	code, body := get(t, hs.URL+"/probe", "X-Prometheus-Scrape-Timeout-Seconds", "1.5")
	require.Equal(t, 200, code)
	assert.Contains(t, strings.Split(body, "\n"), "probe_success 0")
	got := s.recent.list()
	require.Len(t, got, 1)
	assert.Regexp(t, `^JSONPROBE CRITICAL - GET http://127\.0\.0\.1:\d+: timed out after (1s|9\d\dms)$`, got[0].Status)
}

// TestReload: a valid change is taken; an invalid file keeps its module as
// it was, and says so (the answer, the metric).
func TestReload(t *testing.T) {
	dir := t.TempDir()
	ok, warn := newTarget(t, 1234), newTarget(t, 2156)
	file := writeChecks(t, dir, "health.yaml", healthChecks(ok.URL))
	var log syncBuffer
	_, hs := newExporterLog(t, &log, file)
	reload := func() (int, string) {
		resp, err := http.Post(hs.URL+"/-/reload", "", nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, body := get(t, hs.URL+"/probe")
	assert.Contains(t, body, "\njsonprobe_state 0\n")

	writeChecks(t, dir, "health.yaml", healthChecks(warn.URL))
	code, msg := reload()
	assert.Equal(t, 200, code, msg)
	_, body = get(t, hs.URL+"/probe")
	assert.Contains(t, body, "\njsonprobe_state 1\n", "the new url: is used")

	// The YAML error quotes the file's text, here a header's value: the
	// unauthenticated answer names the file only, the log has the rest.
	writeChecks(t, dir, "health.yaml", "url: "+ok.URL+"\nheaders: 'Authorization: Bearer t0ken-in-yaml'\nchecks:\n  - critical: goroutines > 1\n")
	code, msg = reload()
	assert.Equal(t, 500, code)
	assert.Contains(t, msg, "reload failed")
	assert.Contains(t, msg, file+" did not load (the log says why)")
	assert.NotContains(t, msg, "t0ken-in-yaml")
	assert.Contains(t, log.String(), "line 2")
	_, body = get(t, hs.URL+"/probe")
	assert.Contains(t, body, "\njsonprobe_state 1\n", "the old module is kept")
	_, metrics := get(t, hs.URL+"/metrics")
	assert.Contains(t, metrics, "\njsonprobe_exporter_config_last_reload_successful 0\n")
	// The page says which module is as it was, and nothing of why.
	_, page := get(t, hs.URL+"/")
	assert.Contains(t, page, "the file did not load, the module is as it was (the log says why)")
	assert.NotContains(t, page, "t0ken-in-yaml")

	writeChecks(t, dir, "health.yaml", healthChecks(ok.URL))
	code, _ = reload()
	assert.Equal(t, 200, code)
	_, metrics = get(t, hs.URL+"/metrics")
	assert.Contains(t, metrics, "\njsonprobe_exporter_config_last_reload_successful 1\n")
	_, page = get(t, hs.URL+"/")
	assert.NotContains(t, page, "did not load", "a good reload clears it")
}

// TestConcurrentProbes: 200 scrapes at once of one compiled module against
// targets that answer different values, each answer its own target's (run
// under make race), with reloads going on beside them.
func TestConcurrentProbes(t *testing.T) {
	const targets, scrapes = 20, 200
	tgs := make([]*target, targets)
	for i := range tgs {
		tgs[i] = newTarget(t, i*500)
	}
	s, hs := newExporter(t, writeChecks(t, t.TempDir(), "health.yaml", healthChecks(tgs[0].URL)))
	var wg sync.WaitGroup
	errs := make(chan error, scrapes)
	for n := range scrapes {
		wg.Go(func() {
			i := n % targets
			resp, err := http.Get(hs.URL + "/probe?target=" + tgs[i].URL)
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			want := fmt.Sprintf("\njsonprobe_value{name=\"goroutines\",path=\"goroutines\"} %d\n", i*500)
			if !strings.Contains(string(b), want) {
				errs <- fmt.Errorf("scrape %d of target %d: no %q in\n%s", n, i, want, b)
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if err := s.Reload(); err != nil {
				errs <- err
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestServeShutdown: cancelling Serve's context (SIGTERM in the command)
// while a probe hangs ends it within the grace and returns nil.
func TestServeShutdown(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	s, err := New(Options{Files: []string{writeChecks(t, t.TempDir(), "slow.yaml", healthChecks(slow.URL))}, ShutdownGrace: 300 * time.Millisecond})
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, l, "") }()
	scraped := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + l.Addr().String() + "/probe")
		if err == nil {
			resp.Body.Close()
		}
		scraped <- err
	}()
	<-started
	cancel()
	select {
	case err := <-served:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the grace")
	}
	<-scraped // answered or cut; either way it ended
}

// TestServeWebConfig: --web.config.file's basic auth guards every endpoint
// (exporter-toolkit, Prometheus's web configuration format).
func TestServeWebConfig(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-pass"), bcrypt.MinCost)
	require.NoError(t, err)
	dir := t.TempDir()
	webConfig := writeChecks(t, dir, "web.yml", "basic_auth_users:\n  prom: "+string(hash)+"\n")
	tg := newTarget(t, 1)
	s, err := New(Options{Files: []string{writeChecks(t, dir, "health.yaml", healthChecks(tg.URL))}})
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, l, webConfig) }()
	defer func() { cancel(); require.NoError(t, <-served) }()
	for _, path := range []string{"/probe", "/metrics", "/", "/-/healthy"} {
		req, err := http.NewRequest(http.MethodGet, "http://"+l.Addr().String()+path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, path)
		req.SetBasicAuth("prom", "s3cret-pass")
		resp, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}
}

// TestProbeRenamedValuesKeepTheirSeries: a value the checks file renames
// (prometheus:) comes out under its own name and as jsonprobe_value{name,
// path}, which contrib's rules select by path.
func TestProbeRenamedValuesKeepTheirSeries(t *testing.T) {
	tg := newTarget(t, 2156)
	file := writeChecks(t, t.TempDir(), "oneapi.yaml", healthChecks(tg.URL)+"prometheus:\n  - { path: goroutines, name: oneapi_goroutines }\n")
	_, hs := newExporter(t, file)
	code, body := get(t, hs.URL+"/probe")
	require.Equal(t, 200, code)
	lines := strings.Split(body, "\n")
	assert.Contains(t, lines, "oneapi_goroutines 2156")
	assert.Contains(t, lines, `jsonprobe_value{name="goroutines",path="goroutines"} 2156`)
}
