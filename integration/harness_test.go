//go:build integration

// Package integration runs the built jsonprobe binary under the real
// monitoring cores from Debian, Nagios 4 and Icinga 2, each started in the
// foreground in a private temporary folder, and checks what the core stored.
// Run with `make integration`; the cores are required, never skipped.
package integration

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// What the tests run: jsonprobe (and jsonprobe-exporter beside it), the
// plugin the monitoring cores call (check_jsonprobe) and the contrib files
// they read. With JSONPROBE_INSTALLED=1 they are the Debian package's
// files (make deb, then dpkg -i: what .ci/run does), nothing read from the
// repository; otherwise TestMain builds the binaries as they ship and
// links check_jsonprobe to jsonprobe as the package does, with ../contrib.
var (
	jsonprobeBin string
	pluginBin    string
	contribDir   string
	// installed: the Icinga test loads the CheckCommand with
	// include <plugins-contrib>, from plugins-contrib.d.
	installed bool
)

func TestMain(m *testing.M) {
	if os.Getenv("JSONPROBE_INSTALLED") == "1" {
		installed = true
		jsonprobeBin, pluginBin, contribDir = "/usr/bin/jsonprobe", "/usr/lib/nagios/plugins/check_jsonprobe", "/usr/share/doc/jsonprobe/contrib"
		for _, f := range []string{jsonprobeBin, "/usr/bin/jsonprobe-exporter", pluginBin, contribDir, icingaContribConf} {
			if _, err := os.Stat(f); err != nil {
				fmt.Fprintln(os.Stderr, "JSONPROBE_INSTALLED=1 but the package's file is not there:", err)
				os.Exit(1)
			}
		}
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "jsonprobe-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	jsonprobeBin, pluginBin = filepath.Join(dir, "jsonprobe"), filepath.Join(dir, "check_jsonprobe")
	if contribDir, err = filepath.Abs("../contrib"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Built as it ships, by the Makefile's build target.
	build := exec.Command("make", "-s", "-C", "..", "build", "BIN="+jsonprobeBin)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building jsonprobe:", err)
		os.Exit(1)
	}
	if err := os.Symlink("jsonprobe", pluginBin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// icingaContribConf is where the package puts the CheckCommand.
const icingaContribConf = "/usr/share/icinga2/include/plugins-contrib.d/jsonprobe.conf"

// Documents the test endpoint serves, by path.
var documents = map[string]string{
	"/ok":       `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"sys_mb":512}}`,
	"/warning":  `{"status":"ok","goroutines":2156,"memory":{"alloc_mb":256,"sys_mb":512}}`,
	"/critical": `{"status":"ok","goroutines":5234,"memory":{"alloc_mb":256,"sys_mb":512}}`,
	"/missing":  `{"status":"ok","memory":{"alloc_mb":256,"sys_mb":512}}`,
	// Keys that make perfdata labels need care: spaces, quotes, dots, "=".
	"/labels": `{"queue depth":12,"it's":3,"a.b":{"c":1.5},"ratio":0.25,"x=y":7,"up":true}`,
}

// endpoint starts the loopback health endpoint and returns its base URL.
func endpoint(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := documents[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(doc))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// closedURL is a loopback URL on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr + "/health"
}

// requireCommand fails the test (never skips) when a core is not installed:
// `make integration` installs them.
func requireCommand(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed (apt-get install nagios4-core icinga2-bin prometheus, or run make integration): %v", name, err)
	}
	return p
}

// privateDir is a 0700 temporary folder for one core's whole run.
func privateDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startCore starts a core in the foreground as our child, in its own process
// group, and stops it (TERM, then KILL) with all its children at cleanup.
func startCore(t *testing.T, dir, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	log, err := os.Create(filepath.Join(dir, "core.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		// TERM the core itself first: Icinga's worker obeys only its parent,
		// and a TERM to the whole group can get lost in the worker.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
			}
		}
		// Whatever is left of the group (a hung plugin) goes too.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = log.Close()
		if t.Failed() {
			out, _ := os.ReadFile(filepath.Join(dir, "core.out"))
			t.Logf("%s output:\n%s", name, tail(string(out), 40))
		}
	})
	return cmd
}

// run runs a command to completion within a minute, failing the test on error.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(string(out), 40))
	}
	return string(out)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Result is what a core stored for one service check.
type Result struct {
	State    int
	Output   string // first line, without perfdata
	Long     string // long output, lines joined with "\n"
	PerfData string
}

// timeRe matches the one perfdata value that depends on timing.
var timeRe = regexp.MustCompile(`time=[0-9.]+s`)

// stable replaces the fetch time in perfdata with T.
func stable(perf string) string { return timeRe.ReplaceAllString(perf, "time=Ts") }

// Case is one service both cores run, with what they must store.
type Case struct {
	Name     string
	Args     []string // jsonprobe arguments; {URL} is the endpoint's base URL, {CLOSED} a closed port
	State    int
	Output   string
	Long     string
	PerfData string // with the time value as T
}

