package probe

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/jsonprobe/jsonprobe/redact"
)

// Probe is a compiled Config: everything that can be done before a fetch
// is done once, by Compile (validation, the HTTP client and its shared
// transport, the redactor, the paths the checks read, the state binding).
// A *Probe is immutable and safe for concurrent use: a server runs one
// for many scrapes at once, the watch view one per interval.
type Probe struct {
	cfg       *Config
	client    *http.Client
	redact    *redact.Redactor
	secrets   []string // WithSecrets'
	stdin     io.Reader
	now       func() time.Time
	store     Store // nil: no window functions
	paths     []string
	names     map[string]string // a path's value's name, where it is not the path
	retention time.Duration
	formats   []Format // the bodies besides JSON it reads, in Sniff order
}

// Option changes what Compile builds: a test's client or clock, a store.
type Option func(*Probe)

// WithClient makes the probe fetch with c instead of the client Compile
// builds from the Config's TLS and redirect settings.
func WithClient(c *http.Client) Option { return func(p *Probe) { p.client = c } }

// WithStdin is what the target "-" reads (standard input in the command).
func WithStdin(r io.Reader) Option { return func(p *Probe) { p.stdin = r } }

// WithClock replaces time.Now: for the report's time, the fetch's duration,
// age() and the windows.
func WithClock(now func() time.Time) Option { return func(p *Probe) { p.now = now } }

// WithSecrets adds secrets that a front-end holds (the token of a URL it sends to), so
// that the Report never shows them either, if the target echoes one.
func WithSecrets(secrets ...string) Option {
	return func(p *Probe) { p.secrets = append(p.secrets, secrets...) }
}

// WithFormats gives the probe formats besides JSON that it reads: those
// Config.Input may name, tried in this order on a body that is not JSON.
func WithFormats(f ...Format) Option { return func(p *Probe) { p.formats = append(p.formats, f...) } }

// WithStore keeps the window functions' samples in s instead of the state
// file that the Config names (a long-running front-end's MemoryStore).
func WithStore(s Store) Option { return func(p *Probe) { p.store = s } }

// Compile validates cfg and prepares it to run any number of times. Its
// errors are config errors (a bad header, a TLS file that cannot be read),
// with the secrets of cfg redacted. cfg must not change afterwards.
func Compile(cfg *Config, opts ...Option) (*Probe, error) {
	p := &Probe{cfg: cfg, now: time.Now}
	if cfg.StatePath != "" {
		p.store = FileStore{Path: cfg.StatePath}
	}
	for _, o := range opts {
		o(p)
	}
	p.redact = cfg.Redactor(p.secrets...)
	err := cfg.Validate()
	if err == nil {
		err = p.checkInput()
	}
	if err == nil && p.store == nil {
		err = cfg.needsStore()
	}
	if err == nil && p.client == nil {
		p.client, err = NewHTTPClient(cfg)
	}
	if err != nil {
		// The error may quote an expression or path that holds a secret.
		return nil, errors.New(p.redact.Message(err.Error()))
	}
	p.paths = unique(cfg.paths())
	p.names = cfg.valueNames()
	p.retention = cfg.retention()
	return p, nil
}

// Config returns the Config the probe was compiled from; it must not be
// changed.
func (p *Probe) Config() *Config { return p.cfg }

// CloseIdleConnections closes the idle keep-alive connections of the
// probe's client: for a front-end that replaces the probe (a reload).
func (p *Probe) CloseIdleConnections() { p.client.CloseIdleConnections() }

// Redact hides the probe's secrets in s, and those of any URL s quotes:
// for what a front-end adds to a report (a sink that failed) or prints (a
// command it runs), so that it goes through the same redactor.
func (p *Probe) Redact(s string) string { return p.redact.Message(s) }

// unique is ss without repeats, in order.
func unique(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
