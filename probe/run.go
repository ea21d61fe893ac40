package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// Run probes the target once ("" for the configured one; a server
// passes the one a request names): it fetches the document within the Config's
// timeout, validates it as JSON, evaluates every check and metric, and
// returns the Report, its strings redacted. It never panics: an internal
// error becomes an UNKNOWN report.
func (p *Probe) Run(ctx context.Context, target string) (rep *Report) {
	if target == "" {
		target = p.cfg.Target
	}
	start := p.now()
	rep = &Report{Target: target, Time: start}
	defer func() {
		if r := recover(); r != nil {
			rep.Err = fmt.Errorf("internal error: %v", r)
			rep.State = Unknown
		}
		rep.Duration = p.now().Sub(start)
		// Once, here, where the values have all entered the Report.
		redactReport(p.redact, rep, p.cfg.Target)
	}()
	// The caller's deadline (a scrape's) may be the shorter one; the
	// messages name the one that holds. A deadline is the wall clock's,
	// whatever clock the report is dated by.
	timeout := p.cfg.Timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = time.Until(dl).Round(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	resp, err := newFetcher(p.client, p.cfg, p.stdin, p.now, timeout).fetch(ctx, target)
	if err != nil {
		rep.Err = err
		resp = &Response{Duration: p.now().Sub(start)}
		// A body over the cap still has a size: declared, or read so far.
		var fe *FetchError
		if errors.As(err, &fe) {
			resp.Size = fe.Size
		}
	}
	p.report(ctx, rep, resp)
	return rep
}

// report fills rep from the fetch's response: the evaluation, the
// perfdata and the state.
func (p *Probe) report(ctx context.Context, rep *Report, resp *Response) {
	cfg := p.cfg
	rep.HTTPStatus = resp.Status
	rep.Size = int(resp.Size)
	rep.FetchTime = resp.Duration
	var perf perfSet
	if rep.Err == nil {
		rep.Err = p.evaluate(ctx, rep, resp, &perf)
	}
	// time and size are always in the perfdata, after a failed fetch too.
	perf.add(factPerf("time", resp.Duration.Round(time.Microsecond).Seconds(), "s", cfg.Checks, "$time"))
	perf.add(factPerf("size", float64(resp.Size), "B", cfg.Checks, "$size"))
	rep.Perf = perf.items
	rep.State = foldState(rep, cfg.OnError)
}

// evaluate checks the HTTP status, validates the body as JSON (or reads it
// with its format) and, if it is, evaluates every check and metric over
// it, into rep.
func (p *Probe) evaluate(ctx context.Context, rep *Report, resp *Response, perf *perfSet) error {
	cfg := p.cfg
	target, start := rep.Target, rep.Time
	var outcomes []Outcome
	// A UTF-8 byte order mark is not JSON, but some servers send one.
	body := bytes.TrimPrefix(resp.Body, []byte("\xef\xbb\xbf"))
	env := &expr.Env{
		Doc:      bytesToString(body),
		Time:     expr.Fact(resp.Duration.Seconds()),
		Size:     expr.Fact(float64(len(resp.Body))),
		CertDays: resp.CertDays,
		Now:      start,
	}
	if resp.Status != 0 {
		env.Status = expr.Fact(float64(resp.Status))
		if !cfg.ExpectStatus.Contains(resp.Status) {
			outcomes = append(outcomes, statusOutcome(resp.Status, cfg.ExpectStatus))
		}
	}
	doc, err := p.load(env, body, resp.ContentType)
	if err != nil {
		rep.Outcomes = outcomes
		return err
	}
	values := make([]PathValue, 0, len(p.paths))
	for _, path := range p.paths {
		if _, f, err := env.LookupNumber(path); err == nil {
			name, ok := p.names[path]
			if !ok {
				name = pathLabel(path)
			}
			values = append(values, PathValue{Path: path, Name: name, Value: f})
		}
	}
	var notes []Outcome
	if p.store != nil {
		notes = p.recordHistory(ctx, target, env, values, start)
	}
	if len(doc.Parts) > 0 {
		notes = append(notes, p.countParts(ctx, rep, doc)...)
	}
	for _, c := range cfg.Checks {
		o := evalCheck(c, env, cfg.OnMissing)
		perf.addObservations(o.Observations, c)
		outcomes = append(outcomes, o)
	}
	for _, m := range cfg.Metrics {
		o, p, alerting := evalMetric(m, env, cfg.OnMissing)
		if p != nil {
			perf.add(*p)
		}
		if alerting {
			outcomes = append(outcomes, o)
		}
	}
	rep.Outcomes, rep.Values = append(outcomes, notes...), values
	return nil
}

// load validates the body as JSON and reads the checks' paths from it; a
// body that is not JSON is read by its format (Config.Input, or the one
// whose Sniff knows it), and the checks read that document.
func (p *Probe) load(env *expr.Env, body []byte, contentType string) (Document, error) {
	var notJSON error
	if p.cfg.Input == "" || p.cfg.Input == "json" {
		notJSON = loadJSON(env, p.paths, body, contentType)
		if notJSON == nil || p.cfg.Input == "json" {
			return Document{}, notJSON
		}
	}
	doc, ok, err := p.read(body, contentType)
	switch {
	case !ok:
		return doc, notJSON
	case err != nil:
		return doc, err
	}
	env.Doc = bytesToString(doc.JSON)
	return doc, loadJSON(env, p.paths, doc.JSON, "")
}

// recordHistory adds the document's numeric values of the paths the checks
// and metrics read to the store, as samples at now, and gives env the
// target's history. A store that cannot be used never fails the probe: the
// returned OK outcomes say what happened to it.
func (p *Probe) recordHistory(ctx context.Context, target string, env *expr.Env, values []PathValue, now time.Time) []Outcome {
	samples := make(map[string]float64, len(values))
	for _, v := range values {
		samples[v.Path] = v.Value
	}
	h, msgs := p.store.Record(ctx, target, samples, now, p.retention)
	if h != nil {
		env.History = h
	}
	notes := make([]Outcome, 0, len(msgs))
	for _, msg := range msgs {
		notes = append(notes, Outcome{Name: "state", Level: LevelState, Expr: "state file", State: OK, Summary: msg, Message: msg})
	}
	return notes
}

// foldState is the one place the overall state is computed: the worst of the
// outcomes, and the on_error state when the document could not be had
// (UNKNOWN when the fetch was interrupted).
func foldState(rep *Report, onError State) State {
	s := OK
	switch {
	case errors.Is(rep.Err, ErrInterrupted):
		s = Unknown
	case rep.Err != nil:
		s = onError
	}
	for _, o := range rep.Outcomes {
		s = Worst(s, o.State)
	}
	return s
}

func statusOutcome(code int, want StatusSet) Outcome {
	msg := fmt.Sprintf("HTTP %d (expected %s)", code, want)
	return Outcome{Name: "http", Level: LevelHTTP, Expr: "$status", State: Critical,
		Value: &expr.Value{Kind: expr.Number, Num: float64(code)}, Summary: msg, Message: msg}
}

// loadJSON validates the body before any check runs, and reads the checks'
// plain paths in the same pass (Env.Preload); it names what was found
// instead of JSON.
func loadJSON(env *expr.Env, paths []string, body []byte, contentType string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("empty body, expected JSON")
	}
	switch err := env.Preload(paths); {
	case err == nil:
		return nil
	case errors.Is(err, expr.ErrTooDeep):
		return fmt.Errorf("body is %w", err)
	}
	what := "body is not valid JSON"
	if contentType != "" && !strings.Contains(contentType, "json") {
		what += " (Content-Type " + strconv.Quote(contentType) + ")"
	}
	return fmt.Errorf("%s: starts with %s", what, snippet(body, 40))
}

