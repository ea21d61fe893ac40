package probe

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Defaults for a Config.
const (
	DefaultTimeout   = 10 * time.Second
	DefaultMaxBody   = 16 << 20
	DefaultRedirects = 10
)

// Config is a validated probe: every expression and range already parsed.
// It is built by LoadConfig from a checks file and completed by the command
// line's flags through the Add and Set methods.
type Config struct {
	// Target is an http:// or https:// URL, a file path, or "-" for stdin.
	Target  string
	Timeout time.Duration // the whole probe's deadline

	Method      string   // HTTP method; "" means GET
	Headers     []Header // extra request headers, in order
	Body        []byte   // request body, or nil
	BearerToken string   // secret: sent as Authorization: Bearer …
	BasicAuth   string   // secret: "user:password"

	Insecure   bool   // skip TLS verification
	CAFile     string // PEM file of CAs to trust instead of the system's
	ClientCert string // PEM client certificate
	ClientKey  string // PEM key of ClientCert

	ExpectStatus StatusSet // accepted HTTP status codes; empty means 2xx
	NoFollow     bool      // do not follow redirects
	MaxBody      int64     // response size cap in bytes

	OnError   State // state when the target cannot be read or is not JSON
	OnMissing State // state when a path is missing or has the wrong type

	// Input is the body's format: "json", the Name of a Format the probe
	// was given (WithFormats), or "" for JSON or else the format whose
	// Sniff knows the body.
	Input string

	Checks  []Check
	Metrics []Metric

	// Reads are more document paths whose numeric values the Report
	// carries (Values) beside those the checks and metrics read: for a
	// front-end that shows them.
	Reads []string

	// SecretVars are the environment variables that may hold the probe's
	// secrets: the checks file's *_env keys and the JSONPROBE_* ones the
	// command line reads, used or not. A command the probe's front-ends
	// start gets none of them.
	SecretVars []string

	// RedactParams are query parameter names whose values are secrets,
	// beyond the usual ones (token, key, code, sid, …): whole names,
	// compared without case.
	RedactParams []string

	// StatePath is the state file that keeps the history of the checks'
	// values for the window functions (growth(goroutines, 1h)); "" for none.
	StatePath string
}

// Name is what the metric's outcome and perfdata item are called: its
// label, or else its path as a perfdata label.
func (m Metric) Name() string {
	if m.Label != "" {
		return m.Label
	}
	return pathLabel(m.Path)
}

// Header is one request header.
type Header struct{ Name, Value string }

// Check is a named condition with a warning and/or a critical expression.
type Check struct {
	Name     string
	Warning  *expr.Expr // nil when the check has no warning level
	Critical *expr.Expr // nil when the check has no critical level
	UOM      string     // unit for the perfdata of the paths it reads
}

// Metric is a value reported as perfdata, with optional Nagios ranges that
// also alert.
type Metric struct {
	Path     string
	Label    string // perfdata label; the path when empty
	UOM      string
	Warn     *expr.Range
	Crit     *expr.Range
	Min, Max string // perfdata min and max as written, or ""
}

// NewConfig returns a Config with the defaults: 10s timeout, 16MiB body cap,
// 2xx accepted, CRITICAL on error, UNKNOWN on a missing path.
func NewConfig() *Config {
	return &Config{
		Timeout:   DefaultTimeout,
		MaxBody:   DefaultMaxBody,
		OnError:   Critical,
		OnMissing: Unknown,
	}
}

// Validate checks what the command line and the checks file could not check
// on their own, before any network I/O: the target's form (an empty target
// is left to the caller), the method, the header names and values, the
// basic-auth form. NewHTTPClient checks the TLS files.
func (c *Config) Validate() error {
	if _, err := checkTarget(c.Target); err != nil && c.Target != "" {
		return err
	}
	if err := missingScheme(c.Target, c.Target); err != nil {
		return err
	}
	if c.Method != "" && !validHeaderName(c.Method) {
		return fmt.Errorf("method %q: not a valid HTTP method", c.Method)
	}
	for _, h := range c.Headers {
		if !validHeaderName(h.Name) {
			return fmt.Errorf("header %q: not a valid header name", h.Name)
		}
		// The value is not quoted: it may be a secret.
		if strings.ContainsFunc(h.Value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			return fmt.Errorf("header %q: its value holds a line break or another control character", h.Name)
		}
	}
	if c.BasicAuth != "" && !strings.Contains(c.BasicAuth, ":") {
		return errors.New("basic auth: want user:password")
	}
	if err := c.checkPerfLabels(); err != nil {
		return err
	}
	return nil
}

// needsStore is Compile's error for window functions without a store to
// keep their samples in.
func (c *Config) needsStore() error {
	for _, ch := range c.Checks {
		if len(ch.windows()) > 0 {
			return fmt.Errorf("check %q: window functions need --state FILE or state: in the checks file", ch.Name)
		}
	}
	return nil
}

