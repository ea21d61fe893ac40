//go:build integration

package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestPrometheus runs Debian's real Prometheus against jsonprobe serve,
// with contrib/prometheus's scrape job and alert rules and checks through
// Prometheus's HTTP API what arrived: the probe's metrics with their
// values, data for every expression of the Grafana dashboard and of the
// rules, and the critical rule firing for a CRITICAL document.
func TestPrometheus(t *testing.T) {
	promBin := requireCommand(t, "prometheus")
	dir := privateDir(t)

	// The service: OK at first, CRITICAL when switched.
	var mu sync.Mutex
	doc := `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"sys_mb":512}}`
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, doc)
	}))
	t.Cleanup(service.Close)
	target := service.URL + "/api/monitor/health"

	checks := filepath.Join(dir, "health.yaml")
	writeFile(t, checks, "url: "+target+`
checks:
  - { name: status, critical: status != "ok" }
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - { name: memory, warning: memory.alloc_mb > 3072, critical: memory.alloc_mb > 4096, uom: MB }
`)
	exporter := startServe(t, dir, checks)

	// contrib's scrape job and rules, with the two lines the comments mark
	// edited, and times shortened so that a test sees them: a 1 s scrape
	// and evaluation, no 5 m hold (promtool test rules checks the holds).
	cfg := read(t, filepath.Join(contribDir, "prometheus", "prometheus.yml"))
	cfg = strings.ReplaceAll(cfg, "http://localhost:3000/api/monitor/health", target)
	cfg = strings.ReplaceAll(cfg, "127.0.0.1:9844", exporter)
	cfg = strings.ReplaceAll(cfg, "15s", "1s")
	cfg = strings.ReplaceAll(cfg, "scrape_timeout: 10s", "scrape_timeout: 1s")
	writeFile(t, filepath.Join(dir, "prometheus.yml"), cfg)
	rules := read(t, filepath.Join(contribDir, "prometheus", "jsonprobe.rules.yml"))
	rules = regexp.MustCompile(`for: \d+m`).ReplaceAllString(rules, "for: 0s")
	writeFile(t, filepath.Join(dir, "jsonprobe.rules.yml"), rules)

	api := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	startCore(t, dir, promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+strings.TrimPrefix(api, "http://"))

	// The probe's metrics arrive, with the right values.
	want := map[string]string{
		`probe_success{job="jsonprobe"}`:                                    "1",
		`jsonprobe_state{job="jsonprobe"}`:                                  "0",
		`jsonprobe_check_state{job="jsonprobe",check="goroutines"}`:         "0",
		`jsonprobe_check_state{job="jsonprobe",check="status"}`:             "0",
		`jsonprobe_value{job="jsonprobe",path="goroutines"}`:                "1234",
		`jsonprobe_value{job="jsonprobe",path="memory.alloc_mb"}`:           "256",
		`jsonprobe_check_warning_threshold{job="jsonprobe",check="memory"}`: "3072",
		`probe_http_status_code{job="jsonprobe"}`:                           "200",
		`jsonprobe_exporter_config_last_reload_successful`:                  "1",
	}
	for q, v := range want {
		got := waitQuery(t, api, q, func(r []sample) bool { return len(r) > 0 })
		if got[0].value() != v {
			t.Errorf("%s = %s, want %s", q, got[0].value(), v)
		}
		if q != "jsonprobe_exporter_config_last_reload_successful" && got[0].Metric["instance"] != target {
			t.Errorf("%s: instance %q, want the target %q (relabeling)", q, got[0].Metric["instance"], target)
		}
	}

	// Every expression of the dashboard and of the rules returns data (a
	// rule's query without its comparison).
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal([]byte(read(t, filepath.Join(contribDir, "grafana", "jsonprobe.json"))), &dash); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, strings.ReplaceAll(tg.Expr, `instance=~"$instance"`, `instance=~".*"`))
		}
	}
	cmp := regexp.MustCompile(`^\s*expr: (.*) (>|<|==|>=|<=) [0-9.]+$`)
	for _, line := range strings.Split(rules, "\n") {
		if m := cmp.FindStringSubmatch(line); m != nil {
			exprs = append(exprs, m[1])
		}
	}
	if len(exprs) < 12 {
		t.Fatalf("only %d expressions found in the dashboard and the rules", len(exprs))
	}
	for _, e := range exprs {
		waitQuery(t, api, e, func(r []sample) bool { return len(r) > 0 })
	}

	// A CRITICAL document: the state follows, and the rules fire.
	mu.Lock()
	doc = `{"status":"degraded","goroutines":6000,"memory":{"alloc_mb":4500,"sys_mb":8192}}`
	mu.Unlock()
	waitQuery(t, api, `probe_success{job="jsonprobe"} == 0`, func(r []sample) bool { return len(r) == 1 })
	waitQuery(t, api, `jsonprobe_state{job="jsonprobe"} == 2`, func(r []sample) bool { return len(r) == 1 })
	for _, alert := range []string{"JSONProbeFailing", "GoroutinesCritical", "MemoryCritical", "JSONProbeCritical"} {
		waitQuery(t, api, `ALERTS{alertname="`+alert+`",alertstate="firing"}`, func(r []sample) bool { return len(r) > 0 })
	}
	firing := waitQuery(t, api, `ALERTS{alertname="JSONProbeCritical",alertstate="firing"}`, func(r []sample) bool { return len(r) >= 3 })
	checksFiring := map[string]bool{}
	for _, s := range firing {
		checksFiring[s.Metric["check"]] = true
	}
	for _, c := range []string{"status", "goroutines", "memory"} {
		if !checksFiring[c] {
			t.Errorf("JSONProbeCritical does not fire for check %s: %v", c, firing)
		}
	}
}