// snippet quotes the start of b for a one-line message.
func snippet(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		s = s[:n] + "…"
	}
	return strconv.QuoteToGraphic(s)
}

// evalCheck decides one check: critical first, then warning. An expression
// that cannot be decided gives the on_missing state.
func evalCheck(c Check, env *expr.Env, onMissing State) Outcome {
	o := Outcome{Name: c.Name, State: OK}
	// A window function without enough history does not alert; the check's
	// message says so unless the other level decides.
	var historySummary, historyMessage string
	levels := []struct {
		level Level
		state State
		e     *expr.Expr
	}{{LevelCritical, Critical, c.Critical}, {LevelWarning, Warning, c.Warning}}
	for _, l := range levels {
		if l.e == nil {
			continue
		}
		fired, obs, err := l.e.Trace(env)
		roundDerived(obs, l.e)
		o.Observations = append(o.Observations, obs...)
		// The expression shown is the one that decided, or for an OK check
		// the warning level (the nearer threshold), as operators read it.
		o.Level, o.Expr = l.level, l.e.String()
		o.Value = nil
		if len(obs) > 0 {
			v := obs[0].Value
			o.Value = &v
		}
		var ee *expr.EvalError
		switch {
		case errors.As(err, &ee) && ee.Kind == expr.ErrHistory:
			historySummary, historyMessage = err.Error(), o.Expr+" ("+err.Error()+")"
			o.Summary, o.Message = historySummary, historyMessage
			continue
		case err != nil:
			o.State, o.Err = onMissing, err
			o.Summary = err.Error()
			if c.Name != o.Expr && c.Name != l.e.Subject() {
				// A name of the operator's own leads; the error names the path.
				o.Summary = prefixName(c.Name, o.Summary)
			}
			o.Message = o.Expr + " (" + err.Error() + ")"
			return o
		case fired:
			o.State = l.state
			o.Summary, o.Message = describeExpr(c.Name, l.e, obs)
			return o
		}
		o.Summary, o.Message = describeExpr(c.Name, l.e, obs)
	}
	if historyMessage != "" {
		o.Summary, o.Message = historySummary, historyMessage
	}
	return o
}

