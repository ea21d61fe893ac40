//go:build gendocs

package main

import (
	"os"

	"github.com/jsonprobe/jsonprobe/internal/clidocs"
)

// The man page and completions, in a gendocs build: `jsonprobe-exporter man|bash|zsh|fish`.
func init() { docs = func(args []string) bool { return clidocs.Main(args, exporterDocs) } }

// exporterDocs is what the exporter's pages are made of: they name the
// binary, which its help calls jsonprobe serve.
func exporterDocs() clidocs.Docs {
	app := newApp(os.Stdout, os.Stderr, nil)
	app.Name, app.HelpName = "jsonprobe-exporter", "jsonprobe-exporter"
	app.UsageText = "jsonprobe-exporter [--web.listen-address ADDRESS] [--web.config.file FILE] CHECKS.yaml..."
	app.Description = description
	// The --help and --version urfave/cli adds when it runs, in the pages too.
	app.Setup()
	return clidocs.Docs{App: app, Sections: manSections, Choices: map[string][]string{"log.level": {"debug", "info", "warn", "error"}}}
}

// description is jsonprobe-exporter(1)'s, before its options.
const description = `jsonprobe-exporter is what *jsonprobe serve* runs: a Prometheus exporter in
blackbox_exporter's style. Each checks file given is a module named after the file
(health.yaml is module health). Prometheus scrapes */probe?module=health&target=URL*;
*/metrics* has the exporter's own metrics, */-/reload* (POST) and SIGHUP read the checks
files again (a broken file keeps the old module and says why), */-/healthy* answers 200.
It stops on SIGTERM after the scrapes under way.

It fetches any http(s) target a scrape names, for whoever can reach it: listen on
127.0.0.1, or require TLS and basic auth with --web.config.file, or firewall the port.`

// manSections follow the options in jsonprobe-exporter(1).
const manSections = `
# ENVIRONMENT

The checks files' *_env keys are read from the exporter's environment: with the packaged
unit, from */etc/default/jsonprobe-exporter* (root's, mode 0640, read by systemd). The unit
runs the exporter as a dynamic user: a secret file the checks name (bearer_token_file:) must
be readable by it, so prefer *_env keys set in that file.

# FILES

*/etc/default/jsonprobe-exporter*
: JSONPROBE_EXPORTER_ARGS, the unit's flags and checks files.

*/lib/systemd/system/jsonprobe-exporter.service*
: the systemd unit, disabled until *systemctl enable --now jsonprobe-exporter*.

# EXAMPLES

    jsonprobe-exporter --web.listen-address=127.0.0.1:9844 /etc/jsonprobe/health.yaml
    curl 'http://127.0.0.1:9844/probe?module=health&target=http://app:3000/api/monitor/health'

# SEE ALSO

jsonprobe(1), prometheus(1)
`