// startServe starts jsonprobe serve (the exporter beside the built
// binary) on a free loopback port and returns its address.
func startServe(t *testing.T, dir string, files ...string) string {
	t.Helper()
	cmd := exec.Command(jsonprobeBin, append([]string{"serve", "--web.listen-address", "127.0.0.1:0"}, files...)...)
	cmd.Dir = dir
	// A pipe of our own: exec copies the log into it until the process
	// ends, and the drain below reads it until we close it after Wait.
	logR, logW := io.Pipe()
	cmd.Stderr = logW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_ = logW.Close()
	})
	sc := bufio.NewScanner(logR)
	re := regexp.MustCompile(`msg=listening address=(\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return m[1]
		}
	}
	t.Fatal("jsonprobe serve did not start")
	return ""
}

// sample is one series of an instant query's answer.
type sample struct {
	Metric map[string]string
	Value  [2]any
}

func (s sample) value() string { v, _ := s.Value[1].(string); return v }

// waitQuery queries Prometheus until ok accepts the answer, for at most 60 s.
func waitQuery(t *testing.T, api, q string, ok func([]sample) bool) []sample {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		resp, err := http.Get(api + "/api/v1/query?query=" + url.QueryEscape(q))
		if err == nil {
			var body struct {
				Status string
				Error  string
				Data   struct{ Result []sample }
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			switch {
			case err != nil:
				last = err.Error()
			case body.Status != "success":
				t.Fatalf("query %s: %s", q, body.Error)
			case ok(body.Data.Result):
				return body.Data.Result
			default:
				last = fmt.Sprint(body.Data.Result)
			}
		} else {
			last = err.Error()
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("query %s: no answer as wanted within 60 s (last: %s)", q, last)
	return nil
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPromtool: contrib's scrape job and rules pass promtool check, the
// rules their unit tests, and every exposition jsonprobe writes (/probe,
// the exporter's /metrics, -o prometheus) promtool check metrics.
func TestPromtool(t *testing.T) {
	promtool := requireCommand(t, "promtool")
	run(t, promtool, "check", "config", filepath.Join(contribDir, "prometheus", "prometheus.yml"))
	run(t, promtool, "check", "rules", filepath.Join(contribDir, "prometheus", "jsonprobe.rules.yml"))
	test := exec.Command(promtool, "test", "rules", "jsonprobe.rules.test.yml")
	test.Dir = filepath.Join(contribDir, "prometheus")
	if out, err := test.CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}

	base := endpoint(t)
	dir := privateDir(t)
	checks := filepath.Join(dir, "health.yaml")
	writeFile(t, checks, "url: "+base+`/warning
checks:
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - { name: heap share, warning: memory.alloc_mb / memory.sys_mb > 0.9 }
metrics:
  - { path: memory.sys_mb, uom: MB }
prometheus:
  - { path: goroutines, name: oneapi_goroutines, help: "Goroutines of the service." }
`)
	addr := startServe(t, dir, checks)
	plugin, _ := exec.Command(jsonprobeBin, "-o", "prometheus", "-f", checks).Output()
	for name, text := range map[string]string{
		"/probe":          get(t, "http://"+addr+"/probe"),
		"/probe, failing": get(t, "http://"+addr+"/probe?target="+url.QueryEscape(closedURL(t))),
		"/metrics":        get(t, "http://"+addr+"/metrics"),
		"-o prometheus":   string(plugin),
	} {
		if !strings.Contains(text, "# TYPE ") {
			t.Fatalf("%s: no exposition:\n%s", name, text)
		}
		check := exec.Command(promtool, "check", "metrics")
		check.Stdin = strings.NewReader(text)
		if out, err := check.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("promtool check metrics of %s: %v\n%s", name, err, out)
		}
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
