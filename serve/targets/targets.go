// Package targets reads the targets: of a checks file: where the exporter
// may send a module's credentials besides its url:'s origin. It is apart
// from the exporter so that the one-shot probe, which does not link the
// exporter, validates the same section.
package targets

import (
	"errors"
	"net/url"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"
)

// List are the scrape targets a module may send its credentials to,
// beyond the origin of its url: (the checks file's targets:, a
// checksfile.Section): URL prefixes ("https://api.example.com/") or host
// patterns ("*.example.com", "10.0.0.5:8080").
type List []string

// Keys are the checks file's keys of the section.
func (*List) Keys() []string { return []string{"targets"} }

// Decode reads targets:, each entry checked.
func (t *List) Decode(_, value *yaml.Node, _ checksfile.File) error {
	var entries []checksfile.Scalar
	if err := checksfile.Decode(value, &entries); err != nil {
		return err
	}
	for _, e := range entries {
		if err := checkAllowedTarget(e.Value); err != nil {
			return checksfile.Errorf(e.Line, "targets: %q: %v", e.Value, err)
		}
		*t = append(*t, e.Value)
	}
	return nil
}

// checkAllowedTarget checks an entry of targets:: an http(s) URL prefix
// with a host, or a host pattern (path.Match syntax) without a path.
func checkAllowedTarget(t string) error {
	if strings.Contains(t, "://") {
		u, err := url.Parse(t)
		switch {
		case err != nil:
			return errors.New("not a URL")
		case u.Scheme != "http" && u.Scheme != "https":
			return errors.New("want an http:// or https:// prefix")
		case u.Host == "":
			return errors.New("no host")
		}
		return nil
	}
	if t == "" || strings.ContainsAny(t, "/ ") {
		return errors.New("want a URL prefix (https://host/path) or a host pattern (*.example.com, host:port)")
	}
	if _, err := path.Match(t, ""); err != nil {
		return errors.New("not a valid host pattern")
	}
	return nil
}

var _ checksfile.Section = (*List)(nil)