// describeExpr words an evaluated expression of the check called name:
// the summary leads with the name, "goroutines=2156 > 2000" (or "consul
// critical=1 > 0" for a named check whose operand is a long gjson query),
// and the message shows the expression, "goroutines > 2000 (got 2156)".
// Values read on the right side or inside arithmetic follow in both,
// "memory.alloc_mb > $.memory.sys_mb (got 600, $.memory.sys_mb=512)".
func describeExpr(name string, e *expr.Expr, obs []expr.Observation) (summary, message string) {
	text := e.String()
	if len(obs) == 0 {
		return prefixName(name, text), text
	}
	lhs, parts := obs[0], observed(obs[1:])
	if e.Simple() && strings.HasPrefix(text, lhs.Subject) && !lhs.Part {
		got := lhs.Value.String()
		message = text + " (got " + strings.Join(append([]string{got}, parts...), ", ") + ")"
		rest := text[len(lhs.Subject):]
		last := obs[len(obs)-1]
		if n := len(parts); n > 0 && parts[n-1] == last.Subject+"="+last.Value.String() && strings.HasSuffix(rest, last.Subject) {
			// The right side's $.path ends the text: its value stands beside it.
			rest, parts = rest+"="+last.Value.String(), parts[:n-1]
		}
		summary = name + "=" + got + rest
		if len(parts) > 0 {
			summary += " (" + strings.Join(parts, ", ") + ")"
		}
		return summary, message
	}
	all := " (got " + strings.Join(observed(obs), ", ") + ")"
	if name == text {
		return text + all, text + all
	}
	return name + all, text + all
}

