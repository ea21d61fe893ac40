// jsonprobe demo: the example checks against a built-in sample endpoint.
package main

import (
	_ "embed"
	"fmt"
	"net/http"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/demo"
	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

//go:embed checks.example.yaml
var exampleChecks []byte

// demo runs the example checks against a built-in sample endpoint.
func (inv *invocation) demo(c *cli.Context) error {
	inv.awaitSignals()
	srv, err := demo.Start()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer srv.Close()
	if c.Bool("serve") {
		fmt.Fprintf(inv.stdout, "jsonprobe demo endpoint: %s\n", srv.URL)
		fmt.Fprintf(inv.stdout, "try: jsonprobe %s -w 'goroutines > 2' -v\n", srv.URL)
		fmt.Fprintln(inv.stdout, "press Ctrl-C to stop")
		<-c.Context.Done()
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
