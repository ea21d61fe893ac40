package serve

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/redact"
	"github.com/jsonprobe/jsonprobe/serve/targets"
)

// module is one checks file, compiled once: what /probe?module=NAME runs.
type module struct {
	name, file string
	cfg        *probe.Config
	probe      *probe.Probe
	exports    output.Exports // its values' own metric names
	targets    targets.List   // where its credentials may go
	// origin is the scheme://host:port of the checks file's url: (""
	// without one): where its credentials may always go.
	origin string
}

// moduleName is the module a checks file makes: its file name without
// .yaml or .yml.
func moduleName(file string) string {
	base := filepath.Base(file)
	for _, ext := range []string{".yaml", ".yml"} {
		if b, ok := strings.CutSuffix(base, ext); ok {
			return b
		}
	}
	return base
}

// loadModule reads, validates and compiles one checks file, with store
// for its window functions' history (when its checks have any).
func loadModule(file string, opts Options, store probe.Store) (*module, error) {
	m := &module{name: moduleName(file), file: file}
	cfg, err := probe.LoadConfig(file, opts.Getenv, probe.WithSections(&m.exports, &m.targets), probe.IgnoreKeys(opts.IgnoreKeys...), probe.IgnoreCheckKeys(opts.IgnoreCheckKeys...))
	if err != nil {
		return nil, err
	}
	cfg.Reads = append(cfg.Reads, m.exports.Paths()...)
	var popts []probe.Option
	if cfg.UsesHistory() {
		// The window functions' samples; a module without any keeps none,
		// as recording them costs each scrape a lock and a copy.
		popts = append(popts, probe.WithStore(store))
	}
	p, err := probe.Compile(cfg, popts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	m.cfg, m.probe = cfg, p
	if u, err := url.Parse(cfg.Target); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		m.origin = origin(u)
	}
	return m, nil
}

// origin is u's scheme://host:port, lower case, the port always given.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// checkTarget refuses a scrape target that is not an http(s) URL: a
// scrape never reads a file or stdin. The error is the 400's reason.
func checkTarget(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	switch {
	case err != nil:
		return nil, fmt.Errorf("target %q: not a URL", redact.URL(target))
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("target %q: want an http:// or https:// URL", redact.URL(target))
	case u.Host == "":
		return nil, fmt.Errorf("target %q: no host", redact.URL(target))
	}
	return u, nil
}

// allows reports whether the module may probe u: any target when it sends
// no credentials of its own, otherwise its url:'s origin and the targets:
// of its checks file: URL prefixes, matched by origin and then by path
// segments, or host patterns such as *.example.com or 10.0.0.5:8080, which
// allow the scheme of the module's own url: (https unless that is http),
// so that a credential meant for https never goes out in clear text.
func (m *module) allows(u *url.URL) bool {
	if !m.cfg.HasCredentials() {
		return true
	}
	o := origin(u)
	if o == m.origin {
		return true
	}
	scheme := "https"
	if strings.HasPrefix(m.origin, "http://") {
		scheme = "http"
	}
	for _, t := range m.targets {
		if strings.Contains(t, "://") {
			p, err := url.Parse(t)
			if err == nil && origin(p) == o && pathWithin(u, p.Path) {
				return true
			}
			continue
		}
		if u.Scheme != scheme {
			continue
		}
		for _, host := range []string{u.Host, u.Hostname()} {
			if ok, _ := path.Match(strings.ToLower(t), strings.ToLower(host)); ok {
				return true
			}
		}
	}
	return false
}

// pathWithin reports whether u's path lies under prefix, at a segment
// boundary (/api/v1 is under /api, /apiv1 is not). A path with . or ..
// segments or an encoded slash is under no prefix: a server would resolve
// it elsewhere than it reads.
func pathWithin(u *url.URL, prefix string) bool {
	p := u.Path
	if strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	prefix = strings.TrimSuffix(prefix, "/")
	return prefix == "" || p == prefix || strings.HasPrefix(p, prefix+"/")
}

// moduleSet is the modules of one load, by name; replaced whole on reload.
type moduleSet struct {
	byName map[string]*module
	names  []string // sorted
}

func newModuleSet(mods []*module) *moduleSet {
	s := &moduleSet{byName: make(map[string]*module, len(mods))}
	for _, m := range mods {
		s.byName[m.name] = m
		s.names = append(s.names, m.name)
	}
	sort.Strings(s.names)
	return s
}

// pick is the module a scrape asks for; name "" is the only one when there
// is one. The error is the 400's reason.
func (s *moduleSet) pick(name string) (*module, error) {
	if name == "" {
		if len(s.names) == 1 {
			return s.byName[s.names[0]], nil
		}
		return nil, fmt.Errorf("module: give one of %s", strings.Join(s.names, ", "))
	}
	m, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("unknown module %q (modules: %s)", name, strings.Join(s.names, ", "))
	}
	return m, nil
}