// observed lists the values an evaluation read as "subject=value", each
// once.
func observed(obs []expr.Observation) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range obs {
		s := o.Subject + "=" + o.Value.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// prefixName puts the check's name before text unless text already leads
// with it.
func prefixName(name, text string) string {
	rest, led := strings.CutPrefix(text, name)
	// Led by the name as a whole word or path component: "memory.alloc_mb:
	// not found" for the check memory, not for the check mem.
	if name == "" || led && (rest == "" || strings.IndexByte(".:= ", rest[0]) >= 0) {
		return text
	}
	return name + ": " + text
}

// roundDerived rounds, for people and perfdata, the numbers that a function,
// a fact or arithmetic computed (they have no document path and no digits
// of their own): age(), growth() and a ratio come out as 187.15, not
// 187.14909544603867. The comparison has already used the exact value; a
// value next to e's threshold keeps the digits that show which side of it
// it is on (3.3334 > 3.3333, not 3.33).
func roundDerived(obs []expr.Observation, e *expr.Expr) {
	subject, r, hasRange := e.Range()
	for i := range obs {
		v := &obs[i].Value
		if obs[i].Path != "" || v.Kind != expr.Number || v.Raw != "" {
			continue
		}
		exact := v.Num
		digits := displayDigits(exact)
		v.Num = roundTo(exact, digits)
		for hasRange && obs[i].Subject == subject && !obs[i].Part && r.Alert(v.Num) != r.Alert(exact) && digits < 17 {
			digits++
			v.Num = roundTo(exact, digits)
		}
	}
}

// evalMetric reads a metric's value for perfdata and checks its ranges. It
// returns an outcome that counts (alerting) when the metric has ranges or its
// value could not be read.
func evalMetric(m Metric, env *expr.Env, onMissing State) (o Outcome, p *Perf, alerting bool) {
	label := m.Name()
	o = Outcome{Name: label, Level: LevelMetric, Expr: m.Path}
	v, f, err := env.LookupNumber(m.Path)
	if !isMissing(err) { // the path was there: show what it held
		o.Value = &v
		o.Observations = []expr.Observation{{Subject: m.Path, Path: m.Path, Value: v}}
	}
	if err != nil {
		o.State, o.Err = onMissing, err
		o.Summary = err.Error()
		o.Message = "metric " + err.Error()
		return o, nil, true
	}
	p = &Perf{Label: label, Value: f, UOM: m.UOM, Warn: m.Warn, Crit: m.Crit, Min: m.Min, Max: m.Max}
	o.State = expr.Classify(f, m.Warn, m.Crit)
	got := v.String()
	o.Message = got
	if m.Warn != nil || m.Crit != nil {
		o.Message = fmt.Sprintf("%s (warning %s, critical %s)", got, orNone(rangeText(m.Warn)), orNone(rangeText(m.Crit)))
	}
	o.Summary = label + "=" + got
	switch o.State {
	case Critical:
		o.Summary += " outside " + m.Crit.String()
	case Warning:
		o.Summary += " outside " + m.Warn.String()
	}
	return o, p, m.Warn != nil || m.Crit != nil
}

func rangeText(r *expr.Range) string {
	if r == nil {
		return ""
	}
	return r.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// perfSet collects perfdata items in order of first appearance, one per label.
type perfSet struct {
	items []Perf
	index map[string]int // label → position in items
}

// add appends p, or fills the empty fields and unset thresholds of the item
// with the same label.
func (s *perfSet) add(p Perf) {
	i, ok := s.index[p.Label]
	if !ok {
		if s.index == nil {
			s.index = map[string]int{}
		}
		s.index[p.Label] = len(s.items)
		s.items = append(s.items, p)
		return
	}
	q := &s.items[i]
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&q.UOM, p.UOM}, {&q.Min, p.Min}, {&q.Max, p.Max},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if q.Warn == nil {
		q.Warn = p.Warn
	}
	if q.Crit == nil {
		q.Crit = p.Crit
	}
}

// addObservations adds a check's perfdata: its value under its label (the
// check's name), with its thresholds as Nagios ranges where they are plain
// comparisons, and every other numeric document value it read under the
// value's path.
func (s *perfSet) addObservations(obs []expr.Observation, c Check) {
	subject, label, primary := c.perfSubject()
	for _, o := range obs {
		f, ok := o.Value.Float()
		switch {
		case !ok:
		case primary && !o.Part && o.Subject == subject:
			s.add(Perf{Label: label, Value: f, UOM: c.UOM,
				Warn: derivedRange(c.Warning, subject), Crit: derivedRange(c.Critical, subject)})
		case o.Path != "" && primary && pathLabel(o.Path) == label:
			// A path named as the check itself: the check's item stands.
		case o.Path != "" && primary:
			s.add(Perf{Label: pathLabel(o.Path), Value: f})
		case o.Path != "":
			s.add(Perf{Label: pathLabel(o.Path), Value: f, UOM: c.UOM})
		}
	}
}

// factPerf is the perfdata of a probe fact ($time, $size), with the ranges
// of the checks on it and a minimum of 0.
func factPerf(label string, v float64, uom string, checks []Check, subject string) Perf {
	p := Perf{Label: label, Value: v, UOM: uom, Min: "0"}
	for _, c := range checks {
		if p.Warn == nil {
			p.Warn = derivedRange(c.Warning, subject)
		}
		if p.Crit == nil {
			p.Crit = derivedRange(c.Critical, subject)
		}
	}
	return p
}

func isMissing(err error) bool {
	var e *expr.EvalError
	return errors.As(err, &e) && e.Kind == expr.ErrMissing
}

// bytesToString views the body as a string without copying it: a body of
// megabytes would otherwise be held twice. It is safe because nothing writes
// to a Response's Body after Fetch returns it.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}
