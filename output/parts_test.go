package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// profileReport is a goroutine profile's report: main.leaky grew by 500
// since the previous run, main.idle did not, main.fresh is new.
func profileReport(compared bool) *probe.Report {
	part := func(name string, count, prev float64, known bool) probe.PartCount {
		return probe.PartCount{Part: probe.Part{Path: "stacks.#(key==\"" + name + "\").count", Name: name, Where: "main.go:13", Count: count}, Previous: prev, Known: known}
	}
	return &probe.Report{Target: "http://app/debug/pprof/goroutine?debug=1", Time: time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC), State: probe.OK,
		Document: "goroutine profile", PartsNoun: "stacks", PartsCompared: compared,
		Parts:    []probe.PartCount{part("main.leaky", 2500, 2000, true), part("main.idle", 40, 40, true), part("main.fresh", 7, 0, false)},
		Outcomes: []probe.Outcome{{Name: "total", Level: probe.LevelCritical, Expr: "total > 5000", State: probe.OK, Message: "total > 5000 (got 2547)"}}}
}

// TestPartsOutput: the long output names the stacks that grew since the
// previous run, -v the largest too; the JSON output has both; without a
// comparison, no "grew" lines.
func TestPartsOutput(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Nagios(&b, profileReport(true), NagiosOptions{}))
	assert.Equal(t, "JSONPROBE OK - 1 check OK\nOK total: total > 5000 (got 2547)\nstacks grown since the previous run:\n  main.leaky +500 (2000 → 2500) at main.go:13\n  main.fresh +7 (new) at main.go:13\n", b.String())
	b.Reset()
	require.NoError(t, Nagios(&b, profileReport(false), NagiosOptions{Verbose: true}))
	assert.NotContains(t, b.String(), "grown")
	assert.Contains(t, b.String(), "\ndocument: goroutine profile\nlargest stacks:\n  main.leaky 2500 at main.go:13\n  main.idle 40 at main.go:13\n  main.fresh 7 at main.go:13\n")

	b.Reset()
	require.NoError(t, JSON(&b, profileReport(true)))
	var doc struct {
		Document struct {
			Kind    string
			Largest []map[string]any
			Grew    []map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, "goroutine profile", doc.Document.Kind)
	assert.Len(t, doc.Document.Largest, 3)
	assert.Equal(t, []map[string]any{
		{"name": "main.leaky", "count": 2500.0, "previous": 2000.0, "where": "main.go:13"},
		{"name": "main.fresh", "count": 7.0, "previous": nil, "where": "main.go:13"},
	}, doc.Document.Grew)
	b.Reset()
	rep := profileReport(false)
	rep.Document, rep.Parts = "", nil
	require.NoError(t, JSON(&b, rep))
	assert.False(t, strings.Contains(b.String(), `"document"`), "JSON: no document key")
}
