// Package serve is jsonprobe's Prometheus exporter, in blackbox_exporter's
// style: each checks file is a module, compiled once (probe.Compile) and run
// for every scrape of /probe?module=M&target=URL, concurrently. It answers
// the probe's Report in the exposition format (output.Prometheus), its own
// metrics on /metrics, a status page on /, and reloads its checks files on
// POST /-/reload (and SIGHUP, in the command), keeping a module whose file
// became invalid.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/exporter-toolkit/web"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// Options configure a Server.
type Options struct {
	Files  []string            // the checks files, a module each
	Getenv func(string) string // resolves the files' *_env keys
	Logger *slog.Logger
	// TimeoutOffset is taken off a scrape's timeout
	// (X-Prometheus-Scrape-Timeout-Seconds), so that the answer reaches
	// Prometheus before it gives up (the command's default is 0.5s).
	TimeoutOffset time.Duration
	// ShutdownGrace bounds how long in-flight probes may run on at
	// shutdown before they are cancelled (default 5s).
	ShutdownGrace time.Duration
	// IgnoreKeys are checks-file keys of the front-ends the exporter does
	// not run (notifications, the Kuma push): a file shared with the
	// cron probe keeps them, and they are not read; IgnoreCheckKeys are
	// theirs in a check entry (a check's action).
	IgnoreKeys, IgnoreCheckKeys []string
}

// Server is the exporter: safe for concurrent scrapes and reloads.
type Server struct {
	opts    Options
	log     *slog.Logger
	modules atomic.Pointer[moduleSet]
	// stores keep each module's window history across reloads.
	storesMu sync.Mutex
	stores   map[string]*probe.MemoryStore
	reloadMu sync.Mutex // one reload at a time
	// failed are the modules kept as they were because their file did not
	// load at the last reload, by name, with when: for the page.
	failed  atomic.Pointer[map[string]time.Time]
	metrics *metrics
	recent  *recent
}

// New loads and compiles every checks file; any error fails the start (a
// reload, later, keeps the old module instead).
func New(opts Options) (*Server, error) {
	if len(opts.Files) == 0 {
		return nil, errors.New("no checks file: give one or more CHECKS.yaml")
	}
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.TimeoutOffset < 0 {
		return nil, fmt.Errorf("timeout offset %s: want 0 or more", opts.TimeoutOffset)
	}
	if opts.ShutdownGrace == 0 {
		opts.ShutdownGrace = 5 * time.Second
	}
	s := &Server{opts: opts, log: opts.Logger, stores: map[string]*probe.MemoryStore{}, metrics: newMetrics(), recent: newRecent(20)}
	seen := map[string]string{}
	for _, f := range opts.Files {
		name := moduleName(f)
		if other, dup := seen[name]; dup {
			return nil, fmt.Errorf("module %q: both %s and %s are named so; rename one", name, other, f)
		}
		seen[name] = f
	}
	var mods []*module
	for _, f := range opts.Files {
		m, err := loadModule(f, opts, s.store(moduleName(f)))
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	s.modules.Store(newModuleSet(mods))
	s.metrics.reloaded(true, time.Now())
	return s, nil
}

// store is the module's MemoryStore, the same across reloads.
func (s *Server) store(name string) *probe.MemoryStore {
	s.storesMu.Lock()
	defer s.storesMu.Unlock()
	st, ok := s.stores[name]
	if !ok {
		st = &probe.MemoryStore{}
		s.stores[name] = st
	}
	return st
}

// Reload reads every checks file again. A file that no longer loads keeps
// its module as it was; the error names each such file, and the reload
// metrics and log say so.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	old := s.modules.Load()
	var errs []error
	var mods []*module
	failed := map[string]time.Time{}
	for _, f := range s.opts.Files {
		name := moduleName(f)
		m, err := loadModule(f, s.opts, s.store(name))
		if err != nil {
			errs = append(errs, reloadError{file: f, err: err})
			s.log.Error("reload failed, keeping the module as it was", "module", name, "file", f, "err", err)
			m = old.byName[name]
			failed[name] = time.Now()
		}
		mods = append(mods, m)
	}
	s.modules.Store(newModuleSet(mods))
	s.failed.Store(&failed)
	for _, m := range mods {
		if o := old.byName[m.name]; o != nil && o != m {
			o.probe.CloseIdleConnections() // scrapes still running keep theirs
		}
	}
	err := errors.Join(errs...)
	s.metrics.reloaded(err == nil, time.Now())
	if err == nil {
		s.log.Info("reloaded", "modules", len(mods))
	}
	return err
}

