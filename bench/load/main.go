// Command load scrapes a URL from C concurrent clients for a duration, as
// Prometheus servers would, and prints the throughput and latency:
//
//	load -c 64 -d 20s 'http://127.0.0.1:9844/probe?target=…'
//	probes/s=1234.5 p50_ms=12.3 p99_ms=45.6 errors=0 n=24690
//
// A scrape that is not answered 200, or whose body lacks -want, is an
// error. bench/exporter.sh runs it against each exporter.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	c := flag.Int("c", 64, "concurrent clients")
	d := flag.Duration("d", 10*time.Second, "how long")
	want := flag.String("want", "", "text every answer must hold")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: load [-c N] [-d DUR] [-want TEXT] URL")
		os.Exit(2)
	}
	url := flag.Arg(0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}, Timeout: 30 * time.Second}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	end := time.Now().Add(*d)
	start := time.Now()
	for range *c {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					bad++
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), *want) {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	q := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	fmt.Printf("probes/s=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d n=%d\n",
		float64(len(latencies))/elapsed.Seconds(), q(0.50), q(0.99), errs, len(latencies))
	if errs > 0 {
		os.Exit(1)
	}
}
