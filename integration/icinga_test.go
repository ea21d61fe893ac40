//go:build integration

package integration

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/internal/testcert"
)

// icingaNode is the private instance's NodeName, the CN of its API certificate.
const icingaNode = "jsonprobe-test"

// icingaVar is the custom variable of contrib/icinga2/jsonprobe.conf that
// carries a jsonprobe flag; array variables take repeatable flags, switch
// variables (set_if) flags without a value.
type icingaVar struct {
	name            string
	array, isSwitch bool
}

// icingaVars maps the flags the scenarios use to the contrib CheckCommand's
// variables. A flag missing here is a flag the contrib command must learn
// first: the test fails rather than pass it some other way.
var icingaVars = map[string]icingaVar{
	"-u":              {name: "jsonprobe_url"},
	"-f":              {name: "jsonprobe_config"},
	"-w":              {name: "jsonprobe_warning", array: true},
	"-c":              {name: "jsonprobe_critical", array: true},
	"-m":              {name: "jsonprobe_metric", array: true},
	"-H":              {name: "jsonprobe_header", array: true},
	"-t":              {name: "jsonprobe_timeout"},
	"-X":              {name: "jsonprobe_method"},
	"--data":          {name: "jsonprobe_data"},
	"--expect-status": {name: "jsonprobe_expect_status"},
	"--max-body":      {name: "jsonprobe_max_body"},
	"--on-error":      {name: "jsonprobe_on_error"},
	"--on-missing":    {name: "jsonprobe_on_missing"},
	"-k":              {name: "jsonprobe_insecure", isSwitch: true},
	"--no-follow":     {name: "jsonprobe_no_follow", isSwitch: true},
}

// defaultTimeout is what the contrib command passes as -t unless a service
// sets jsonprobe_timeout.
var defaultTimeout = []string{"-t", "10s"}

// icingaPerfData is what Icinga 2.13 stores where it differs from what
// jsonprobe printed. Icinga splits perfdata into items and rewrites each label
// (PluginUtility::SplitPerfdata): it strips the outer single quotes and puts
// them back only when the label contains a space, and it leaves a doubled
// quote doubled. So the label of it's, printed quoted with its quote doubled,
// is stored unquoted with the quote still doubled (a label that no longer
// reads back as it's), a\.b.c and x\_y lose their quotes, and "queue depth"
// and "up state" keep theirs. Values, units and ranges are stored as printed.
var icingaPerfData = map[string]string{
	"labels": "it''s=3;;~:5 'queue depth'=12;~:10 a\\.b.c=1.5;~:1 ratio=0.25;@0.5: x\\_y=7 'up state'=1 time=Ts;;;0 size=74B;;;0",
}

// icingaSpace ends the first line of the output Icinga stores: it cuts the
// line at "|" and keeps the space jsonprobe prints before it
// (PluginUtility::ParseCheckOutput trims only the perfdata part).
const icingaSpace = " "

// service is one Icinga 2 service of the run and what Icinga must store for it.
type service struct {
	host, name string
	vars       map[string]any // custom variables (string, []string or bool)
	argv       []string       // the jsonprobe arguments Icinga must run, URLs expanded
	want       Result         // with the time value as T, URLs expanded
}

