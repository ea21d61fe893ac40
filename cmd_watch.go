// jsonprobe watch: the live terminal view for the hours after a deploy.
package main

import (
	"os"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/watch"
)

// watchFlags are the probe's options and the view's own.
func watchFlags() *flagSet {
	fs := optionFlags(false)
	fs.str("interval", "probe every `DUR`; a slower probe delays the next", "5s", "i")
	fs.str("for", "stop after `DUR` and exit with the last probe's state (0-3)", "")
	fs.boolean("plain", "one line per probe, as when the output is not a terminal")
	return fs
}

// watch re-probes the target every interval and draws the result: a live
// view on a terminal, one line per probe otherwise (or with --plain). It
// exits 0 when the user quits or a signal ends it; with --for, the last
// probe's state when the time is up, 3 when a signal came first.
func (inv *invocation) watch(c *cli.Context, f *flagSet) error {
	if err := refuseSinks(c, f); err != nil {
		return err
	}
	p, _, err := f.config(c.Args().Slice(), inv.getenv, inv.stdin)
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
	o := watch.Options{Out: inv.stdout, Interval: 5 * time.Second}
	if err := parseIfSet(f, "interval", probe.ParseTimeout, &o.Interval); err != nil {
		return usagef("--interval: %v", err)
	}
	if err := parseIfSet(f, "for", probe.ParseTimeout, &o.For); err != nil {
		return usagef("--for: %v", err)
	}
	// A terminal, not merely a character device (/dev/null is one).
	if tty, ok := inv.stdout.(*os.File); ok && !f.Bool("plain") && term.IsTerminal(int(tty.Fd())) && inv.getenv("TERM") != "dumb" {
		o.Terminal = tty
		o.Color = inv.getenv("NO_COLOR") == ""
		if in, ok := inv.stdin.(*os.File); ok && term.IsTerminal(int(in.Fd())) {
			o.Keys = in
		}
	}
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
