//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// TestWatchInTmux runs jsonprobe watch in a real terminal, tmux at 100×30,
// against a service whose goroutines climb 1000 → 2500 → 6000: the rows,
// the states turning WARNING then CRITICAL, the sparkline growing, the
// min/avg/max; a resize to 60×20 redraws cleanly; q exits 0 and leaves the
// terminal as it was (main screen, cursor shown).
func TestWatchInTmux(t *testing.T) {
	tmuxBin := requireCommand(t, "tmux")
	var hits atomic.Int64
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := hits.Add(1)
		g := 6000
		switch {
		case n <= 3:
			g = 1000
		case n <= 6:
			g = 2500
		}
		fmt.Fprintf(w, `{"goroutines":%d,"memory":{"alloc_mb":256}}`, g)
	}))
	t.Cleanup(service.Close)

	tmux, exited := startWatch(t, tmuxBin, 100, 30, fmt.Sprintf("-i 300ms -w 'goroutines > 2000' -c 'goroutines > 5000' -m memory.alloc_mb %s/health", service.URL))
	capture := func() string { return tmux("capture-pane", "-p", "-t", "w") }

	row := regexp.MustCompile(`(?m)^goroutines +(OK|WARNING|CRITICAL) +(\d+) .* ([▁▂▃▄▅▆▇█]+)`)
	seen := map[string]bool{}
	var bars []int // the sparkline's length at each state seen
	var screen string
	deadline := time.Now().Add(30 * time.Second)
	for !seen["CRITICAL"] || hits.Load() < 9 {
		if time.Now().After(deadline) {
			t.Fatalf("no CRITICAL within 30 s; states seen %v; the screen:\n%s", seen, screen)
		}
		screen = capture()
		if m := row.FindStringSubmatch(screen); m != nil {
			if !seen[m[1]] {
				bars = append(bars, utf8.RuneCountInString(m[3]))
			}
			seen[m[1]] = true
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, s := range []string{"OK", "WARNING", "CRITICAL"} {
		if !seen[s] {
			t.Errorf("the goroutines row was never %s (seen %v)", s, seen)
		}
	}
	for i := 1; i < len(bars); i++ {
		if bars[i] <= bars[i-1] {
			t.Errorf("the sparkline did not grow: %v bars at the states seen", bars)
		}
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^jsonprobe watch  ` + regexp.QuoteMeta(service.URL) + `/health  \d\d:\d\d:\d\d  every 300ms  CRITICAL for \d+m?s$`),
		regexp.MustCompile(`(?m)^CHECK / VALUE +STATE +NOW +MIN +AVG +MAX +CHANGE +/MIN +TREND$`),
		// min 1000, max 6000, and an average between them.
		regexp.MustCompile(`(?m)^goroutines +CRITICAL +6000 +1000 +(\d{4}(\.\d\d)?) +6000 +\+5000 `),
		regexp.MustCompile(`(?m)^memory\.alloc_mb +256 +256 +256 +256 +0 +0 `),
		regexp.MustCompile(`(?m)^q quit  p pause  r probe now  \? help$`),
	}
	for _, re := range want {
		if !re.MatchString(screen) {
			t.Errorf("no %s on the screen:\n%s", re, screen)
		}
	}

	// Resized to 60×20: redrawn to the new width, nothing left over.
	tmux("resize-window", "-t", "w", "-x", "60", "-y", "20")
	deadline = time.Now().Add(10 * time.Second)
	for screen = capture(); !strings.Contains(screen, "CHECK / VALUE   STATE        NOW") || strings.Contains(screen, "/MIN"); screen = capture() {
		if time.Now().After(deadline) {
			t.Fatalf("no redraw at 60 columns:\n%s", screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	if strings.Count(screen, "jsonprobe watch") != 1 || strings.Count(screen, "CHECK / VALUE") != 1 {
		t.Errorf("the header twice after the resize:\n%s", screen)
	}
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 60 {
			t.Errorf("a line wider than 60 after the resize: %q", l)
		}
	}
	if !regexp.MustCompile(`(?m)^goroutines +CRITICAL +6000 `).MatchString(screen) {
		t.Errorf("the rows are gone after the resize:\n%s", screen)
	}

	// q: exit 0, the terminal restored.
	tmux("send-keys", "-t", "w", "q")
	checkRestored(t, tmux, exited)
}

// startWatch runs jsonprobe watch with args in a new tmux server of its
// own at width×height, in a shell that writes the exit code and stays, so
// that the pane shows what the view left. It returns a tmux runner and the
// exit code's file.
func startWatch(t *testing.T, tmuxBin string, width, height int, args string) (tmux func(...string) string, exitFile string) {
	t.Helper()
	dir := privateDir(t)
	socket := filepath.Join(dir, "tmux.sock")
	exitFile = filepath.Join(dir, "exit")
	tmux = func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmuxBin, append([]string{"-S", socket}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	// The terminal's modes before and after, to compare: raw mode must be
	// undone too.
	script := fmt.Sprintf("stty -g > %[3]s.before; %[1]s watch %[2]s; echo $? > %[3]s; stty -g > %[3]s.after; sleep 60", jsonprobeBin, args, exitFile)
	tmux("-f", "/dev/null", "new-session", "-d", "-s", "w", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command(tmuxBin, "-S", socket, "kill-server").Run() })
	return tmux, exitFile
}

// checkRestored waits for the view to end and checks that it exited 0 and
// left the main screen with the cursor shown.
func checkRestored(t *testing.T, tmux func(...string) string, exitFile string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var code []byte
	for {
		var err error
		code, err = os.ReadFile(exitFile)
		if after, _ := os.ReadFile(exitFile + ".after"); err == nil && len(code) > 0 && len(after) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the view did not end:\n%s", tmux("capture-pane", "-p", "-t", "w"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := strings.TrimSpace(string(code)); got != "0" {
		t.Errorf("exit %s, want 0", got)
	}
	before, _ := os.ReadFile(exitFile + ".before")
	after, _ := os.ReadFile(exitFile + ".after")
	if string(before) != string(after) || len(before) == 0 {
		t.Errorf("the terminal's modes changed (stty -g): before %q, after %q", before, after)
	}
	if got := strings.TrimSpace(tmux("display-message", "-p", "-t", "w", "#{alternate_on} #{cursor_flag}")); got != "0 1" {
		t.Errorf("alternate screen and cursor %q, want \"0 1\" (main screen, cursor shown)", got)
	}
}

// TestWatchRestoresTheTerminal: Ctrl-C and SIGTERM end the view as q does,
// the terminal as it was.
func TestWatchRestoresTheTerminal(t *testing.T) {
	tmuxBin := requireCommand(t, "tmux")
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"goroutines":1234}`)
	}))
	t.Cleanup(service.Close)
	for _, tc := range []struct{ name, key string }{{"ctrl-c", "C-c"}, {"sigterm", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			target := service.URL + "/health?view=" + tc.name // the process to signal, by its arguments
			tmux, exited := startWatch(t, tmuxBin, 80, 24, "-i 200ms -c 'goroutines > 5000' '"+target+"'")
			deadline := time.Now().Add(20 * time.Second)
			for !strings.Contains(tmux("capture-pane", "-p", "-t", "w"), "goroutines") {
				if time.Now().After(deadline) {
					t.Fatal("the view did not start")
				}
				time.Sleep(50 * time.Millisecond)
			}
			if tc.key != "" {
				tmux("send-keys", "-t", "w", tc.key)
			} else if out, err := exec.Command("pkill", "-TERM", "-f", "^"+regexp.QuoteMeta(jsonprobeBin)+" watch .*view="+tc.name).CombinedOutput(); err != nil {
				t.Fatalf("pkill: %v %s", err, out)
			}
			checkRestored(t, tmux, exited)
		})
	}
}

