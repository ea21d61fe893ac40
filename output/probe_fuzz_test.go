package output

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jsonprobe/jsonprobe/probe"
)

// probeAnswer is what the fuzz server answers with: the current input,
// guarded because the server's handler runs on its own goroutines.
type probeAnswer struct {
	mu     sync.Mutex
	status int
	body   []byte
}

func (a *probeAnswer) set(status int, body []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.status, a.body = status, body
}

func (a *probeAnswer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	a.mu.Lock()
	status, body := a.status, a.body
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// clampStatus maps any int onto the final statuses 200..599.
func clampStatus(s int) int {
	if s >= 200 && s <= 599 {
		return s
	}
	s %= 400
	if s < 0 {
		s += 400
	}
	return 200 + s
}

// probeHealth is the document the command's fault rows serve.
const probeHealth = `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`

// probeSeeds are the answers of the command's response and document fault
// rows (response_faults_test.go and document_faults_test.go at the
// repository's root).
var probeSeeds = []struct {
	status int
	body   string
}{
	{200, probeHealth},
	{200, strings.Replace(probeHealth, "1234", "6000", 1)},
	{503, `{"status":"down","goroutines":6000}`},
	{401, `{"status":"denied","got":"Bearer x"}`},
	{302, ""},
	{404, "404 page not found\n"},
	{502, "<html>\r\n<head><title>502 Bad Gateway</title></head></html>\r\n"},
	{200, `{"status":"ok","goroutines":12`},
	{200, "\xef\xbb\xbf" + probeHealth},
	{200, "{\"status\":\"ok\xff\xfe\",\"name\":\"caf\xe9\"}"},
	{200, `{"goroutines":1e400,"memory":{"sys_mb":-0,"alloc_mb":1.0000000000000001}}`},
	{200, `{"goroutines":9223372036854775809}`},
	{200, `{"goroutines":NaN}`},
	{200, `{"status":"ok","status":"down","goroutines":1,"goroutines":9999}`},
	{200, strings.Repeat("[", 20000) + strings.Repeat("]", 20000)},
	{200, `{"services":[{"name":"db","status":"down"}],"items":[1,2,"3"],"s|p":"a|b"}`},
}

// FuzzProbe serves arbitrary bodies with arbitrary statuses and runs the
// whole probe over them, then every renderer: nothing panics (Run would
// turn a panic into an "internal error"), the Nagios output keeps the
// plugin syntax and the guidelines' perfdata grammar, and the JSON output
// is one valid line.
func FuzzProbe(f *testing.F) {
	answer := &probeAnswer{status: 200}
	srv := httptest.NewServer(answer)
	f.Cleanup(srv.Close)
	client, err := probe.NewHTTPClient(probe.NewConfig())
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range probeSeeds {
		f.Add(seed.status, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, status int, body []byte) {
		answer.set(clampStatus(status), body)
		p, err := probe.Compile(fuzzProbeConfig(t, srv.URL), probe.WithClient(client))
		if err != nil {
			t.Fatal(err)
		}
		rep := p.Run(context.Background(), "")
		if rep.Err != nil && strings.Contains(rep.Err.Error(), "internal error") {
			t.Fatalf("the probe panicked: %v", rep.Err)
		}
		checkRenderers(t, rep)
	})
}

// fuzzProbeConfig is FuzzProbe's configuration: checks of every kind and a
// metric, against target.
func fuzzProbeConfig(t *testing.T, target string) *probe.Config {
	t.Helper()
	cfg := probe.NewConfig()
	cfg.Target = target
	cfg.Timeout = 2 * time.Second
	for _, c := range []struct{ level, src string }{
		{"critical", `status != "ok"`},
		{"warning", "goroutines > 2000"},
		{"critical", "goroutines > 5000"},
		{"warning", "exists(memory) && memory.alloc_mb > 3072"},
		{"critical", `any(services.#.status) == "down"`},
		{"warning", "len(items) > 10 || $size > 1000"},
	} {
		if err := cfg.AddCheck(c.level, c.src); err != nil {
			t.Fatalf("check %q: %v", c.src, err)
		}
	}
	m, err := probe.ParseMetric("memory.sys_mb=sys[MB];~:100;~:1000;0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Metrics = append(cfg.Metrics, m)
	return cfg
}

// checkRenderers renders rep as Nagios text, plain and verbose, and as
// JSON, and checks each: valid UTF-8, the status line's state, the plugin
// syntax, one JSON line.
func checkRenderers(t *testing.T, rep *probe.Report) {
	t.Helper()
	for _, verbose := range []bool{false, true} {
		var b bytes.Buffer
		if err := Nagios(&b, rep, NagiosOptions{Verbose: verbose}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !utf8.ValidString(out) {
			t.Fatalf("output is not valid UTF-8: %q", out)
		}
		if want := "JSONPROBE " + rep.State.String() + " - "; !strings.HasPrefix(out, want) {
			t.Fatalf("status line does not start with %q: %q", want, out)
		}
		checkNagiosOutput(t, out)
	}
	var js bytes.Buffer
	if err := JSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	checkJSONLine(t, js.Bytes())
}