// windows lists the window functions of the check's expressions.
func (ch Check) windows() []expr.Window {
	var ws []expr.Window
	for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
		if e != nil {
			ws = append(ws, e.Windows()...)
		}
	}
	return ws
}

// UsesHistory reports whether a check reads the history of a value (a
// window function: growth(goroutines, 1h)); a long-running front-end keeps
// samples in a Store only then.
func (c *Config) UsesHistory() bool {
	for _, ch := range c.Checks {
		if len(ch.windows()) > 0 {
			return true
		}
	}
	return false
}

// retention is how long the state file keeps samples: the longest window
// used, or DefaultRetention when no check has one.
func (c *Config) retention() time.Duration {
	var d time.Duration
	for _, ch := range c.Checks {
		for _, w := range ch.windows() {
			d = max(d, w.Window)
		}
	}
	if d == 0 {
		return DefaultRetention
	}
	return d
}

// paths lists every document path the checks and metrics read.
func (c *Config) paths() []string {
	var paths []string
	for _, ch := range c.Checks {
		for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
			if e != nil {
				paths = append(paths, e.Paths()...)
			}
		}
	}
	for _, m := range c.Metrics {
		paths = append(paths, m.Path)
	}
	return append(paths, c.Reads...)
}

// Notes are what a valid configuration may not mean to do: a check whose
// warning can never show (its critical level is crossed first), and no
// check at all (only that the target answers JSON is checked).
func (c *Config) Notes() []string {
	var notes []string
	if len(c.Checks) == 0 && len(c.Metrics) == 0 {
		notes = append(notes, "no checks: only that the target answers with an accepted status and valid JSON is checked")
	}
	for _, ch := range c.Checks {
		subject, _, ok := ch.perfSubject()
		w, cr := derivedRange(ch.Warning, subject), derivedRange(ch.Critical, subject)
		if !ok || w == nil || cr == nil || w.Inside || cr.Inside {
			continue
		}
		// WARNING shows for a value outside w and inside cr: none when cr
		// lies within w.
		if w.Start <= cr.Start && cr.End <= w.End {
			notes = append(notes, fmt.Sprintf("check %q: it can never be WARNING: its warning level (%s) is beyond its critical level (%s); swapped?",
				ch.Name, ch.Warning, ch.Critical))
		}
	}
	return notes
}

// valueNames names the values of the paths that a check reads as its own
// subject (the check's name) or a metric labels (its label); the other
// paths are named for themselves.
func (c *Config) valueNames() map[string]string {
	names := map[string]string{}
	for _, ch := range c.Checks {
		subject, label, ok := ch.perfSubject()
		for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
			if !ok || e == nil {
				continue
			}
			if p, isPath := e.SubjectPath(); isPath && e.Subject() == subject && names[p] == "" {
				names[p] = label // the first check's, as the perfdata's
			}
		}
	}
	for _, m := range c.Metrics {
		if m.Label != "" && names[m.Path] == "" {
			names[m.Path] = m.Label
		}
	}
	return names
}

// perfSubject is what a check's own perfdata item carries: the left side of
// its critical (else warning) expression when that is a single comparison
// or lone operand, and the item's label, the check's name. An unnamed
// check is named for that operand, so its label is the operand's path as
// before names existed (json.time for the path time). ok is false when the
// check has no single operand (its levels test different ones, or one is
// joined with && or ||), and for $time and $size, whose thresholds go
// to the time and size items the probe always writes.
func (ch Check) perfSubject() (subject, label string, ok bool) {
	for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
		if e == nil || e.Subject() == "" {
			continue
		}
		if other := ch.Warning; e == ch.Critical && other != nil && other.Subject() != e.Subject() {
			// Two operands, two values: each path is an item of its own.
			return "", "", false
		}
		subject = e.Subject()
		switch {
		case subject == "$time" || subject == "$size":
			return "", "", false
		case ch.Name != subject:
			return subject, ch.Name, true
		}
		if p, isPath := e.SubjectPath(); isPath {
			return subject, pathLabel(p), true
		}
		if strings.HasPrefix(subject, "$") {
			return "", "", false // an unnamed check on $status or $cert_days, as before
		}
		return subject, subject, true
	}
	return "", "", false
}

// perfClaim is what one perfdata label is given to: where its value comes
// from (a path, or an operand as written), who gives it, and whether that
// one sets its thresholds.
type perfClaim struct {
	source, owner string
	ranges        bool
	metric        bool
}

// checkPerfLabels makes sure that two perfdata items never share a label
// silently: one label, one value. Two checks on the same value share its
// item (the first one's thresholds are written); a metric's own ranges
// and a check's thresholds on one item, or two values under one label,
// are a config error that names both.
func (c *Config) checkPerfLabels() error {
	claims := perfClaims{
		"time": {source: "$time", owner: "the fetch time"},
		"size": {source: "$size", owner: "the body size"},
	}
	for _, ch := range c.Checks {
		if err := claims.check(ch); err != nil {
			return err
		}
	}
	for _, m := range c.Metrics {
		if err := claims.metric(m); err != nil {
			return err
		}
	}
	return nil
}