// TestWatchVerboseInTmux: at 130 columns with -v, a checks file and a
// labelled metric: each check's row has its finding under it, the metric's
// row is named by its label, the states are in colour, and the sparkline
// grows past the 7 cells it has at 80 columns.
func TestWatchVerboseInTmux(t *testing.T) {
	tmuxBin := requireCommand(t, "tmux")
	var hits atomic.Int64
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"goroutines":2500,"memory":{"alloc_mb":256,"sys_mb":512}}`)
	}))
	t.Cleanup(service.Close)
	checks := filepath.Join(privateDir(t), "checks.yaml")
	if err := os.WriteFile(checks, []byte("checks:\n  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }\n  - { name: memory, warning: memory.alloc_mb > 3072 }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmux, exited := startWatch(t, tmuxBin, 130, 30, fmt.Sprintf("-v -i 100ms -f %s -m memory.sys_mb=sys %s/health", checks, service.URL))
	row := regexp.MustCompile(`(?m)^goroutines +WARNING +2500 .* ([▁▂▃▄▅▆▇█]+) w2000 c5000$`)
	var screen string
	deadline := time.Now().Add(30 * time.Second)
	for m := row.FindStringSubmatch(screen); m == nil || utf8.RuneCountInString(m[1]) < 12; m = row.FindStringSubmatch(screen) {
		if time.Now().After(deadline) {
			t.Fatalf("no sparkline of 12 cells within 30 s (%d probes); the screen:\n%s", hits.Load(), screen)
		}
		time.Sleep(100 * time.Millisecond)
		screen = tmux("capture-pane", "-p", "-t", "w")
	}
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^goroutines +WARNING .*\n  goroutines > 2000 \(got 2500\)$`),
		regexp.MustCompile(`(?m)^memory +OK +256 .*\n  memory\.alloc_mb > 3072 \(got 256\)$`),
		regexp.MustCompile(`(?m)^sys +512 +512 `),
	} {
		if !re.MatchString(screen) {
			t.Errorf("no %s on the screen:\n%s", re, screen)
		}
	}
	if colored := tmux("capture-pane", "-e", "-p", "-t", "w"); !strings.Contains(colored, "\x1b[33mWARNING") {
		t.Errorf("WARNING is not yellow:\n%q", colored)
	}
	tmux("send-keys", "-t", "w", "q")
	checkRestored(t, tmux, exited)
}

