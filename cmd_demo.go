// jsonprobe demo: the example checks against a built-in sample endpoint.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/demo"
	"github.com/jsonprobe/jsonprobe/health"
	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

//go:embed checks.example.yaml
var exampleChecks []byte

// demoDescription is demo's help after its usage line: what it does, and
// how to see a leak caught.
const demoDescription = `Without options, demo starts a sample health endpoint on 127.0.0.1, probes it with
the checks of checks.example.yaml, prints the result and exits with its code.

To see a leak go from OK to WARNING to CRITICAL in a minute, keep the endpoint up and
leak goroutines steadily in one shell, and watch it from another:

   jsonprobe demo --serve --leak 100/s
   jsonprobe watch URL -w 'goroutines > 2000' -c 'goroutines > 5000'

At 100/s the count passes 2000 after 20 seconds and 5000 after 50. Or leak in steps:
curl -X POST 'ROOT/leak?n=3000' starts 3000 goroutines that never end. The goroutine
profile (ROOT/debug/pprof/goroutine?debug=1) shows them waiting in demo.leakyWorker.`

// demoFlags are demo's options.
func demoFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "serve", Usage: "keep the endpoint up and print its URLs until interrupted; a POST to its /leak?n=N starts N goroutines that never end", DisableDefaultText: true},
		&cli.StringFlag{Name: "leak", Usage: fmt.Sprintf("with --serve, leak goroutines steadily at `RATE` (100/s: over 2000 after 20s, over 5000 after 50s; 600/m, 50/500ms), at most %d", demo.MaxLeaked)},
	}
}

// demo runs the example checks against a built-in sample endpoint.
func (inv *invocation) demo(c *cli.Context) error {
	var rate demo.Rate
	if v := c.String("leak"); v != "" {
		if !c.Bool("serve") {
			return usagef("--leak %q: needs --serve, which keeps the endpoint up", v)
		}
		r, err := demo.ParseRate(v)
		if err != nil {
			return usagef("--leak: %w", err)
		}
		rate = r
	}
	inv.awaitSignals()
	srv, err := demo.Start()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer srv.Close()
	if c.Bool("serve") {
		inv.serveDemo(c.Context, srv, rate)
		return nil
	}
	// The demo only probes: the example's push and notifications are not read.
	cfg, err := probe.ParseConfig(exampleChecks, ".", func(string) string { return "" }, (&frontEnds{}).loadOptions(false)...)
	if err != nil {
		return usageError{fmt.Errorf("checks.example.yaml: %w", err)}
	}
	p, err := probe.Compile(cfg, probe.WithClient(&http.Client{}))
	if err != nil {
		return usageError{fmt.Errorf("checks.example.yaml: %w", err)}
	}
	rep := p.Run(c.Context, srv.URL)
	inv.code = int(rep.State)
	inv.render(rep, output.Formats[0], output.FormatOptions{})
	return nil
}

// serveDemo prints the endpoint's URLs and what to try, leaks at rate (if
// any) and waits until ctx is done.
func (inv *invocation) serveDemo(ctx context.Context, srv *demo.Server, rate demo.Rate) {
	w := inv.stdout
	fmt.Fprintf(w, "jsonprobe demo endpoint: %s\n", srv.URL)
	fmt.Fprintf(w, "goroutine profile: %s%s?debug=1\n", srv.Root, health.GoroutinePath)
	if slices.Contains(health.ProfilePaths(), health.GoroutineLeakPath) {
		fmt.Fprintf(w, "goroutine leak profile: %s%s?debug=1\n", srv.Root, health.GoroutineLeakPath)
	} else {
		fmt.Fprintln(w, "goroutine leak profile: not in this build (GOEXPERIMENT=goroutineleakprofile go run . demo --serve has it)")
	}
	fmt.Fprintf(w, "try: jsonprobe %s -w 'goroutines > 2' -v\n", srv.URL)
	fmt.Fprintf(w, "watch: jsonprobe watch %s -w 'goroutines > 2000' -c 'goroutines > 5000'\n", srv.URL)
	fmt.Fprintf(w, "leak: curl -X POST '%s%s?n=3000' starts 3000 goroutines that never end (demo.leakyWorker), at most %d in all\n",
		srv.Root, demo.LeakPath, demo.MaxLeaked)
	if rate.N > 0 {
		fmt.Fprintf(w, "leaking %s every %s, at most %d; press Ctrl-C to stop\n", count(rate.N, "goroutine"), rate.Every, demo.MaxLeaked)
		if n := srv.LeakSteadily(ctx, rate); ctx.Err() == nil {
			fmt.Fprintf(w, "leaked %d goroutines, the most the demo leaks\n", n)
		}
	} else {
		fmt.Fprintln(w, "press Ctrl-C to stop")
	}
	<-ctx.Done()
}
