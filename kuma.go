// The Uptime Kuma push: a sink that sends the Report, and adds its failure
// to it.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/sink"
)

// kumaBackoff is the wait before the first retry of a failed push.
const kumaBackoff = 250 * time.Millisecond

// push sends the report to Uptime Kuma, within the -t deadline of its own,
// before the report is printed. A failed push, like any failed sink, is an
// UNKNOWN outcome of the report, folded into its state as a check's would
// be, under every output: so the printed state, the JSON state and the exit
// code agree, and a run whose push failed never exits 0 (cron mails it).
// The reason is also said on stderr, for -o kuma, which prints nothing.
func (inv *invocation) push(ctx context.Context, p *probe.Probe, rep *probe.Report) {
	cfg := p.Config()
	if ctx.Err() != nil {
		// A signal asked the probe to stop, and its report says so: no new
		// request, and no second reason. Kuma marks the monitor down itself
		// when no beat comes.
		fmt.Fprintf(inv.stderr, "jsonprobe: kuma push skipped: interrupted (%v)\n", context.Cause(ctx))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	err := sink.KumaPush(ctx, rep, sink.KumaOptions{URL: cfg.Kuma.URL, WarningAs: cfg.Kuma.WarningAs, Backoff: kumaBackoff})
	if err == nil {
		return
	}
	msg := output.OneLine(p.Redact(err.Error()))
	fmt.Fprintf(inv.stderr, "jsonprobe: %s\n", msg)
	rep.Add(probe.Outcome{Name: "kuma", Level: probe.LevelPush, Expr: "kuma push", State: probe.Unknown, Summary: msg, Message: msg})
}