// TestWatchLinesInTmux: on a terminal, -o json and -q write lines, never
// the view: the one-shot probe's JSON line per probe; the probes that are
// not OK.
func TestWatchLinesInTmux(t *testing.T) {
	tmuxBin := requireCommand(t, "tmux")
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"goroutines":2500}`)
	}))
	t.Cleanup(service.Close)
	for _, tc := range []struct{ name, args, line string }{
		{"json", "-o json", `^\{"schema_version":1,.*"state":"WARNING".*\}$`},
		{"quiet", "-q", `^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WARNING goroutines=2500$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmux, exited := startWatch(t, tmuxBin, 200, 30, fmt.Sprintf("%s -i 100ms --for 1s -w 'goroutines > 2000' %s/health", tc.args, service.URL))
			deadline := time.Now().Add(20 * time.Second)
			for {
				if b, _ := os.ReadFile(exited); len(b) > 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("watch --for 1s did not end:\n%s", tmux("capture-pane", "-p", "-t", "w"))
				}
				time.Sleep(50 * time.Millisecond)
			}
			// From the start of the history (-S -), a line that the pane
			// wrapped as one line (-J).
			lines := strings.Split(strings.TrimSpace(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "w")), "\n")
			if len(lines) < 2 {
				t.Fatalf("fewer than 2 lines for 1 s at 100 ms: %q", lines)
			}
			for _, l := range lines {
				if !regexp.MustCompile(tc.line).MatchString(l) {
					t.Errorf("not a line of %s: %q", tc.args, l)
				}
			}
			if code, _ := os.ReadFile(exited); strings.TrimSpace(string(code)) != "1" {
				t.Errorf("exit %s, want 1 (the last probe was WARNING)", code)
			}
		})
	}
}
