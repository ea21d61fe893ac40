//go:build gendocs

package main

import (
	"os"

	"github.com/jsonprobe/jsonprobe/internal/clidocs"
)

// The man page and completions, in a gendocs build: `jsonprobe man|bash|zsh|fish`.
func init() { docs = func(args []string) bool { return clidocs.Main(args, jsonprobeDocs) } }

// jsonprobeDocs is what jsonprobe's pages are made of.
func jsonprobeDocs() clidocs.Docs {
	inv := newInvocation(os.Stdout, os.Stderr)
	app := inv.app()
	choices := map[string][]string{}
	for name, c := range inv.flags.Choices {
		choices[name] = c
	}
	for name, c := range inv.watchFlags.Choices {
		choices["watch "+name] = c // watch writes fewer formats
	}
	return clidocs.Docs{App: app, Sections: manSections, Choices: choices, Also: []string{"check_jsonprobe"}}
}

// manSections follow the options and commands in jsonprobe(1).
const manSections = `
# EXIT STATUS

0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN: the state of the probe, as the monitoring-plugins
guidelines have it. A bad option, expression or checks file is UNKNOWN (3), with one line
that names what was wrong and the value found.

# ENVIRONMENT

**JSONPROBE_BEARER_TOKEN**, **JSONPROBE_BASIC_AUTH**
: the target's credentials (a token; user:password), when no file gives them: never on the
command line, which ps shows.

**JSONPROBE_KUMA_URL**
: the Uptime Kuma push URL, when --kuma-url is not given.

**JSONPROBE_NOTIFY_URL**
: a receiver of state-change messages ([KIND=]URL), when neither --notify nor notify: in the
checks file names one.

**NO_COLOR**
: jsonprobe watch draws without colour.

# FILES

*/etc/jsonprobe/checks.example.yaml*
: a checks file with every key explained; copy it to start one.

*/usr/lib/nagios/plugins/check_jsonprobe*
: jsonprobe, where Nagios and Icinga look for plugins ($USER1$, PluginContribDir).

*/usr/share/icinga2/include/plugins-contrib.d/jsonprobe.conf*
: the Icinga 2 CheckCommand "jsonprobe", loaded by include \<plugins-contrib\>.

*/usr/share/doc/jsonprobe/*
: the README, the documentation (docs/: options, checks file, expressions, Nagios, Icinga,
Kuma, Prometheus, notifications) and contrib: Nagios commands, Icinga 2 examples,
Prometheus scrape job and alert rules, a Grafana dashboard.

# EXAMPLES

A warning over 2000 goroutines, critical over 5000:

    jsonprobe -u http://localhost:3000/api/monitor/health -w 'goroutines > 2000' -c 'goroutines > 5000'

The checks of a file, as one JSON line, for a log:

    jsonprobe -f /etc/jsonprobe/health.yaml -o json >> /var/log/jsonprobe/health.jsonl

From cron, silent while OK, a message to a WeCom robot when the state changes:

    JSONPROBE_NOTIFY_URL='https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...' jsonprobe -f health.yaml --state /var/lib/jsonprobe/state.json -q

Validate a checks file without touching the network:

    jsonprobe -f health.yaml --check-config

# SEE ALSO

jsonprobe-exporter(1), nagios4(8), icinga2(8)
`
