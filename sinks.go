// The sinks: the Uptime Kuma push and the textfile collector's file. Each
// sends or writes the Report, and adds its failure to it.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jsonprobe/jsonprobe/notify"
	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/sink"
)

// sinks hand the report to each sink the configuration names, in this
// order: the notifications, the textfile collector's file, the Kuma push.
// The notifications come first: they tell the probe's own state, not one a
// failed file or push folded UNKNOWN into.
func (inv *invocation) sinks(ctx context.Context, p *probe.Probe, fe *frontEnds, rep *probe.Report, promFile string) {
	if fe.notify.Active() {
		inv.notify(ctx, p, fe, rep)
	}
	if promFile != "" {
		inv.promFile(p, rep, promFile, fe.exports)
	}
	if fe.kuma.URL != "" {
		inv.push(ctx, p, &fe.kuma, rep)
	}
}

// kumaBackoff is the wait before the first retry of a failed push.
const kumaBackoff = 250 * time.Millisecond

// push sends the report to Uptime Kuma, within the -t deadline of its own,
// before the report is printed. A failed push, like any failed sink, is an
// UNKNOWN outcome of the report, folded into its state as a check's would
// be, under every output: so the printed state, the JSON state and the exit
// code agree, and a run whose push failed never exits 0 (cron mails it).
// The reason is also said on stderr, for -o kuma, which prints nothing.
func (inv *invocation) push(ctx context.Context, p *probe.Probe, kuma *sink.Kuma, rep *probe.Report) {
	if ctx.Err() != nil {
		// A signal asked the probe to stop, and its report says so: no new
		// request, and no second reason. Kuma marks the monitor down itself
		// when no beat comes.
		fmt.Fprintf(inv.stderr, "jsonprobe: kuma push skipped: interrupted (%v)\n", context.Cause(ctx))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, p.Config().Timeout)
	defer cancel()
	err := sink.KumaPush(ctx, rep, sink.KumaOptions{URL: kuma.URL, WarningAs: kuma.WarningAs, Backoff: kumaBackoff})
	if err == nil {
		return
	}
	inv.sinkFailed(p, rep, "kuma", "kuma push", err)
}

// promFile writes the report to --prom-file for the textfile collector.
// A failed write is a failed sink, as for the push; the old file stays.
func (inv *invocation) promFile(p *probe.Probe, rep *probe.Report, path string, exports output.Exports) {
	if err := sink.PromFile(path, rep, exports); err != nil {
		inv.sinkFailed(p, rep, "prom-file", "prom file", err)
	}
}

// sinkFailed says on stderr why a sink failed and folds it into the report
// as an UNKNOWN outcome, its text through the probe's redactor.
func (inv *invocation) sinkFailed(p *probe.Probe, rep *probe.Report, name, what string, err error) {
	msg := output.OneLine(p.Redact(err.Error()))
	fmt.Fprintf(inv.stderr, "jsonprobe: %s\n", msg)
	rep.Add(probe.Outcome{Name: name, Level: probe.LevelPush, Expr: what, State: probe.Unknown, Summary: msg, Message: msg})
}

// notify sends the messages the report owes (notify:, --notify) and runs
// the actions (on_change, a check's on_fire), then says on stderr what
// failed: the exit code stays the probe's, a message not sent stays owed
// to the next run. What held an action back is a note, said with -v (the
// next message tells it too). With -q, an OK run prints nothing, not even
// a failure: a message not sent is sent by a later run, an action's
// failure is told by the next message, and -v says it now. The
// actions' environment is the process's without the variables that hold a
// secret.
func (inv *invocation) notify(ctx context.Context, p *probe.Probe, fe *frontEnds, rep *probe.Report) {
	host, _ := os.Hostname()
	quiet := inv.flags.Bool("quiet-ok") && rep.State == probe.OK
	res := notify.Run(ctx, p.Config(), &fe.notify, rep, notify.Options{Host: host, Environ: os.Environ(), Stderr: inv.stderr,
		Quiet: quiet, Secrets: fe.kuma.Secrets(), SecretVars: fe.kuma.SecretVars, Capture: p.Capture})
	if quiet && !inv.flags.Bool("verbose") {
		return
	}
	for _, err := range res.Failures {
		fmt.Fprintf(inv.stderr, "jsonprobe: %s\n", output.OneLine(p.Redact(err.Error())))
	}
	if inv.flags.Bool("verbose") {
		for _, n := range res.Notes {
			fmt.Fprintf(inv.stderr, "jsonprobe: %s\n", output.OneLine(p.Redact(n)))
		}
	}
}