// perfClaims are the perfdata labels claimed so far.
type perfClaims map[string]perfClaim

// claim gives label to n, or says why it cannot: another value has it, or
// a metric's ranges would meet other thresholds on it.
func (claims perfClaims) claim(label string, n perfClaim) error {
	prev, ok := claims[label]
	switch {
	case !ok:
		claims[label] = n
		return nil
	case prev.source != n.source:
		return fmt.Errorf("perfdata label %q: %s reads %s and %s reads %s; give one of them another name or label",
			label, prev.owner, sourceText(prev.source), n.owner, sourceText(n.source))
	case prev.ranges && n.ranges && (prev.metric || n.metric):
		return fmt.Errorf("perfdata label %q: thresholds from both %s and %s; keep one", label, prev.owner, n.owner)
	}
	prev.ranges = prev.ranges || n.ranges
	claims[label] = prev
	return nil
}

// check claims the labels of a check's items: its own, and those of the
// other paths it reads.
func (claims perfClaims) check(ch Check) error {
	owner := fmt.Sprintf("check %q", ch.Name)
	subject, label, primary := ch.perfSubject()
	subjectPath := ""
	if primary {
		source := subject
		for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
			if e == nil {
				continue
			}
			if p, ok := e.SubjectPath(); ok && e.Subject() == subject {
				source, subjectPath = "path "+p, p
			}
		}
		ranges := derivedRange(ch.Warning, subject) != nil || derivedRange(ch.Critical, subject) != nil
		if err := claims.claim(label, perfClaim{source: source, owner: owner, ranges: ranges}); err != nil {
			return err
		}
	}
	for _, e := range []*expr.Expr{ch.Critical, ch.Warning} {
		for _, p := range e.ObservedPaths() {
			if p == subjectPath || primary && pathLabel(p) == label {
				continue // the check's own item
			}
			if err := claims.claim(pathLabel(p), perfClaim{source: "path " + p, owner: owner}); err != nil {
				return err
			}
		}
	}
	return nil
}

// metric claims the label of a metric's item.
func (claims perfClaims) metric(m Metric) error {
	label := m.Label
	if label == "" {
		label = pathLabel(m.Path)
	}
	owner := fmt.Sprintf("metric %q", m.Path)
	if m.Label != "" {
		owner = fmt.Sprintf("metric %q", m.Path+"="+m.Label)
	}
	n := perfClaim{source: "path " + m.Path, owner: owner, ranges: m.Warn != nil || m.Crit != nil, metric: true}
	return claims.claim(label, n)
}

// sourceText words a perfClaim's source for a message.
func sourceText(source string) string {
	return strings.TrimPrefix(source, "path ")
}

// Secrets returns the secret strings of c, for redact.New: BearerToken,
// BasicAuth (with its password and the base64 form sent on the wire), the
// secrets of Target as redact.Secrets.URL finds them (with the query
// parameters RedactParams names), and the values of the secret headers
// (redact.Secrets.Header). The list has no empty strings and no
// duplicates, in that order.
func (c *Config) Secrets() []string {
	var s redact.Secrets
	s.Add(c.BearerToken)
	s.BasicAuth(c.BasicAuth)
	s.URL(c.Target, c.RedactParams...)
	for _, h := range c.Headers {
		s.Header(h.Name, h.Value)
	}
	return s.List()
}

// Redactor returns the Redactor of c's secrets (Secrets) and more, which
// also hides the query parameters c.RedactParams names in the URLs it
// meets.
func (c *Config) Redactor(more ...string) *redact.Redactor {
	return redact.New(append(c.Secrets(), more...)...).WithParams(c.RedactParams...)
}

// validHeaderName reports whether name is an HTTP token, as the transport
// requires.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// reservedLabels are the perfdata labels of the probe facts, always present.
var reservedLabels = map[string]bool{"time": true, "size": true}

// pathLabel is the perfdata label of a document path: the path itself, but
// "json.time" and "json.size" for the paths time and size, whose labels
// belong to the fetch time and body size.
func pathLabel(path string) string {
	if reservedLabels[path] {
		return "json." + path
	}
	return path
}

// derivedRange is the Nagios range of e when e is a plain numeric comparison
// of subject, else nil.
func derivedRange(e *expr.Expr, subject string) *Range {
	if e == nil {
		return nil
	}
	s, r, ok := e.Range()
	if !ok || s != subject {
		return nil
	}
	return &r
}

// HasCredentials reports whether the probe sends credentials of its own: a
// bearer token, basic auth, a client certificate, a secret header
// (Authorization, Cookie, *token*, *key*, …), or a request body, which may
// hold a key as well. A long-running front-end sends them only to the targets the
// probe allows.
func (c *Config) HasCredentials() bool {
	if c.BearerToken != "" || c.BasicAuth != "" || c.ClientCert != "" || len(c.Body) > 0 {
		return true
	}
	for _, h := range c.Headers {
		if redact.IsSecretHeader(h.Name) {
			return true
		}
	}
	return false
}
