package sink

import (
	"bytes"
	"fmt"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// PromFile writes r in the Prometheus exposition format, each series with
// its target label, to path for node_exporter's textfile collector: whole
// or not at all (probe.WriteFileAtomic), so that a scrape never reads half
// a file and a failed write leaves the last one in place. A new file is
// readable by all (0644), as the collector runs as another user.
func PromFile(path string, r *probe.Report, exports []output.Export) error {
	var b bytes.Buffer
	if err := output.Prometheus(&b, r, output.PrometheusOptions{Target: true, Exports: exports}); err != nil {
		return fmt.Errorf("prom file %q: %w", path, err)
	}
	if err := probe.WriteFileAtomic(path, b.Bytes(), 0o644, nil); err != nil {
		return fmt.Errorf("prom file %q: %w", path, err)
	}
	return nil
}
