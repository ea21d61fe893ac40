// Command jsonprobe is a JSON health-check plugin for Nagios, Icinga,
// Uptime Kuma and cron. This file is the run of one command: flags become a
// probe.Config (cli.go), probe.Compile makes the Probe, its Run the Report,
// output renders it, and the exit code is the Report's state. The
// subcommands have a file each (cmd_*.go); the Kuma push, a sink, has
// kuma.go.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// buildVersion is set at build time with -ldflags "-X main.buildVersion=…".
var buildVersion = "dev"

// docs, set in a build with the gendocs tag (make man: gendocs.go), writes
// the man page or a shell completion instead of probing; nil in the
// binaries that ship.
var docs func(args []string) bool

func main() {
	if docs != nil && docs(os.Args) {
		return
	}
	ctx, handled := interruptible()
	inv := newInvocation(os.Stdout, os.Stderr)
	inv.signalsHandled = handled
	code := inv.run(ctx, os.Args)
	// No signal.Stop here: unregistering the handler waits for os/signal's
	// goroutine to settle (0.2 ms of a 5 ms probe), and the process ends
	// now anyway.
	os.Exit(code)
}

// interruptible returns a context that the first SIGINT or SIGTERM cancels,
// with the cause signal.NotifyContext gives ("terminated signal received");
// a second signal then kills the process as usual. Installing the handler
// waits for os/signal to start a thread of its own, 0.35 ms of a 5 ms probe,
// so it runs beside the command-line parsing: the channel is closed once
// the handler is in place, and the probe waits for it before it fetches.
func interruptible() (context.Context, <-chan struct{}) {
	ctx, cancel := context.WithCancelCause(context.Background())
	handled := make(chan struct{})
	go func() {
		sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		close(handled)
		<-sig.Done()
		cancel(context.Cause(sig))
		stop()
	}()
	return ctx, handled
}

// run is the whole command, testable in process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return newInvocation(stdout, stderr).run(ctx, args)
}

func (inv *invocation) run(ctx context.Context, args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			_ = output.StatusLine(inv.stdout, probe.Unknown, fmt.Sprintf("internal error: %v", p))
			code = int(probe.Unknown)
		}
	}()
	app := inv.app()
	var err error
	if cmd := subcommand(app, args); cmd != nil {
		// A subcommand's options may stand anywhere too (watch takes the
		// probe's, and a target); one that parses its own leaves them.
		if !cmd.SkipFlagParsing {
			var rest []string
			rest, err = permute(append([]string{args[0]}, args[2:]...), cmd.Flags, nil)
			args = append([]string{args[0], cmd.Name}, rest[1:]...)
		}
	} else {
		args, err = permute(args, app.Flags, app.Commands)
	}
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err != nil {
		_ = output.StatusLine(inv.stdout, probe.Unknown, err.Error())
		return int(probe.Unknown)
	}
	return inv.code
}

// subcommand is the subcommand args name, or nil.
func subcommand(app *cli.App, args []string) *cli.Command {
	if len(args) < 2 {
		return nil
	}
	return app.Command(args[1])
}

// probe is the root command: one probe of the target.
func (inv *invocation) probe(c *cli.Context) error {
	f := inv.flags
	if f.Bool("version") {
		cli.ShowVersion(c)
		return nil
	}
	p, fe, err := f.config(c.Args().Slice(), inv.getenv, inv.stdin)
	if err != nil {
		return err
	}
	cfg := p.Config()
	format, err := output.FormatNamed(f.String("output"))
	if err != nil {
		return usageError{err}
	}
	if format.Name == "kuma" && fe.kuma.URL == "" {
		return usagef("-o kuma needs the push URL: --kuma-url, JSONPROBE_KUMA_URL or kuma.url_env in the checks file")
	}
	if fe.kuma.URL != "" {
		if _, err := output.KumaURL(fe.kuma.URL, &probe.Report{}, fe.kuma.WarningAs); err != nil {
			return usageError{err}
		}
	}
	if f.Bool("check-config") {
		_ = output.StatusLine(inv.stdout, probe.OK, "config valid: "+describeConfig(cfg, len(fe.exports)))
		for _, l := range fe.notify.Describe() {
			fmt.Fprintln(inv.stdout, p.Redact(l))
		}
		for _, n := range cfg.Notes() {
			fmt.Fprintln(inv.stdout, "note: "+n)
		}
		return nil
	}
	if cfg.Target == "" {
		return usagef("no target: give a URL, file or - as TARGET, -u URL, or url: in the checks file")
	}
	inv.awaitSignals()
	rep := p.Run(c.Context, "")
	inv.sinks(c.Context, p, fe, rep, f.String("prom-file"))
	inv.code = int(rep.State)
	inv.render(rep, format, output.FormatOptions{Quiet: f.Bool("quiet-ok"), Verbose: f.Bool("verbose"), Exports: fe.exports})
	return nil
}