// TestIcinga2 runs each scenario as a service of a private Icinga 2 through
// the contrib CheckCommand, forces exactly one check of each through the REST
// API and compares what Icinga stored with what jsonprobe must print. An
// InfluxdbWriter makes Icinga's strict perfdata parser read every item.
func TestIcinga2(t *testing.T) {
	icinga := requireCommand(t, "icinga2")
	start := time.Now()
	dir := privateDir(t)
	url, closed := endpoint(t), closedURL(t)
	secret := newSecretEndpoint(t)
	influx := newInfluxReceiver(t)

	var services []service
	for _, c := range cases() {
		vars, argv := icingaArgs(t, c.Name, c.Args, url, closed)
		perf := c.PerfData
		if p, ok := icingaPerfData[c.Name]; ok {
			perf = p
		}
		services = append(services, service{host: "probe", name: c.Name, vars: vars, argv: argv, want: Result{
			State: c.State, Output: expand(c.Output, url, closed) + icingaSpace, Long: expand(c.Long, url, closed), PerfData: perf,
		}})
	}
	services = append(services, secret.service(t), exampleService(url))

	// Dirs, certificate, configuration.
	for _, d := range []string{"data/certs", "log", "cache", "spool", "run"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	apiCert := writeAPICert(t, filepath.Join(dir, "data", "certs"))
	apiPort := freePort(t)
	apiPassword := randomHex(t)
	conf := icingaConfig(icingaConfigParams{
		pluginDir: filepath.Dir(pluginBin), contrib: filepath.Join(contribDir, "icinga2"), logFile: filepath.Join(dir, "log", "icinga2.log"),
		exampleURL: url + "/warning", apiPort: apiPort, apiPassword: apiPassword, influxPort: influx.port, services: services,
	})
	mainConf := filepath.Join(dir, "main.conf")
	if err := os.WriteFile(mainConf, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	flags := []string{"-c", mainConf}
	flags = append(flags, runAs(t)...)
	for _, d := range [][2]string{{"DataDir", "data"}, {"LogDir", "log"}, {"CacheDir", "cache"}, {"SpoolDir", "spool"}, {"InitRunDir", "run"}} {
		flags = append(flags, "-D"+d[0]+"="+filepath.Join(dir, d[1]))
	}

	// Validate first, so a config error fails with Icinga's own message.
	run(t, icinga, append([]string{"daemon", "-C"}, flags...)...)
	core := startCore(t, dir, icinga, append([]string{"daemon"}, flags...)...)
	t.Cleanup(func() { stopIcinga(t, core.Process.Pid, filepath.Join(dir, "run", "icinga2.pid")) })

	api := &icingaAPI{base: "https://127.0.0.1:" + strconv.Itoa(apiPort), password: apiPassword, client: &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: apiCert, ServerName: icingaNode}},
	}}
	api.waitReady(t, 30*time.Second)
	api.rescheduleAll(t, len(services))
	results := api.waitResults(t, services, 30*time.Second)

	for _, s := range services {
		t.Run(s.name, func(t *testing.T) {
			cr := results[s.host+"!"+s.name]
			got := cr.result()
			t.Logf("stored: state %d, exit %d\noutput: %q\nperformance_data: %q", got.State, cr.ExitStatus, cr.Output, cr.PerformanceData)
			if got != s.want || cr.ExitStatus != s.want.State {
				t.Errorf("Icinga stored for %s!%s:\nstate %d (exit %d), want %d\noutput: %q\nwant:   %q\nlong:\n%s\nwant long:\n%s\nperfdata: %q\nwant:     %q",
					s.host, s.name, got.State, cr.ExitStatus, s.want.State, got.Output, s.want.Output, got.Long, s.want.Long, got.PerfData, s.want.PerfData)
			}
			// The command line Icinga ran: the plugin, then exactly the
			// scenario's arguments (Icinga orders them by the contrib
			// command's `order`, then by flag; repeated flags keep theirs).
			if len(cr.Command) == 0 || cr.Command[0] != pluginBin {
				t.Fatalf("command %q, want %s first", cr.Command, pluginBin)
			}
			if gotArgs, wantArgs := canonicalArgs(t, cr.Command[1:]), canonicalArgs(t, s.argv); !slices.Equal(gotArgs, wantArgs) {
				t.Errorf("Icinga ran jsonprobe with\n%q\nwant (canonical order)\n%q", gotArgs, wantArgs)
			}
			for _, tok := range secret.secrets() {
				if strings.Contains(strings.Join(cr.Command, " "), tok) || strings.Contains(cr.Output, tok) {
					t.Errorf("a secret reached the command line or the output: %q / %q", cr.Command, cr.Output)
				}
			}
		})
	}
	secret.verify(t)

	// Every stored perfdata item must pass Icinga's strict parser: the writer
	// logs a rejected one, and sends one point per accepted one.
	want := map[string]int{}
	for _, s := range services {
		want[s.name] = len(results[s.host+"!"+s.name].PerformanceData)
	}
	points := influx.waitPoints(want, 10*time.Second)
	log, err := os.ReadFile(filepath.Join(dir, "log", "icinga2.log"))
	if err != nil {
		t.Fatal(err)
	}
	var invalid []string
	for _, line := range strings.Split(string(log), "\n") {
		if strings.Contains(line, "Ignoring invalid perfdata") {
			invalid = append(invalid, line)
		}
	}
	if len(invalid) > 0 {
		t.Errorf("Icinga rejected perfdata items:\n%s", strings.Join(invalid, "\n"))
	}
	for name, n := range want {
		if len(points[name]) != n {
			t.Errorf("service %s: InfluxdbWriter sent %d points for %d perfdata items:\n%s",
				name, len(points[name]), n, strings.Join(points[name], "\n"))
		}
	}
	t.Logf("Icinga 2 run took %s", time.Since(start).Round(time.Millisecond))
}

