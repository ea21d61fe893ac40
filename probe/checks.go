package probe

// The checks and metrics of a checks file, and its expect_status: the
// parts of the engine's keys that decode themselves.

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"
	"github.com/jsonprobe/jsonprobe/probe/expr"
)

type fileCheck struct {
	Name     checksfile.Scalar  `yaml:"name"`
	Warning  *checksfile.Scalar `yaml:"warning"`
	Critical *checksfile.Scalar `yaml:"critical"`
	UOM      checksfile.Scalar  `yaml:"uom"`
	// others are the entry's keys the engine does not read, for the
	// front-ends' check sections (or an unknown key's error).
	others []pair
}

// pair is a key of a checks file and its value.
type pair struct{ key, value *yaml.Node }

// checkKeys are the keys of a check, in the order the messages list them.
var checkKeys = []string{"name", "warning", "critical", "uom"}

// UnmarshalYAML decodes a check strictly (unknown and repeated keys are
// errors), and catches the YAML traps of an expression that starts with
// "#" (`critical: # < 1` is read as an empty value and a comment) or "!"
// (a tag).
func (c *fileCheck) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return checksfile.Errorf(n.Line, "got a %s, want a mapping", checksfile.Kind(n))
	}
	return checksfile.Pairs(n, func(k, v *yaml.Node) error {
		var dst **checksfile.Scalar
		switch k.Value {
		case "name":
			return v.Decode(&c.Name)
		case "uom":
			return v.Decode(&c.UOM)
		case "warning":
			dst = &c.Warning
		case "critical":
			dst = &c.Critical
		default:
			c.others = append(c.others, pair{k, v})
			return nil
		}
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" && v.Value == "" {
			if comment := firstComment(k, v); comment != "" && parses(comment) {
				return checksfile.Errorf(k.Line, "%s: YAML read %q as a comment; quote an expression that starts with #: %s: '%s'", k.Value, comment, k.Value, comment)
			}
			return nil // nothing written: no check at this level
		}
		if v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "" {
			return nil // "": no check at this level, as -w '' is
		}
		*dst = new(checksfile.Scalar)
		return v.Decode(*dst)
	})
}

// parses reports whether s is an expression: the comment "# < 1" is one,
// "# none at this level" a comment meant as one.
func parses(s string) bool {
	_, err := expr.Parse(s)
	return err == nil
}

// firstComment is the comment YAML attached to a key or its empty value.
func firstComment(nodes ...*yaml.Node) string {
	for _, n := range nodes {
		if c := strings.TrimSpace(n.LineComment); c != "" {
			return c
		}
	}
	return ""
}

type fileMetric struct {
	Path     checksfile.Scalar `yaml:"path"`
	Label    checksfile.Scalar `yaml:"label"`
	UOM      checksfile.Scalar `yaml:"uom"`
	Warning  checksfile.Scalar `yaml:"warning"`
	Critical checksfile.Scalar `yaml:"critical"`
	Min      checksfile.Scalar `yaml:"min"`
	Max      checksfile.Scalar `yaml:"max"`
}

// yamlStatusList is expect_status: a list of codes or classes, or one string.
type yamlStatusList struct {
	Set  StatusSet
	Line int
}

func (s *yamlStatusList) UnmarshalYAML(n *yaml.Node) error {
	var parts []string
	switch n.Kind {
	case yaml.ScalarNode:
		parts = []string{n.Value}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return checksfile.Errorf(c.Line, "expect_status: want status codes such as 200 or 2xx")
			}
			parts = append(parts, c.Value)
		}
	default:
		return checksfile.Errorf(n.Line, "expect_status: want a list such as [200, 204] or [2xx]")
	}
	set, err := ParseStatusList(strings.Join(parts, ","))
	if err != nil {
		return checksfile.Errorf(n.Line, "%v", err)
	}
	s.Set, s.Line = set, n.Line
	return nil
}

// compileChecks parses the checks and metrics into cfg; a check's name is
// given once.
func (fc *fileConfig) compileChecks(cfg *Config) error {
	named := map[string]int{} // name → line, for names given twice
	for _, c := range fc.Checks {
		ch, err := c.compile()
		if err != nil {
			return err
		}
		if line, dup := named[c.Name.Value]; dup {
			return checksfile.Errorf(c.Name.Line, "check %q: the check at line %d has that name too; names are unique", c.Name.Value, line)
		}
		if c.Name.Value != "" {
			named[c.Name.Value] = c.Name.Line
		}
		cfg.Checks = append(cfg.Checks, ch)
	}
	for _, m := range fc.Metrics {
		met, err := m.compile()
		if err != nil {
			return err
		}
		cfg.Metrics = append(cfg.Metrics, met)
	}
	return nil
}

func (c fileCheck) compile() (Check, error) {
	ch := Check{Name: c.Name.Value, UOM: c.UOM.Value}
	if c.Warning == nil && c.Critical == nil {
		return ch, checksfile.Errorf(firstLine(&c.Name, c.Critical, c.Warning, &c.UOM), "check %q: needs a warning or a critical expression", ch.Name)
	}
	for _, l := range []struct {
		src *checksfile.Scalar
		dst **expr.Expr
	}{{c.Critical, &ch.Critical}, {c.Warning, &ch.Warning}} {
		if l.src == nil {
			continue
		}
		e, err := expr.Parse(l.src.Value)
		if err != nil {
			if ch.Name == "" {
				return ch, checksfile.Errorf(l.src.Line, "%v", err)
			}
			return ch, checksfile.Errorf(l.src.Line, "check %q: %v", ch.Name, err)
		}
		*l.dst = e
	}
	if ch.Name == "" {
		ch.Name = checkName(ch.Critical, ch.Warning)
	}
	if err := checkUOM(ch.UOM); err != nil {
		return ch, checksfile.Errorf(firstLine(&c.Name, c.Critical, c.Warning, &c.UOM), "check %q: %v", ch.Name, err)
	}
	return ch, nil
}

func (m fileMetric) compile() (Metric, error) {
	met := Metric{Path: m.Path.Value, Label: m.Label.Value, UOM: m.UOM.Value, Min: m.Min.Value, Max: m.Max.Value}
	if err := met.validate(m.Warning.Value, m.Critical.Value); err != nil {
		return met, checksfile.Errorf(firstLine(&m.Path, &m.Label, &m.UOM, &m.Warning, &m.Critical, &m.Min, &m.Max), "metric %q: %v", met.Path, err)
	}
	return met, nil
}

// firstLine is the line of the first of the scalars that was given.
func firstLine(scalars ...*checksfile.Scalar) int {
	line := 0
	for _, s := range scalars {
		if s != nil && s.Line > 0 && (line == 0 || s.Line < line) {
			line = s.Line
		}
	}
	return line
}
