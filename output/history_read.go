package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// historyRun is one run as a log has it: a JSON result or a watch line.
type historyRun struct {
	time   time.Time // in UTC
	state  probe.State
	failed bool           // the document could not be read
	values []historyValue // in name order; none for a failed run
}

// historyValue is one value of a run, under the name the line gave it.
type historyValue struct {
	name  string
	value float64
}

// historyLog is everything a log holds, before a window is chosen.
type historyLog struct {
	runs           []historyRun // in file order
	lines, skipped int
	// renamed maps the key older lines gave a value (its path) to the name
	// newer lines give it (its check's), so that a log written across the
	// change of names keeps one series per value.
	renamed map[string]string
	subject map[string]string // an expression's subject path, "" for none
}

// watchStamp is the time at the start of a watch line, in local time.
const watchStamp = "2006-01-02 15:04:05"

// readHistoryLog reads the runs of a log, its watch lines' times in loc.
func readHistoryLog(r io.Reader, loc *time.Location) (*historyLog, error) {
	l := &historyLog{renamed: map[string]string{}, subject: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		l.lines++
		if raw[0] == ' ' || raw[0] == '\t' {
			continue // a check's line under its probe's (watch -v): read with the probe
		}
		var run historyRun
		ok := false
		if line[0] == '{' {
			run, ok = l.jsonRun(line)
		} else {
			run, ok = watchRun(line, loc)
		}
		if !ok {
			l.skipped++
			continue
		}
		l.runs = append(l.runs, run)
	}
	if err := sc.Err(); err != nil {
		return l, fmt.Errorf("reading history: %w", err)
	}
	return l, nil
}

// historyLine is the part of a JSON result that a history needs.
type historyLine struct {
	Time    time.Time           `json:"time"`
	State   string              `json:"state"`
	Error   any                 `json:"error"`  // nil for null or absent: any other value is an error
	Checks  json.RawMessage     `json:"checks"` // read apart: a strange one does not cost the run
	Metrics map[string]*float64 `json:"metrics"`
}

// jsonRun reads a line of -o json: a JSON object with a "time" and a
// "metrics" object. Null values (a number that was not finite) are left
// out.
func (l *historyLog) jsonRun(line string) (historyRun, bool) {
	var hl historyLine
	if err := json.Unmarshal([]byte(line), &hl); err != nil || hl.Time.IsZero() || hl.Metrics == nil {
		return historyRun{}, false
	}
	run := historyRun{time: hl.Time.UTC(), state: historyState(hl.State), failed: hl.Error != nil}
	if run.failed {
		// What a failed run measured (the time to a refused connection,
		// a size of 0) is not a value of the metric.
		return run, true
	}
	l.learnNames(hl.Checks, hl.Metrics)
	for name, v := range hl.Metrics {
		if v != nil {
			run.values = append(run.values, historyValue{name, *v})
		}
	}
	// Names in a stable order: the JSON object's own order is lost.
	sort.Slice(run.values, func(i, j int) bool { return run.values[i].name < run.values[j].name })
	return run, true
}

// learnNames finds, in a line that names a value for its check, the path
// that older lines (and older watch logs) named it by: the check's
// expression tests that path, the line has a metric of the check's name
// holding the value the check read, and none of the path's.
func (l *historyLog) learnNames(raw json.RawMessage, metrics map[string]*float64) {
	var checks []struct {
		Name  string          `json:"name"`
		Expr  string          `json:"expr"`
		Value json.RawMessage `json:"value"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &checks) != nil {
		return
	}
	for _, c := range checks {
		v := metrics[c.Name]
		path := l.subjectPath(c.Expr)
		if _, byPath := metrics[path]; v == nil || path == "" || path == c.Name || byPath {
			continue
		}
		var read float64
		if json.Unmarshal(c.Value, &read) != nil || read != *v {
			continue
		}
		if _, known := l.renamed[path]; !known {
			l.renamed[path] = c.Name
		}
	}
}

// subjectPath is the path that the expression src tests, or "" when it
// tests anything else; each expression is parsed once.
func (l *historyLog) subjectPath(src string) string {
	path, ok := l.subject[src]
	if ok {
		return path
	}
	if e, err := expr.Parse(src); err == nil {
		path, _ = e.SubjectPath()
	}
	l.subject[src] = path
	return path
}

// watchRun reads a line that jsonprobe watch writes when its output is not
// a terminal: the local time, the state, NAME=VALUE for each value, and
// error="…" at the end when the document could not be read.
func watchRun(line string, loc *time.Location) (historyRun, bool) {
	if len(line) < len(watchStamp) {
		return historyRun{}, false
	}
	t, err := time.ParseInLocation(watchStamp, line[:len(watchStamp)], loc)
	rest, spaced := strings.CutPrefix(line[len(watchStamp):], " ")
	if err != nil || !spaced {
		return historyRun{}, false
	}
	word, rest, _ := strings.Cut(rest, " ")
	state := historyState(word)
	if state.String() != word {
		return historyRun{}, false
	}
	values, failed, ok := watchValues(rest)
	if !ok {
		return historyRun{}, false
	}
	run := historyRun{time: t.UTC(), state: state, failed: failed}
	if !failed {
		sort.SliceStable(values, func(i, j int) bool { return values[i].name < values[j].name })
		run.values = values
	}
	return run, true
}

// watchValues reads the NAME=VALUE pairs of a watch line and the
// error="…" that may end it; ok is false when something else is left. A
// name may hold spaces and "=" (a check's name, a gjson query), so a pair
// runs up to the first space after an "=" and a number. Values that are
// not finite are left out, as the JSON lines' nulls are.
func watchValues(s string) (values []historyValue, failed, ok bool) {
	if s == "" {
		return nil, false, true
	}
	words := strings.Split(s, " ")
	pair := ""
	for i, w := range words {
		if pair == "" && strings.HasPrefix(w, `error="`) {
			_, err := strconv.Unquote(strings.TrimPrefix(strings.Join(words[i:], " "), "error="))
			return values, true, err == nil
		}
		if pair != "" {
			pair += " "
		}
		pair += w
		eq := strings.LastIndexByte(pair, '=')
		if eq <= 0 {
			continue
		}
		v, err := strconv.ParseFloat(pair[eq+1:], 64)
		if err != nil {
			continue
		}
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			values = append(values, historyValue{pair[:eq], v})
		}
		pair = ""
	}
	return values, false, pair == ""
}

// historyState is the state a line names; anything else is Unknown, as
// anything unexpected is for a plugin.
func historyState(s string) probe.State {
	for _, st := range []probe.State{probe.OK, probe.Warning, probe.Critical} {
		if s == st.String() {
			return st
		}
	}
	return probe.Unknown
}
