// jsonprobe watch: the live terminal view for the hours after a deploy.
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/watch"
)

// watchFormats are the -o formats watch writes, the default first: the
// view or a log line per probe, and the one-shot probe's JSON line.
var watchFormats = []string{"nagios", "json"}

// watchRefusals say why watch refuses the other formats.
var watchRefusals = map[string]string{
	"kuma":       "watch pushes nothing to Uptime Kuma; run the one-shot probe from cron for that (jsonprobe -o kuma --kuma-url URL -f FILE)",
	"prometheus": "watch writes no exposition; Prometheus scrapes jsonprobe serve, or reads the file of jsonprobe --prom-file FILE run from cron",
}

// watchFlags are the probe's options, as watch reads them, and the view's
// own.
func watchFlags() *flagSet {
	fs := optionFlags(false)
	fs.reword("output", "`FORMAT` of each probe: nagios (the view, or a line per probe) or json (the probe's JSON line, no view)")
	fs.Choices["output"] = watchFormats
	fs.reword("quiet-ok", "a line only for the probes that are not OK, no view; -o json still writes every line")
	fs.reword("verbose", "each check's expression and what it found: the long output after each probe's line, a line under its row in the view")
	fs.str("interval", "probe every `DUR`; a slower probe delays the next", "5s", "i")
	fs.str("for", "stop after `DUR` and exit with the last probe's state (0-3)", "")
	fs.boolean("plain", "one line per probe, as when the output is not a terminal")
	return fs
}

// watch re-probes the target every interval and draws the result: a live
// view on a terminal, one line per probe otherwise (or with --plain, -q,
// -o json). It exits 0 when the user quits or a signal ends it; with
// --for, the last probe's state when the time is up, 3 when a signal came
// first. With --check-config it checks what it would run, and exits.
func (inv *invocation) watch(c *cli.Context, f *flagSet) error {
	if err := refuseSinks(c, f); err != nil {
		return err
	}
	p, fe, err := f.config(c.Args().Slice(), inv.getenv, inv.stdin)
	if err != nil {
		return err
	}
	cfg := p.Config()
	switch cfg.Target {
	case "":
		return usagef("watch: no target: give a URL or file as TARGET, -u URL, or url: in the checks file")
	case "-":
		return usagef("watch: target -: standard input can be read once, not every interval")
	}
	o, err := watchOptions(f)
	if err != nil {
		return err
	}
	if f.Bool("check-config") {
		_ = output.StatusLine(inv.stdout, probe.OK, "config valid: "+describeConfig(cfg, len(fe.exports))+describeWatch(o))
		for _, n := range cfg.Notes() {
			fmt.Fprintln(inv.stdout, "note: "+n)
		}
		return nil
	}
	o.Out = inv.stdout
	inv.watchTerminal(&o, f)
	if cfg.StatePath != "" {
		o.History = stateHistory(cfg.StatePath, cfg.Redactor().URL(cfg.Target))
	}
	inv.awaitSignals()
	last, end, err := watch.Run(c.Context, p, o)
	if err != nil {
		return err
	}
	switch {
	case end == watch.Done:
		inv.code = int(last)
	case end == watch.Interrupted && o.For > 0:
		// A signal cut --for short: the gate did not finish.
		inv.code = int(probe.Unknown)
	}
	return nil
}

// watchOptions are the watch's options from the command line: -i, --for,
// -o, -q and -v.
func watchOptions(f *flagSet) (watch.Options, error) {
	o := watch.Options{Interval: 5 * time.Second, Quiet: f.Bool("quiet-ok"), Verbose: f.Bool("verbose")}
	if err := parseIfSet(f, "interval", probe.ParseTimeout, &o.Interval); err != nil {
		return o, usagef("--interval: %v", err)
	}
	if err := parseIfSet(f, "for", probe.ParseTimeout, &o.For); err != nil {
		return o, usagef("--for: %v", err)
	}
	format := f.String("output")
	switch {
	case format == "" || format == "nagios":
	case format == "json":
		o.JSON = true
	case watchRefusals[format] != "":
		return o, usagef("-o %s: %s", format, watchRefusals[format])
	default:
		return o, usagef("--output %q: want %s", format, strings.Join(watchFormats, " or "))
	}
	return o, nil
}

// describeWatch is what --check-config adds of the watch's own options.
func describeWatch(o watch.Options) string {
	s := ", every " + o.Interval.String()
	if o.For > 0 {
		s += ", for " + o.For.String()
	}
	return s
}

// watchTerminal gives o the terminal to draw on, and its keys, when stdout
// is one and the lines were not asked for.
func (inv *invocation) watchTerminal(o *watch.Options, f *flagSet) {
	// A terminal, not merely a character device (/dev/null is one).
	if tty, ok := inv.stdout.(*os.File); ok && !f.Bool("plain") && term.IsTerminal(int(tty.Fd())) && inv.getenv("TERM") != "dumb" {
		o.Terminal = tty
		o.Color = inv.getenv("NO_COLOR") == ""
		if in, ok := inv.stdin.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
			o.Keys = in
		}
	}
}

// refuseSinks refuses the one-shot probe's sinks, which watch parses only
// for this: it shows the probes and sends nothing, and an option that
// would send must not be taken and dropped.
func refuseSinks(c *cli.Context, f *flagSet) error {
	for _, name := range f.refused {
		if c.IsSet(name) {
			return usagef("--%s: watch shows the probes and sends nothing; run the one-shot probe from cron for that (jsonprobe --%s … -f FILE)", name, name)
		}
	}
	return nil
}

// stateHistory is the values the state file holds for target, for the
// sparklines at start; none when it cannot be read (the probe says why).
func stateHistory(path, target string) map[string][]float64 {
	st, err := probe.ReadState(path)
	if err != nil {
		return nil
	}
	out := map[string][]float64{}
	for p, samples := range st[target] {
		for _, s := range samples {
			out[p] = append(out[p], s.Value)
		}
	}
	return out
}