// stopIcinga asks the umbrella process (PID pid) alone to stop, before
// startCore's cleanup signals the whole process group, and waits until it has
// removed its PID file, its last act. Icinga's worker obeys SIGTERM only from
// the umbrella; a TERM to the group reaches the worker from the test too, and
// when that one is still pending as the umbrella forwards its own, the two
// merge into the ignored one: Icinga then runs until the KILL 5 s later.
func stopIcinga(t *testing.T, pid int, pidFile string) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return // already gone
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(pidFile); os.IsNotExist(err) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("icinga2 (PID %d) has not stopped after SIGTERM; the group is killed next", pid)
}

// icingaArgs translates a scenario's jsonprobe arguments into the contrib
// command's custom variables, and returns the arguments Icinga must then run.
func icingaArgs(t *testing.T, name string, args []string, url, closed string) (map[string]any, []string) {
	t.Helper()
	vars := map[string]any{}
	var argv []string
	hasTimeout := false
	for i := 0; i < len(args); i++ {
		flag := args[i]
		v, ok := icingaVars[flag]
		if !ok {
			t.Fatalf("case %s: %q has no custom variable in contrib/icinga2/jsonprobe.conf (or in icingaVars)", name, flag)
		}
		if flag == "-t" {
			hasTimeout = true
		}
		argv = append(argv, flag)
		if v.isSwitch {
			vars[v.name] = true
			continue
		}
		if i+1 == len(args) {
			t.Fatalf("case %s: %s without a value", name, flag)
		}
		i++
		value := expand(args[i], url, closed)
		argv = append(argv, value)
		if v.array {
			list, _ := vars[v.name].([]string)
			vars[v.name] = append(list, value)
		} else {
			vars[v.name] = value
		}
	}
	if !hasTimeout {
		argv = append(argv, defaultTimeout...)
	}
	return vars, argv
}

// canonicalArgs orders arguments by flag, keeping the order of a repeated
// flag's values, which is all Icinga promises.
func canonicalArgs(t *testing.T, argv []string) []string {
	t.Helper()
	var pairs [][2]string
	for i := 0; i < len(argv); i++ {
		flag := argv[i]
		if v, ok := icingaVars[flag]; ok && v.isSwitch {
			pairs = append(pairs, [2]string{flag, ""})
			continue
		}
		if !strings.HasPrefix(flag, "-") || i+1 == len(argv) {
			t.Fatalf("unexpected argument %q in %q", flag, argv)
		}
		pairs = append(pairs, [2]string{flag, argv[i+1]})
		i++
	}
	slices.SortStableFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var out []string
	for _, p := range pairs {
		out = append(out, p[0], p[1])
	}
	return out
}

// exampleService is the "health" service that contrib/icinga2/example.conf
// applies to a host with vars.jsonprobe_url, here pointed at the warning
// document.
func exampleService(url string) service {
	target := url + "/warning"
	return service{host: "app1", name: "health",
		argv: []string{"-u", target, "-w", "goroutines > 2000", "-w", "memory.alloc_mb > 3072",
			"-c", `status != "ok"`, "-c", "goroutines > 5000", "-c", "memory.alloc_mb > 4096", "-t", "10s"},
		want: Result{State: 1,
			Output: "JSONPROBE WARNING - goroutines=2156 > 2000" + icingaSpace,
			Long: "WARNING goroutines: goroutines > 2000 (got 2156)\n" +
				`OK status: status != "ok" (got "ok")` + "\n" +
				"OK memory.alloc_mb: memory.alloc_mb > 3072 (got 256)",
			PerfData: "goroutines=2156;~:2000;~:5000 memory.alloc_mb=256;~:3072;~:4096 time=Ts;;;0 size=72B;;;0"}}
}