// reloadError is a file that did not load again. Its text, for the
// unauthenticated POST /-/reload, names only the file: a YAML error may
// quote a value of it, a credential among them; the log has the whole.
type reloadError struct {
	file string
	err  error
}

func (e reloadError) Error() string { return e.file + " did not load (the log says why)" }
func (e reloadError) Unwrap() error { return e.err }

// Handler serves /probe, /metrics, /, /-/reload and /-/healthy.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /probe", s.handleProbe)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /{$}", s.handlePage)
	mux.HandleFunc("POST /-/reload", s.handleReload)
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("OK\n"))
	})
	return mux
}

// handleProbe runs one module against one target and answers its Report
// as an exposition. A bad module, target or timeout is a 400 with its
// reason, a target the module may not send its credentials to a 403;
// nothing is fetched for either.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	m, err := s.modules.Load().pick(q.Get("module"))
	if err != nil {
		s.refuse(w, http.StatusBadRequest, "module", err)
		return
	}
	target := q.Get("target")
	if target == "" {
		target = m.cfg.Target
	}
	u, err := checkTarget(target)
	if err != nil {
		s.refuse(w, http.StatusBadRequest, "target", err)
		return
	}
	if !m.allows(u) {
		s.refuse(w, http.StatusForbidden, "forbidden", fmt.Errorf("module %q sends credentials, and target %q is not among its targets", m.name, m.cfg.Redactor().URL(target)))
		return
	}
	ctx := r.Context()
	if h := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); h != "" {
		secs, err := strconv.ParseFloat(h, 64)
		if err != nil || !(secs > 0 && secs <= maxScrapeTimeout) { // NaN too
			s.refuse(w, http.StatusBadRequest, "timeout", fmt.Errorf("X-Prometheus-Scrape-Timeout-Seconds %q: want a positive number of seconds, at most %d", h, maxScrapeTimeout))
			return
		}
		timeout := time.Duration(secs * float64(time.Second))
		if timeout > s.opts.TimeoutOffset {
			timeout -= s.opts.TimeoutOffset
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	rep := m.probe.Run(ctx, target)
	s.metrics.probed(m.name, rep)
	s.recent.add(m.name, rep)
	if (rep.State == probe.Critical || rep.State == probe.Unknown) && s.log.Enabled(ctx, slog.LevelDebug) {
		s.log.Debug("probe failed", "module", m.name, "target", rep.Target, "state", rep.State.String(), "summary", rep.Summary())
	}
	w.Header().Set("Content-Type", output.PrometheusContentType)
	if err := output.Prometheus(w, rep, output.PrometheusOptions{Exports: m.exports}); err != nil {
		s.log.Debug("writing a probe's answer", "module", m.name, "err", err)
	}
}

// maxScrapeTimeout bounds X-Prometheus-Scrape-Timeout-Seconds: a day,
// far beyond any scrape, well inside a time.Duration.
const maxScrapeTimeout = 86400

// refuse answers a scrape that is not run: code, and the reason in one line.
func (s *Server) refuse(w http.ResponseWriter, code int, reason string, err error) {
	s.metrics.refused(reason)
	http.Error(w, output.OneLine(err.Error()), code)
}

func (s *Server) handleReload(w http.ResponseWriter, _ *http.Request) {
	if err := s.Reload(); err != nil {
		http.Error(w, "reload failed, the modules that did not load are kept as they were: "+output.OneLine(err.Error()), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("reloaded\n"))
}

// Serve answers on l until ctx is done (SIGTERM), with TLS and basic auth
// from webConfig (the exporter-toolkit's --web.config.file; "" for plain
// HTTP). At the end, in-flight probes get ShutdownGrace to finish and are
// cancelled after that; a clean shutdown returns nil.
func (s *Server) Serve(ctx context.Context, l net.Listener, webConfig string) error {
	probes, cancelProbes := context.WithCancel(context.Background())
	defer cancelProbes()
	srv := &http.Server{
		Handler:           s.Handler(),
		BaseContext:       func(net.Listener) context.Context { return probes },
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	done := make(chan error, 1)
	go func() {
		done <- web.Serve(l, srv, &web.FlagConfig{WebConfigFile: &webConfig}, s.log)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", s.opts.ShutdownGrace)
	grace, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		// The probes still running end now, UNKNOWN (interrupted); a
		// second's wait lets them answer before the connections close.
		cancelProbes()
		last, cancelLast := context.WithTimeout(context.Background(), time.Second)
		if err := srv.Shutdown(last); err != nil {
			_ = srv.Close()
		}
		cancelLast()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
