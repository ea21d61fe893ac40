package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConfigFaults: checks files that are malformed, hostile, missing or
// not readable, and the secrets they name that are not there.
func TestConfigFaults(t *testing.T) {
	runFaults(t, configRows())
}

// billionLaughs is the alias-expansion bomb, in the one place a checks file
// decodes nested values through aliases: merge keys.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("url: http://127.0.0.1:1/health\n")
	b.WriteString("x0: &l0 {on_error: critical}\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x%d: &l%d {<<: [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]}\n")
	}
	b.WriteString("<<: [*l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9, *l9]\n")
	return b.String()
}

// billionLaughsList is the classic form, aliases of lists of lists, under a
// key that takes a list.
func billionLaughsList() string {
	var b strings.Builder
	b.WriteString("url: http://127.0.0.1:1/health\n")
	b.WriteString(`a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("expect_status: *a9\n")
	return b.String()
}

func configRows() []faultRow {
	// yamlRow runs -f with content (URL replaced by a server of the health
	// document) and expects exit 3 and the reason after the file name.
	yamlRow := func(name, content, reason string) faultRow {
		return faultRow{name: name, args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", content)}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": ` + reason}
	}
	rows := []faultRow{
		yamlRow("YAML unknown key", "url: http://127.0.0.1:1/health\ntimout: 5s\n", `line 2: unknown key "timout" (did you mean timeout?)`),
		yamlRow("YAML unknown key in a check", "url: http://127.0.0.1:1/health\nchecks:\n  - name: g\n    critcal: goroutines > 5000\n", `line 4: unknown key "critcal" (did you mean critical?)`),
		yamlRow("YAML wrong type (list for timeout)", "url: http://127.0.0.1:1/health\ntimeout: [1, 2]\n", `line 2: {any}`),
		yamlRow("YAML wrong type (word for a bool)", "url: http://127.0.0.1:1/health\ninsecure: maybe\n", `line 2: {any}`),
		yamlRow("YAML wrong type (map for checks)", "url: http://127.0.0.1:1/health\nchecks:\n  name: g\n", `line 3: {any}`),
		yamlRow("YAML tab indentation", "url: http://127.0.0.1:1/health\nchecks:\n\t- name: g\n\t  critical: goroutines > 5000\n", `line 3: {any}`),
		yamlRow("YAML second document", "url: http://127.0.0.1:1/health\n---\nurl: http://127.0.0.1:2/health\n", `line {num}: a second YAML document; a checks file holds one`),
		yamlRow("YAML empty file", "", `the file is empty`),
		yamlRow("YAML alias bomb through merge keys", billionLaughs(), `{any}`),
		yamlRow("YAML alias bomb of lists", billionLaughsList(), `{any}`),
		{name: "YAML anchors and aliases", args: func(t *testing.T) []string {
			u := respond(t, 200, "application/json", fmt.Sprintf(healthDoc, 6000))
			return []string{"-f", writeFile(t, "checks.yaml", "url: "+u+"\n"+
				"checks:\n"+
				"  - name: goroutines\n"+
				"    critical: &many goroutines > 5000\n"+
				"  - name: again\n"+
				"    warning: *many\n")}
		}, wantCode: 2, wantFirst: "JSONPROBE CRITICAL - goroutines=6000 > 5000, again=6000 > 5000 | goroutines=6000;;~:5000 again=6000;~:5000 time={num}s;;;0 size=106B;;;0"},
		{name: "config is a directory", args: func(t *testing.T) []string {
			return []string{"-f", t.TempDir()}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}": is a directory, not a file`},
		{name: "config missing", args: func(*testing.T) []string {
			return []string{"-f", "/nonexistent/checks.yaml"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "/nonexistent/checks.yaml": no such file`},
		{name: "config bearer_token_file missing", args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\nbearer_token_file: missing-token\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": bearer_token_file "{path}/missing-token": no such file`},
		{name: "config bearer_token_env not set", args: func(t *testing.T) []string {
			return []string{"-f", writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\nbearer_token_env: JSONPROBE_HARDENING_UNSET\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": bearer_token_env: environment variable JSONPROBE_HARDENING_UNSET is not set`},
	}
	// Root reads a mode-000 file, so the row means nothing when run as root.
	if os.Geteuid() != 0 {
		rows = append(rows, faultRow{name: "config unreadable", args: func(t *testing.T) []string {
			p := writeFile(t, "checks.yaml", "url: http://127.0.0.1:1/health\n")
			require.NoError(t, os.Chmod(p, 0))
			return []string{"-f", p}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - config "{path}/checks.yaml": permission denied`})
	}
	return rows
}