// cases are the scenarios the cores run: the four states, an unreachable
// target, a missing path, labels that need quoting, long output.
func cases() []Case {
	levels := []string{"-w", "goroutines > 2000", "-c", "goroutines > 5000"}
	return []Case{
		{Name: "ok", Args: append([]string{"-u", "{URL}/ok"}, levels...), State: 0,
			Output:   "JSONPROBE OK - 1 check OK",
			Long:     "OK goroutines: goroutines > 2000 (got 1234)",
			PerfData: "goroutines=1234;~:2000;~:5000 time=Ts;;;0 size=72B;;;0"},
		{Name: "warning", Args: append([]string{"-u", "{URL}/warning"}, levels...), State: 1,
			Output:   "JSONPROBE WARNING - goroutines=2156 > 2000",
			Long:     "WARNING goroutines: goroutines > 2000 (got 2156)",
			PerfData: "goroutines=2156;~:2000;~:5000 time=Ts;;;0 size=72B;;;0"},
		{Name: "critical", Args: append([]string{"-u", "{URL}/critical", "-m", "memory.sys_mb=sys[MB];~:1024"}, levels...), State: 2,
			Output:   "JSONPROBE CRITICAL - goroutines=5234 > 5000",
			Long:     "CRITICAL goroutines: goroutines > 5000 (got 5234)\nOK sys: 512 (warning ~:1024, critical none)",
			PerfData: "goroutines=5234;~:2000;~:5000 sys=512MB;~:1024 time=Ts;;;0 size=72B;;;0"},
		{Name: "unknown", Args: []string{"-u", "{URL}/ok", "-c", `status == "ok" && memory > 1`}, State: 3,
			Output:   "JSONPROBE UNKNOWN - memory: got object, want number",
			Long:     `UNKNOWN status == "ok" && memory > 1: status == "ok" && memory > 1 (memory: got object, want number)`,
			PerfData: "time=Ts;;;0 size=72B;;;0"},
		{Name: "unreachable", Args: append([]string{"-u", "{CLOSED}"}, levels...), State: 2,
			Output:   "JSONPROBE CRITICAL - GET {CLOSED}: connection refused",
			Long:     "CRITICAL fetch: GET {CLOSED}: connection refused",
			PerfData: "time=Ts;;;0 size=0B;;;0"},
		{Name: "missing", Args: append([]string{"-u", "{URL}/missing"}, levels...), State: 3,
			Output:   "JSONPROBE UNKNOWN - goroutines: not found",
			Long:     "UNKNOWN goroutines: goroutines > 5000 (goroutines: not found)",
			PerfData: "time=Ts;;;0 size=54B;;;0"},
		{Name: "labels", Args: []string{"-u", "{URL}/labels", "-w", "`queue depth` > 10", "-c", "`it's` > 5",
			"-w", `a\.b.c > 1`, "-w", "ratio >= 0.5", "-m", `x\=y`, "-m", "up=up state"}, State: 1,
			Output: "JSONPROBE WARNING - `queue depth`=12 > 10, a\\.b.c=1.5 > 1",
			Long: "WARNING `queue depth`: `queue depth` > 10 (got 12)\nWARNING a\\.b.c: a\\.b.c > 1 (got 1.5)\n" +
				"OK it's: it's > 5 (got 3)\nOK ratio: ratio >= 0.5 (got 0.25)",
			PerfData: "'it''s'=3;;~:5 'queue depth'=12;~:10 'a\\.b.c'=1.5;~:1 ratio=0.25;@0.5: 'x\\_y'=7 'up state'=1 time=Ts;;;0 size=74B;;;0"},
		// Names lead the text and label the perfdata (quoted where
		// they hold a space); arithmetic and sizes on the way.
		{Name: "named", Args: []string{"-u", "{URL}/critical", "-w", "goroutine count: goroutines > 2000",
			"-c", "goroutine count: goroutines > 5000", "-c", "heap ratio: memory.alloc_mb / memory.sys_mb > 0.4",
			"-c", "heap: memory.alloc_mb * 1MiB > 1GiB"}, State: 2,
			Output: "JSONPROBE CRITICAL - goroutine count=5234 > 5000, heap ratio=0.5 > 0.4 (memory.alloc_mb=256, memory.sys_mb=512)",
			Long: "CRITICAL goroutine count: goroutines > 5000 (got 5234)\n" +
				"CRITICAL heap ratio: memory.alloc_mb / memory.sys_mb > 0.4 (got 0.5, memory.alloc_mb=256, memory.sys_mb=512)\n" +
				"OK heap: memory.alloc_mb * 1MiB > 1GiB (got 268435456, memory.alloc_mb=256)",
			PerfData: "'goroutine count'=5234;~:2000;~:5000 'heap ratio'=0.5;;~:0.4 memory.alloc_mb=256 memory.sys_mb=512 heap=268435456;;~:1073741824 time=Ts;;;0 size=72B;;;0"},
	}
}

// expand fills in the endpoint's URLs.
func expand(s, url, closed string) string {
	return strings.NewReplacer("{URL}", url, "{CLOSED}", closed).Replace(s)
}

// direct runs jsonprobe itself for a case, to compare with what a core stored.
func direct(t *testing.T, c Case, url, closed string) (int, string) {
	t.Helper()
	var args []string
	for _, a := range c.Args {
		args = append(args, expand(a, url, closed))
	}
	cmd := exec.Command(jsonprobeBin, args...)
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

// TestCasesDirect pins each case's output when jsonprobe runs on its own, so
// a difference under a core is the core's doing.
func TestCasesDirect(t *testing.T) {
	url, closed := endpoint(t), closedURL(t)
	for _, c := range cases() {
		t.Run(c.Name, func(t *testing.T) {
			code, out := direct(t, c, url, closed)
			first, long, _ := strings.Cut(out, "\n")
			text, perf, _ := strings.Cut(first, " | ")
			if code != c.State || text != expand(c.Output, url, closed) || stable(perf) != c.PerfData ||
				strings.TrimRight(long, "\n") != expand(c.Long, url, closed) {
				t.Errorf("direct run:\nexit %d, want %d\n%s\nwant text: %s\nwant perf: %s\nwant long:\n%s",
					code, c.State, out, expand(c.Output, url, closed), c.PerfData, expand(c.Long, url, closed))
			}
		})
	}
}
