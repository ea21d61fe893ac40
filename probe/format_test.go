package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counts is a toy format: "counts:" then lines "NAME COUNT", read as
// {"total":N,"stacks":[{"name":…,"count":…}]}, each line a part.
var counts = Format{
	Name:  "counts",
	Sniff: func(body []byte, _ string) bool { return bytes.HasPrefix(body, []byte("counts:\n")) },
	Read: func(body []byte) (Document, error) {
		doc := Document{Kind: "count list", Noun: "stacks"}
		var items []string
		total := 0.0
		for i, line := range strings.Split(strings.TrimSpace(string(body)), "\n")[1:] {
			name, n, ok := strings.Cut(line, " ")
			v, err := strconv.ParseFloat(n, 64)
			if !ok || err != nil {
				return doc, fmt.Errorf("count list: line %d: want NAME COUNT, got %q", i+2, line)
			}
			total += v
			items = append(items, fmt.Sprintf(`{"name":%q,"count":%s}`, name, n))
			doc.Parts = append(doc.Parts, Part{Path: `stacks.#(name==` + strconv.Quote(name) + `).count`, Name: name, Where: name + ".go:1", Count: v})
		}
		doc.JSON = fmt.Appendf(nil, `{"total":%g,"stacks":[%s]}`, total, strings.Join(items, ","))
		return doc, nil
	},
}

// formatProbe compiles checks (a checks file's text, a file target's
// body written by each run) with the toy format.
func formatProbe(t *testing.T, checks string) (run func(body string, at time.Time) *Report, err error) {
	dir := t.TempDir()
	target := filepath.Join(dir, "body")
	cfg, err := ParseConfig([]byte("url: body\n"+checks), dir, noEnv)
	require.NoError(t, err)
	var now time.Time
	p, err := Compile(cfg, WithFormats(counts), WithClock(func() time.Time { return now }))
	if err != nil {
		return nil, err
	}
	return func(body string, at time.Time) *Report {
		require.NoError(t, os.WriteFile(target, []byte(body), 0o600))
		now = at
		return p.Run(context.Background(), "")
	}, nil
}

// TestFormatSniffedOrNamed: a body that is not JSON is read by the format
// that knows it, or the one input: names; JSON stays JSON; a body no
// format knows is the JSON error; input: json reads JSON only.
func TestFormatSniffedOrNamed(t *testing.T) {
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	checks := "checks:\n  - { name: total, critical: total > 10 }\n  - { name: leaky, warning: 'stacks.#(name==\"leaky\").count > 5' }\n"
	run, err := formatProbe(t, checks)
	require.NoError(t, err)
	rep := run("counts:\nleaky 7\nidle 2\n", t0)
	require.NoError(t, rep.Err)
	assert.Equal(t, Warning, rep.State, rep.Summary())
	assert.Equal(t, `leaky=7 > 5`, rep.Summary())
	assert.Equal(t, "count list", rep.Document)
	assert.Equal(t, []string{"leaky 7 at leaky.go:1", "idle 2 at idle.go:1"}, rep.Largest(5))

	rep = run(`{"total":11,"stacks":[]}`, t0)
	assert.Equal(t, Critical, rep.State, "JSON is JSON")
	assert.Empty(t, rep.Document)

	rep = run("Service Unavailable", t0)
	assert.EqualError(t, rep.Err, `body is not valid JSON: starts with "Service Unavailable"`)

	rep = run("counts:\nleaky seven\n", t0)
	assert.EqualError(t, rep.Err, `count list: line 2: want NAME COUNT, got "leaky seven"`)
	assert.Equal(t, Critical, rep.State, "on_error")

	run, err = formatProbe(t, "input: counts\n"+checks)
	require.NoError(t, err)
	rep = run("counts:\nleaky 1\n", t0)
	require.NoError(t, rep.Err)
	assert.Equal(t, OK, rep.State)
	rep = run("{\"total\":11,\n\"x\":1}", t0)
	assert.EqualError(t, rep.Err, `count list: line 2: want NAME COUNT, got "\"x\":1}"`, "input: counts reads every body as counts")

	run, err = formatProbe(t, "input: json\n"+checks)
	require.NoError(t, err)
	rep = run("counts:\nleaky 7\n", t0)
	assert.EqualError(t, rep.Err, `body is not valid JSON: starts with "counts:\nleaky 7"`)

	_, err = formatProbe(t, "input: yaml\n"+checks)
	assert.EqualError(t, err, `input "yaml": want json or counts`)
}

// TestFormatPartsGrew: with a state file, the parts that grew most since
// the previous run are named, new ones too; without one, none; the window
// functions work on a part's path.
func TestFormatPartsGrew(t *testing.T) {
	t0 := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
	state := filepath.Join(t.TempDir(), "state.json")
	run, err := formatProbe(t, "state: "+state+"\nchecks:\n  - { name: leak, warning: 'growth(stacks.#(name==\"leaky\").count, 1h) > 50' }\n")
	require.NoError(t, err)
	rep := run("counts:\nleaky 100\nidle 10\n", t0)
	require.NoError(t, rep.Err)
	assert.False(t, rep.PartsCompared)
	assert.Empty(t, rep.Grew(5), "no previous run")
	rep = run("counts:\nleaky 300\nidle 10\nfresh 5\n", t0.Add(40*time.Minute))
	require.NoError(t, rep.Err)
	assert.Equal(t, []string{"leaky +200 (100 → 300) at leaky.go:1", "fresh +5 (new) at fresh.go:1"}, rep.Grew(5))
	assert.Equal(t, []string{"leaky +200 (100 → 300) at leaky.go:1"}, rep.Grew(1))
	assert.Equal(t, Warning, rep.State, rep.Summary())
	assert.Contains(t, rep.Summary(), "leak=200 > 50")

	// A run that started before the newest one compares with nothing.
	rep = run("counts:\nleaky 1000\n", t0.Add(30*time.Second))
	assert.Empty(t, rep.Grew(5))
	rep = run("counts:\nleaky 350\n", t0.Add(41*time.Minute))
	assert.Equal(t, []string{"leaky +50 (300 → 350) at leaky.go:1"}, rep.Grew(5))

	run, err = formatProbe(t, "checks:\n  - { name: total, critical: total > 1000 }\n")
	require.NoError(t, err)
	run("counts:\nleaky 100\n", t0)
	rep = run("counts:\nleaky 300\n", t0.Add(time.Minute))
	assert.False(t, rep.PartsCompared, "no state file")
	assert.Empty(t, rep.Grew(5))
	assert.Equal(t, []string{"leaky 300 at leaky.go:1"}, rep.Largest(5))
}

// TestFormatPartsStateUnwritable: a state file that cannot keep the parts
// is a note, and the run goes on.
func TestFormatPartsStateUnwritable(t *testing.T) {
	dir := t.TempDir()
	run, err := formatProbe(t, "state: "+dir+"\nchecks:\n  - { name: total, critical: total > 1000 }\n")
	require.NoError(t, err)
	rep := run("counts:\nleaky 100\n", time.Now())
	require.NoError(t, rep.Err)
	assert.Equal(t, OK, rep.State)
	var notes []string
	for _, o := range rep.Outcomes {
		if o.Level == LevelState {
			notes = append(notes, o.Summary)
		}
	}
	require.NotEmpty(t, notes)
	assert.Contains(t, notes[len(notes)-1], "the stacks are not compared with the previous run")
	assert.False(t, errors.Is(rep.Err, ErrInterrupted))
}
