package output

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// Export is a document value under a metric name of its own, instead of
// jsonprobe_value{path=…}.
type Export struct {
	Path string // the document path, e.g. goroutines
	Name string // the metric name, e.g. oneapi_goroutines
	Help string // the metric's HELP text; "" for a default that names the path
}

// Exports are the checks file's prometheus: entries, decoded by their
// section (a checksfile.Section): names that are valid, not jsonprobe's
// own, and given once; each path given once.
type Exports []Export

// Keys are the checks file's keys of the section.
func (*Exports) Keys() []string { return []string{"prometheus"} }

// fileExport is one entry of prometheus:.
type fileExport struct {
	Path checksfile.Scalar `yaml:"path"`
	Name checksfile.Scalar `yaml:"name"`
	Help checksfile.Scalar `yaml:"help"`
}

// Decode reads the entries of prometheus:.
func (e *Exports) Decode(_, value *yaml.Node, _ checksfile.File) error {
	var entries []fileExport
	if err := checksfile.Decode(value, &entries); err != nil {
		return err
	}
	names, paths := map[string]int{}, map[string]int{}
	for _, f := range entries {
		line := f.Path.Line
		if line == 0 {
			line = max(f.Name.Line, f.Help.Line)
		}
		ex, err := f.export(line, names, paths)
		if err != nil {
			return err
		}
		names[ex.Name], paths[ex.Path] = line, line
		*e = append(*e, ex)
	}
	return nil
}

// export validates one entry, against the names and paths before it.
func (f fileExport) export(line int, names, paths map[string]int) (Export, error) {
	name := f.Name.Value
	switch {
	case f.Path.Value == "":
		return Export{}, checksfile.Errorf(line, "prometheus: an entry needs a path")
	case !ValidMetricName(name):
		return Export{}, checksfile.Errorf(line, "prometheus: name %q: not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", name)
	case strings.HasPrefix(name, "probe_") || strings.HasPrefix(name, "jsonprobe_"):
		return Export{}, checksfile.Errorf(line, "prometheus: name %q: probe_ and jsonprobe_ are jsonprobe's own metrics", name)
	case strings.HasPrefix(name, "__"):
		return Export{}, checksfile.Errorf(line, "prometheus: name %q: names starting with __ are Prometheus's own", name)
	}
	if l, dup := names[name]; dup {
		return Export{}, checksfile.Errorf(line, "prometheus: name %q: the entry at line %d has that name too", name, l)
	}
	if l, dup := paths[strings.TrimPrefix(f.Path.Value, "$.")]; dup {
		return Export{}, checksfile.Errorf(line, "prometheus: path %q: the entry at line %d exports it already", f.Path.Value, l)
	}
	ex, err := expr.Parse(f.Path.Value)
	if err != nil {
		return Export{}, checksfile.Errorf(line, "prometheus: path %q: %v", f.Path.Value, err)
	}
	p, ok := ex.SubjectPath()
	if !ok || (p != f.Path.Value && "$."+p != f.Path.Value) {
		return Export{}, checksfile.Errorf(line, "prometheus: path %q: want a document path, not an expression", f.Path.Value)
	}
	return Export{Path: p, Name: name, Help: f.Help.Value}, nil
}

// Paths are the exported paths: the probe reads them too (Config.Reads),
// whether a check does or not.
func (e Exports) Paths() []string {
	out := make([]string, 0, len(e))
	for _, x := range e {
		out = append(out, x.Path)
	}
	return out
}

// ValidMetricName reports whether s is a Prometheus metric name:
// [a-zA-Z_:][a-zA-Z0-9_:]*.
func ValidMetricName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

var _ checksfile.Section = (*Exports)(nil)