// secretEndpoint serves the ok document only with the bearer token and a
// header, and receives Uptime Kuma pushes: it proves that the contrib
// command's environment variables reach jsonprobe, and that `$$` in a custom
// variable arrives as `$`.
type secretEndpoint struct {
	url, token, kumaToken string
	mu                    sync.Mutex
	pushes                []string
	refused               []string
}

func newSecretEndpoint(t *testing.T) *secretEndpoint {
	t.Helper()
	e := &secretEndpoint{token: "tok-" + randomHex(t), kumaToken: "kuma-" + randomHex(t)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		switch {
		case r.URL.Path == "/api/push/"+e.kumaToken:
			e.pushes = append(e.pushes, r.URL.Query().Get("status")+" "+r.URL.Query().Get("msg"))
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`)
		case r.URL.Path == "/health" && r.Header.Get("Authorization") == "Bearer "+e.token && r.Header.Get("X-Probe") == "yes":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, documents["/ok"])
		default:
			e.refused = append(e.refused, r.Method+" "+r.URL.Path)
			http.Error(w, `{"error":"forbidden"}`, http.StatusForbidden)
		}
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *secretEndpoint) secrets() []string { return []string{e.token, e.kumaToken} }

// service is the "secrets" service: flags the scenarios do not use, two
// secrets in the environment, and `$` in expressions.
func (e *secretEndpoint) service(t *testing.T) service {
	t.Helper()
	args := []string{"-u", e.url + "/health", "-c", "$status != 200", "-w", "$.goroutines > 2000",
		"-H", "X-Probe: yes", "-t", "5s", "--expect-status", "200", "--no-follow"}
	vars, argv := icingaArgs(t, "secrets", args, "", "")
	vars["jsonprobe_bearer_token"] = e.token
	vars["jsonprobe_kuma_url"] = e.url + "/api/push/" + e.kumaToken + "?status=up&msg=OK&ping="
	vars["jsonprobe_insecure"] = false // set_if false: no -k
	return service{host: "probe", name: "secrets", vars: vars, argv: argv, want: Result{State: 0,
		Output:   "JSONPROBE OK - 2 checks OK" + icingaSpace,
		Long:     "OK $status: $status != 200 (got 200)\nOK goroutines: goroutines > 2000 (got 1234)",
		PerfData: "goroutines=1234;~:2000 time=Ts;;;0 size=72B;;;0"}}
}

// verify checks that jsonprobe sent the token and pushed once to Kuma.
func (e *secretEndpoint) verify(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.refused) > 0 {
		t.Errorf("secret endpoint refused %q: token or header missing", e.refused)
	}
	if want := []string{"up OK - 2 checks OK"}; !slices.Equal(want, e.pushes) {
		t.Errorf("Kuma pushes %q, want %q", e.pushes, want)
	}
}

// influxReceiver stands in for InfluxDB: it answers the InfluxdbWriter's
// writes and keeps the points of each service.
type influxReceiver struct {
	port   int
	mu     sync.Mutex
	points map[string][]string
}

// serviceTag finds the service tag in a line-protocol point.
var serviceTag = regexp.MustCompile(`,service=((?:\\.|[^,\s\\])+)`)

func newInfluxReceiver(t *testing.T) *influxReceiver {
	t.Helper()
	rcv := &influxReceiver{points: map[string][]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rcv.mu.Lock()
		for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
			if m := serviceTag.FindStringSubmatch(line); m != nil {
				rcv.points[m[1]] = append(rcv.points[m[1]], line)
			}
		}
		rcv.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	rcv.port = srv.Listener.Addr().(*net.TCPAddr).Port
	return rcv
}

// waitPoints waits until every service has sent as many points as wanted, or
// for at most d, and returns what arrived.
func (rcv *influxReceiver) waitPoints(want map[string]int, d time.Duration) map[string][]string {
	deadline := time.Now().Add(d)
	for {
		rcv.mu.Lock()
		done := true
		for name, n := range want {
			if len(rcv.points[name]) < n {
				done = false
			}
		}
		got := map[string][]string{}
		for k, v := range rcv.points {
			got[k] = slices.Clone(v)
		}
		rcv.mu.Unlock()
		if done || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type icingaConfigParams struct {
	pluginDir, contrib, logFile string
	exampleURL                  string // app1's vars.jsonprobe_url
	apiPort, influxPort         int
	apiPassword                 string
	services                    []service
}

// icingaConfig writes the private instance's main.conf. Global active checks
// are off, so Icinga runs no check of its own; a forced reschedule through the
// API runs each service exactly once.
func icingaConfig(p icingaConfigParams) string {
	var b strings.Builder
	// command = [ PluginContribDir + "/check_jsonprobe" ] is
	// macro-resolved: `$` is `$$`.
	fmt.Fprintf(&b, "const PluginDir = %s\nconst PluginContribDir = PluginDir\n", macroString(p.pluginDir))
	fmt.Fprintf(&b, "const NodeName = %s\nconst ZoneName = NodeName\n\n", dslString(icingaNode))
	b.WriteString("include <itl>\n")
	if installed {
		// As Debian's icinga2.conf has it: the package's CheckCommand
		// from plugins-contrib.d, with the ITL's others (which import
		// templates of <plugins>).
		b.WriteString("include <plugins>\ninclude <plugins-contrib>\n")
	} else {
		fmt.Fprintf(&b, "include %s\n", dslString(filepath.Join(p.contrib, "jsonprobe.conf")))
	}
	fmt.Fprintf(&b, "include %s\n\n", dslString(filepath.Join(p.contrib, "example.conf")))
	fmt.Fprintf(&b, `object IcingaApplication "app" {
	enable_host_checks = false
	enable_service_checks = false
	enable_notifications = false
	enable_event_handlers = false
	enable_flapping = false
}
object FileLogger "log" {
	path = %s
	severity = "information"
}
object CheckerComponent "checker" { }
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = %d
	accept_config = false
	accept_commands = false
}
object ApiUser "jsonprobe-test" {
	password = %s
	permissions = [ "objects/query/Service", "actions/reschedule-check" ]
}
object InfluxdbWriter "influxdb" {
	host = "127.0.0.1"
	port = %d
	database = "icinga2"
	flush_threshold = 1
	flush_interval = 1s
	service_template = {
		measurement = "$service.check_command$"
		tags = { hostname = "$host.name$", service = "$service.name$" }
	}
}

object Host "probe" {
	check_command = "dummy"
}
object Host "app1" {
	check_command = "dummy"
	vars.jsonprobe_url = %s
}
`, dslString(p.logFile), p.apiPort, dslString(p.apiPassword), p.influxPort, macroString(p.exampleURL))
	for _, s := range p.services {
		if s.host != "probe" {
			continue // applied by example.conf
		}
		fmt.Fprintf(&b, "\nobject Service %s {\n\thost_name = %s\n\tcheck_command = \"jsonprobe\"\n", dslString(s.name), dslString(s.host))
		names := make([]string, 0, len(s.vars))
		for name := range s.vars {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			fmt.Fprintf(&b, "\tvars.%s = %s\n", name, dslValue(s.vars[name]))
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// dslString is s as an Icinga 2 DSL string literal.
func dslString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s) + `"`
}

// macroString is s as a DSL string literal whose value Icinga resolves as
// macros (custom variables in arguments and env, the command): `$` is `$$`.
func macroString(s string) string { return dslString(strings.ReplaceAll(s, "$", "$$")) }

// dslValue is a custom variable's value in the DSL.
func dslValue(v any) string {
	switch v := v.(type) {
	case string:
		return macroString(v)
	case bool:
		return strconv.FormatBool(v)
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = macroString(s)
		}
		return "[ " + strings.Join(items, ", ") + " ]"
	}
	panic(fmt.Sprintf("custom variable of type %T", v))
}

