//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNagios4 runs every case as a service of a private Nagios 4 core,
// with the commands of contrib/nagios/jsonprobe.cfg, and checks what the
// core stored in status.dat: state, plugin output, long output, perfdata.
func TestNagios4(t *testing.T) {
	nagios := requireCommand(t, "nagios4")
	dir := privateDir(t)
	url, closed := endpoint(t), closedURL(t)
	writeNagiosConfig(t, dir, filepath.Join(contribDir, "nagios"), url, closed)

	// The configuration, contrib's commands and example included, validates.
	out := run(t, nagios, "-v", filepath.Join(dir, "nagios.cfg"))
	if !strings.Contains(out, "Total Errors:   0") {
		t.Fatalf("nagios4 -v:\n%s", out)
	}

	startCore(t, dir, nagios, filepath.Join(dir, "nagios.cfg"))
	results := waitNagiosResults(t, filepath.Join(dir, "status.dat"), len(cases()), 30*time.Second)

	for _, c := range cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, ok := results[c.Name]
			if !ok {
				t.Fatalf("no result for service %q", c.Name)
			}
			want := Result{State: c.State, Output: expand(c.Output, url, closed),
				Long: expand(c.Long, url, closed), PerfData: c.PerfData}
			got.PerfData = stable(got.PerfData)
			if got != want {
				t.Errorf("Nagios stored:\n%+v\nwant:\n%+v", got, want)
			}
		})
	}
}

// writeNagiosConfig writes nagios.cfg, the resource file and the objects:
// one service per case, each calling a command of contrib/nagios.
func writeNagiosConfig(t *testing.T, dir, contrib, url, closed string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(dir, "checkresults"), 0o700); err != nil {
		t.Fatal(err)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	main := []string{
		"log_file=" + p("nagios.log"),
		"cfg_file=" + p("objects.cfg"),
		"cfg_file=" + filepath.Join(contrib, "jsonprobe.cfg"),
		"cfg_file=" + filepath.Join(contrib, "example.cfg"),
		"resource_file=" + p("resource.cfg"),
		"status_file=" + p("status.dat"),
		"status_update_interval=1",
		"object_cache_file=" + p("objects.cache"),
		"precached_object_file=" + p("objects.precache"),
		"temp_file=" + p("nagios.tmp"),
		"temp_path=" + dir,
		"lock_file=" + p("nagios.lock"),
		"command_file=" + p("nagios.cmd"),
		"check_result_path=" + p("checkresults"),
		"state_retention_file=" + p("retention.dat"),
		"retain_state_information=0",
		"nagios_user=root",
		"nagios_group=root",
		"use_syslog=0",
		"log_rotation_method=n",
		"enable_notifications=0",
		"execute_service_checks=1",
		"check_external_commands=1",
		"service_inter_check_delay_method=n",
		"host_inter_check_delay_method=n",
		"max_service_check_spread=1",
		"enable_flap_detection=0",
		"check_service_freshness=0",
		"process_performance_data=0",
		"service_check_timeout=30",
	}
	writeFile(t, p("nagios.cfg"), strings.Join(main, "\n")+"\n")
	writeFile(t, p("resource.cfg"), "$USER1$="+filepath.Dir(pluginBin)+"\n")

	var b strings.Builder
	b.WriteString(`define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday 00:00-24:00
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
}
define command {
    command_name notify_none
    command_line /bin/true
}
define contact {
    contact_name                  root
    service_notification_period   24x7
    host_notification_period      24x7
    service_notification_options  n
    host_notification_options     n
    service_notification_commands notify_none
    host_notification_commands    notify_none
}
define host {
    name                  generic-host
    register              0
    max_check_attempts    1
    check_period          24x7
    notification_period   24x7
    contacts              root
    active_checks_enabled 0
}
define service {
    name                  generic-service
    register              0
    max_check_attempts    1
    check_interval        3600
    retry_interval        3600
    check_period          24x7
    notification_period   24x7
    contacts              root
}
define host {
    use       generic-host
    host_name probe-host
    address   127.0.0.1
}
`)
	for _, c := range cases() {
		fmt.Fprintf(&b, "define service {\n    use generic-service\n    host_name probe-host\n    service_description %s\n    check_command %s\n}\n",
			c.Name, nagiosCommand(c, url, closed))
	}
	// The example's services point at port 3000, where nothing listens:
	// they are validated, not asserted. Keep them from running.
	b.WriteString("define service {\n    name unused\n    register 0\n}\n")
	writeFile(t, p("objects.cfg"), b.String())
}

// nagiosCommand turns a case into a check_command line: check_jsonprobe for
// the plain URL + warning + critical form, check_jsonprobe_args otherwise.
func nagiosCommand(c Case, url, closed string) string {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = expand(a, url, closed)
	}
	if len(args) == 6 && args[0] == "-u" && args[2] == "-w" && args[4] == "-c" {
		return "check_jsonprobe!" + nagiosArg(args[1]) + "!" + nagiosArg(args[3]) + "!" + nagiosArg(args[5])
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return "check_jsonprobe_args!" + nagiosArg(strings.Join(quoted, " "))
}

// nagiosArg escapes an argument for a check_command line of the object
// configuration: "$" doubles, ";" (a comment) and "!" (the separator) take a
// backslash.
func nagiosArg(s string) string {
	return strings.NewReplacer("$", "$$", ";", `\;`, "!", `\!`).Replace(s)
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitNagiosResults polls status.dat until n services of probe-host have
// been checked, and returns their results by service description.
func waitNagiosResults(t *testing.T, statusFile string, n int, limit time.Duration) map[string]Result {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		data, err := os.ReadFile(statusFile)
		if err == nil {
			results := parseStatus(string(data))
			if len(results) >= n {
				return results
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Nagios did not check %d services within %s; status.dat:\n%s", n, limit, tail(string(data), 60))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// parseStatus reads the checked services of probe-host from status.dat.
func parseStatus(data string) map[string]Result {
	results := map[string]Result{}
	for _, block := range strings.Split(data, "servicestatus {")[1:] {
		block, _, _ = strings.Cut(block, "\n\t}")
		f := map[string]string{}
		for _, line := range strings.Split(block, "\n") {
			k, v, ok := strings.Cut(strings.TrimPrefix(line, "\t"), "=")
			if ok {
				f[k] = v
			}
		}
		if f["host_name"] != "probe-host" || f["has_been_checked"] != "1" {
			continue
		}
		state, _ := strconv.Atoi(f["current_state"])
		results[f["service_description"]] = Result{State: state, Output: f["plugin_output"],
			Long: unescapeStatus(f["long_plugin_output"]), PerfData: f["performance_data"]}
	}
	return results
}

// unescapeStatus undoes status.dat's escaping of long output: "\n" for a
// line break and "\\" for a backslash.
func unescapeStatus(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
