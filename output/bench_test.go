package output

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// benchReport is a report of n checks, one failing, with their perfdata.
func benchReport(n int) *probe.Report {
	r := &probe.Report{Target: "http://127.0.0.1:3000/api/monitor/health", Time: time.Unix(1795900000, 0).UTC(),
		Duration: 4 * time.Millisecond, FetchTime: 3 * time.Millisecond, HTTPStatus: 200, Size: 112, State: probe.Warning}
	for i := range n {
		v := probe.Value{Kind: expr.Number, Num: float64(i), Raw: fmt.Sprint(i)}
		o := probe.Outcome{Name: fmt.Sprintf("metrics.m%d", i), Level: "critical", Expr: fmt.Sprintf("metrics.m%d > 5000", i),
			State: probe.OK, Value: &v, Summary: fmt.Sprintf("metrics.m%d=%d > 5000", i, i), Message: fmt.Sprintf("metrics.m%d > 5000 (got %d)", i, i)}
		if i == 0 {
			o.State = probe.Warning
		}
		r.Outcomes = append(r.Outcomes, o)
		r.Perf = append(r.Perf, probe.Perf{Label: o.Name, Value: float64(i), Crit: mustRange("~:5000")})
	}
	r.Perf = append(r.Perf, probe.Perf{Label: "time", Value: 0.003, UOM: "s", Min: "0"}, probe.Perf{Label: "size", Value: 112, UOM: "B", Min: "0"})
	return r
}

func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1, 1000} {
		r := benchReport(n)
		b.Run(fmt.Sprintf("nagios/%d-checks", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Nagios(io.Discard, r, NagiosOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("json/%d-checks", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := JSON(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
