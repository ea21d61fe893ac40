package probe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// Every front-end drives the engine the same way: a Config from YAML (or
// flags), Compile once, Run as often as needed, render the Report.
func stopped() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) }

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"status":"ok","goroutines":2156}`)
	}))
	defer srv.Close()

	cfg, _ := probe.ParseConfig([]byte("checks:\n  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }\n"), ".", os.Getenv)
	p, _ := probe.Compile(cfg, probe.WithClock(stopped)) // a stopped clock: time=0s below
	rep := p.Run(context.Background(), srv.URL)
	_ = output.Nagios(os.Stdout, rep, output.NagiosOptions{})
	// main then exits with int(rep.State).
	// Output:
	// JSONPROBE WARNING - goroutines=2156 > 2000 | goroutines=2156;~:2000;~:5000 time=0s;;;0 size=34B;;;0
	// WARNING goroutines: goroutines > 2000 (got 2156)
}