// icingaAPI is a client of the private instance's REST API.
type icingaAPI struct {
	base, password string
	client         *http.Client
}

func (a *icingaAPI) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth("jsonprobe-test", a.password)
	req.Header.Set("Accept", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// waitReady waits until the API answers, or fails after d.
func (a *icingaAPI) waitReady(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		code, body, err := a.do("GET", "/v1/objects/services?attrs=name", nil)
		if err == nil && code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Icinga API not ready after %s: HTTP %d %s %v", d, code, body, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rescheduleAll forces one check of every service now.
func (a *icingaAPI) rescheduleAll(t *testing.T, n int) {
	t.Helper()
	code, body, err := a.do("POST", "/v1/actions/reschedule-check", map[string]any{
		"type": "Service", "filter": `host.name == "probe" || host.name == "app1"`, "force": true,
	})
	if err != nil || code != http.StatusOK {
		t.Fatalf("reschedule-check: HTTP %d %s %v", code, body, err)
	}
	var resp struct{ Results []struct{ Code float64 } }
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("reschedule-check: %v: %s", err, body)
	}
	ok := 0
	for _, r := range resp.Results {
		if r.Code == http.StatusOK {
			ok++
		}
	}
	if len(resp.Results) != n || ok != n {
		t.Fatalf("reschedule-check rescheduled %d of %d services, want %d: %s", ok, len(resp.Results), n, body)
	}
}

// checkResult is the part of Icinga's last_check_result the test reads.
type checkResult struct {
	ExitStatus      int      `json:"exit_status"`
	State           float64  `json:"state"`
	Output          string   `json:"output"`
	PerformanceData []any    `json:"performance_data"`
	Command         []string `json:"command"`
}

// result is what Icinga stored, split as jsonprobe prints it. Icinga's output
// holds the text of every line, perfdata cut off; performance_data is one
// string per item.
func (cr *checkResult) result() Result {
	first, long, _ := strings.Cut(cr.Output, "\n")
	items := make([]string, len(cr.PerformanceData))
	for i, p := range cr.PerformanceData {
		items[i] = fmt.Sprint(p)
	}
	return Result{State: int(cr.State), Output: first, Long: long, PerfData: stable(strings.Join(items, " "))}
}

// waitResults polls until every service has a check result, or fails after d.
func (a *icingaAPI) waitResults(t *testing.T, services []service, d time.Duration) map[string]*checkResult {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		code, body, err := a.do("GET", "/v1/objects/services?attrs=last_check_result", nil)
		if err != nil || code != http.StatusOK {
			t.Fatalf("query services: HTTP %d %s %v", code, body, err)
		}
		var resp struct {
			Results []struct {
				Name  string
				Attrs struct {
					LastCheckResult *checkResult `json:"last_check_result"`
				}
			}
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatalf("query services: %v: %s", err, body)
		}
		got := map[string]*checkResult{}
		for _, r := range resp.Results {
			if r.Attrs.LastCheckResult != nil {
				got[r.Name] = r.Attrs.LastCheckResult
			}
		}
		var missing []string
		for _, s := range services {
			if got[s.host+"!"+s.name] == nil {
				missing = append(missing, s.host+"!"+s.name)
			}
		}
		if len(missing) == 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("no check result after %s for %s", d, strings.Join(missing, ", "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeAPICert writes a throwaway self-signed certificate for the API into
// certsDir, as Icinga expects it (NodeName.crt, NodeName.key, ca.crt), and
// returns a pool that trusts it.
func writeAPICert(t *testing.T, certsDir string) *x509.CertPool {
	t.Helper()
	// Self-signed, so it is its own CA.
	certPEM, keyPEM, _ := (*testcert.CA)(nil).Issue(t, &x509.Certificate{
		Subject:               pkix.Name{CommonName: icingaNode},
		DNSNames:              []string{icingaNode},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour), // far from Icinga's renewal window
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	for name, data := range map[string][]byte{
		icingaNode + ".crt": certPEM,
		"ca.crt":            certPEM,
		icingaNode + ".key": keyPEM,
	} {
		if err := os.WriteFile(filepath.Join(certsDir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return pool
}

// runAs makes Icinga run as the current user and group instead of icinga.
func runAs(t *testing.T) []string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		t.Fatal(err)
	}
	return []string{"-DRunAsUser=" + u.Username, "-DRunAsGroup=" + g.Name}
}

// freePort is a loopback TCP port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