// describeConfig is the --check-config summary: what the probe checks
// and reads, where, and within what time.
func describeConfig(cfg *probe.Config, exported int) string {
	target := cfg.Redactor().URL(cfg.Target)
	if target == "" {
		target = "(none)"
	}
	parts := []string{count(len(cfg.Checks), "check"), count(len(cfg.Metrics), "metric")}
	if exported > 0 {
		parts = append(parts, count(exported, "value")+" exported")
	}
	return fmt.Sprintf("%s, target %s, timeout %s", strings.Join(parts, ", "), target, cfg.Timeout)
}

// count is "1 check", "2 checks".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (inv *invocation) app() *cli.App {
	inv.flags = probeFlags()
	wf := watchFlags()
	inv.watchFlags = wf
	return &cli.App{
		Name:                      "jsonprobe",
		Usage:                     "JSON health-check plugin for Nagios, Icinga, Uptime Kuma and cron",
		UsageText:                 "jsonprobe [options] [TARGET]\n   jsonprobe -u URL -w 'goroutines > 2000' -c 'goroutines > 5000'\n   jsonprobe -f checks.yaml [-o json]\n   jsonprobe demo [--serve [--leak 100/s]]\n   jsonprobe watch [-i 5s] [--for 10m] -f checks.yaml\n   jsonprobe serve CHECKS.yaml...",
		Version:                   buildVersion,
		Flags:                     inv.flags.list,
		Reader:                    inv.stdin,
		Writer:                    inv.stdout,
		ErrWriter:                 inv.stderr,
		DisableSliceFlagSeparator: true, // expressions contain commas
		HideHelpCommand:           true,
		HideHelp:                  true, // the root's own, in probeFlags
		HideVersion:               true,
		// The help still shows the version: --version is the root's own.
		CustomAppHelpTemplate: strings.ReplaceAll(cli.AppHelpTemplate, "{{if not .HideVersion}}", "{{if true}}"),
		OnUsageError:          onUsageError,
		ExitErrHandler:        func(*cli.Context, error) {}, // run decides the exit code
		Action:                inv.probe,
		Commands: []*cli.Command{{
			Name:         "demo",
			Usage:        "probe a built-in sample health endpoint with the example checks",
			Description:  demoDescription,
			Flags:        demoFlags(),
			OnUsageError: onUsageError,
			Action:       inv.demo,
		}, {
			Name:         "history",
			Usage:        historyUsage,
			ArgsUsage:    historyArgs,
			Flags:        historyFlags(),
			OnUsageError: onUsageError,
			Action:       inv.history,
		}, {
			Name:         "watch",
			Usage:        "re-probe every interval and show the checks live: values, min/avg/max, change, rate, sparklines (one line per probe when not on a terminal)",
			ArgsUsage:    "[-i 5s] [--for DUR] [--plain] [probe options] [TARGET]",
			Flags:        wf.list,
			OnUsageError: onUsageError,
			Action:       func(c *cli.Context) error { return inv.watch(c, wf) },
		}, {
			Name:            "serve",
			Usage:           "a Prometheus exporter over checks files (runs jsonprobe-exporter; jsonprobe serve --help)",
			ArgsUsage:       "[--web.listen-address ADDR] [--web.config.file F] CHECKS.yaml...",
			SkipFlagParsing: true, // every argument is the exporter's
			HideHelp:        true,
			Action:          inv.serve,
		}},
	}
}
