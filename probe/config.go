package probe

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
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

	Checks  []Check
	Metrics []Metric

	Kuma Kuma // Uptime Kuma push settings

	// StatePath is the state file that keeps the history of the checks'
	// values for the window functions (growth(goroutines, 1h)); "" for none.
	StatePath string
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

// Kuma holds the Uptime Kuma push settings.
type Kuma struct {
	URL       string // push URL, secret (its token)
	WarningAs string // "up" or "down": what WARNING pushes
}

// StatusSet is a list of accepted HTTP status codes and classes.
type StatusSet []StatusRange

// StatusRange is an inclusive range of HTTP status codes: 200-200, or
// 200-299 for "2xx".
type StatusRange struct{ Lo, Hi int }

// Contains reports whether code is accepted; an empty set accepts 2xx.
func (s StatusSet) Contains(code int) bool {
	if len(s) == 0 {
		return code >= 200 && code <= 299
	}
	for _, r := range s {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

// NewConfig returns a Config with the defaults: 10s timeout, 16MiB body cap,
// 2xx accepted, CRITICAL on error, UNKNOWN on a missing path.
func NewConfig() *Config {
	return &Config{
		Timeout:   DefaultTimeout,
		MaxBody:   DefaultMaxBody,
		OnError:   Critical,
		OnMissing: Unknown,
		Kuma:      Kuma{WarningAs: "up"},
	}
}

// Validate checks what the command line and the checks file could not check
// on their own, before any network I/O: the target's form (an empty target
// is left to the caller), the method, the header names and values, the
// basic-auth form. NewHTTPClient checks the TLS files.
func (c *Config) Validate() error {
	if err := c.checkTarget(); err != nil && c.Target != "" {
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
	if c.StatePath == "" {
		for _, ch := range c.Checks {
			if len(ch.windows()) > 0 {
				return fmt.Errorf("check %q: window functions need --state FILE or state: in the checks file", ch.Name)
			}
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

// checkTarget checks the target's form: a URL, a file, or "-".
func (c *Config) checkTarget() error {
	switch {
	case c.Target == "":
		return errors.New("no target: give a URL, a file or - for stdin")
	case hasScheme(c.Target, "http") || hasScheme(c.Target, "https"):
		return nil
	case strings.Contains(c.Target, "://"):
		return fmt.Errorf("target %s: unsupported URL scheme (want http://, https://, a file or -)", RedactURL(c.Target))
	}
	return nil
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
	return paths
}
