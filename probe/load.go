package probe

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// fileConfig is the schema of the checks file. Decoding is strict: a key
// that is not here is an error.
type fileConfig struct {
	URL             string            `yaml:"url"`
	Timeout         *yamlScalar       `yaml:"timeout"`
	Method          string            `yaml:"method"`
	Body            *string           `yaml:"body"`
	BodyFile        string            `yaml:"body_file"`
	Headers         map[string]string `yaml:"headers"`
	BearerTokenEnv  string            `yaml:"bearer_token_env"`
	BearerTokenFile string            `yaml:"bearer_token_file"`
	BasicAuthEnv    string            `yaml:"basic_auth_env"`
	BasicAuthFile   string            `yaml:"basic_auth_file"`
	Insecure        bool              `yaml:"insecure"`
	CAFile          string            `yaml:"ca_file"`
	ClientCert      string            `yaml:"client_cert"`
	ClientKey       string            `yaml:"client_key"`
	ExpectStatus    *yamlStatusList   `yaml:"expect_status"`
	FollowRedirects *bool             `yaml:"follow_redirects"`
	MaxBody         *yamlScalar       `yaml:"max_body"`
	OnError         *yamlScalar       `yaml:"on_error"`
	OnMissing       *yamlScalar       `yaml:"on_missing"`
	Checks          []fileCheck       `yaml:"checks"`
	Metrics         []fileMetric      `yaml:"metrics"`
	Kuma            *fileKuma         `yaml:"kuma"`
	State           string            `yaml:"state"`
	Prometheus      []fileExport      `yaml:"prometheus"`
	Notify          []fileNotify      `yaml:"notify"`
	OnChange        string            `yaml:"on_change"`
	ActionCooldown  *yamlScalar       `yaml:"action_cooldown"`
	ActionTimeout   *yamlScalar       `yaml:"action_timeout"`
	Targets         []string          `yaml:"targets"`
	RedactParams    []yamlScalar      `yaml:"redact_params"`
}

// fileNotify is one entry of notify:. The URL and the secret come from the
// environment or a file, never inline: the URL holds the robot's key.
type fileNotify struct {
	Kind         string      `yaml:"kind"`
	URLEnv       string      `yaml:"url_env"`
	URLFile      string      `yaml:"url_file"`
	SecretEnv    string      `yaml:"secret_env"`
	SecretFile   string      `yaml:"secret_file"`
	After        *yamlScalar `yaml:"after"`
	Repeat       *yamlScalar `yaml:"repeat"`
	Template     string      `yaml:"template"`
	TemplateFile string      `yaml:"template_file"`
}

// fileExport is one entry of prometheus: a value under its own metric name.
type fileExport struct {
	Path yamlScalar `yaml:"path"`
	Name yamlScalar `yaml:"name"`
	Help yamlScalar `yaml:"help"`
}

type fileCheck struct {
	Name     yamlScalar  `yaml:"name"`
	Warning  *yamlScalar `yaml:"warning"`
	Critical *yamlScalar `yaml:"critical"`
	UOM      yamlScalar  `yaml:"uom"`
}

// checkKeys are the keys of a check, in the order the messages list them.
var checkKeys = []string{"name", "warning", "critical", "uom"}

// UnmarshalYAML decodes a check strictly (unknown and repeated keys are
// errors), and catches the YAML trap of an expression that starts with
// "#": `critical: # < 1` is read as an empty value and a comment.
func (c *fileCheck) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return lineError{n.Line, "got a " + nodeKind(n) + ", want a mapping"}
	}
	fields := map[string]**yamlScalar{"warning": &c.Warning, "critical": &c.Critical}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if line, dup := seen[k.Value]; dup {
			return lineError{k.Line, fmt.Sprintf("key %q is already given at line %d", k.Value, line)}
		}
		seen[k.Value] = k.Line
		var dst *yamlScalar
		switch k.Value {
		case "name":
			dst = &c.Name
		case "uom":
			dst = &c.UOM
		case "warning", "critical":
			if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" && v.Value == "" {
				if comment := firstComment(k, v); comment != "" && parses(comment) {
					return lineError{k.Line, fmt.Sprintf("%s: YAML read %q as a comment; quote an expression that starts with #: %s: '%s'", k.Value, comment, k.Value, comment)}
				}
				continue // nothing written: no check at this level
			}
			if v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "" {
				continue // "": no check at this level, as -w '' is
			}
			dst = new(yamlScalar)
			*fields[k.Value] = dst
		default:
			msg := fmt.Sprintf("unknown key %q", k.Value)
			if s := expr.Closest(k.Value, checkKeys); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return lineError{k.Line, msg}
		}
		if err := v.Decode(dst); err != nil {
			return err
		}
	}
	return nil
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
	Path     yamlScalar `yaml:"path"`
	Label    yamlScalar `yaml:"label"`
	UOM      yamlScalar `yaml:"uom"`
	Warning  yamlScalar `yaml:"warning"`
	Critical yamlScalar `yaml:"critical"`
	Min      yamlScalar `yaml:"min"`
	Max      yamlScalar `yaml:"max"`
}

type fileKuma struct {
	URLEnv    string `yaml:"url_env"`
	WarningAs string `yaml:"warning_as"`
}

// yamlScalar is a scalar value with the line it stands on, for messages.
type yamlScalar struct {
	Value string
	Line  int
}

func (s *yamlScalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return lineError{n.Line, "want a single value, got a " + nodeKind(n)}
	}
	s.Value, s.Line = n.Value, n.Line
	return nil
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
				return lineError{c.Line, "expect_status: want status codes such as 200 or 2xx"}
			}
			parts = append(parts, c.Value)
		}
	default:
		return lineError{n.Line, "expect_status: want a list such as [200, 204] or [2xx]"}
	}
	set, err := ParseStatusList(strings.Join(parts, ","))
	if err != nil {
		return lineError{n.Line, err.Error()}
	}
	s.Set, s.Line = set, n.Line
	return nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

// lineError is a problem at a line of the checks file.
type lineError struct {
	line int
	msg  string
}

func (e lineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// yamlRes are the patterns of yaml.v3's messages that yamlMessage rewords,
// compiled on the first error rather than at start-up.
var yamlRes = sync.OnceValue(func() [3]*regexp.Regexp {
	return [3]*regexp.Regexp{
		regexp.MustCompile(`line (\d+): field (\S+) not found in type (\S+)`),
		regexp.MustCompile("line (\\d+): cannot unmarshal !!(\\w+) `([^`]*)` into (\\S+)"),
		regexp.MustCompile(`line (\d+): cannot unmarshal !!(\w+) into (\S+)`),
	}
})

// yamlKeys lists the keys of the checks file's type named typeName
// ("probe.fileConfig"), from their yaml tags, for suggestions.
func yamlKeys(typeName string) []string {
	for _, v := range []any{fileConfig{}, fileMetric{}, fileKuma{}} {
		t := reflect.TypeOf(v)
		if t.String() != typeName {
			continue
		}
		keys := make([]string, 0, t.NumField())
		for i := 0; i < t.NumField(); i++ {
			keys = append(keys, strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0])
		}
		return keys
	}
	return nil
}

// yamlMessage turns yaml.v3's wording into one line that names the line.
// data is the file, for finding where its indentation goes wrong.
func yamlMessage(err error, data []byte) string {
	var le lineError
	if errors.As(err, &le) {
		return le.Error()
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	if le, ok := indentationError(msg, data); ok {
		return le.Error()
	}
	res := yamlRes()
	yamlUnknownRe, yamlTypeRe, yamlShapeRe := res[0], res[1], res[2]
	msg = yamlUnknownRe.ReplaceAllStringFunc(msg, func(m string) string {
		s := yamlUnknownRe.FindStringSubmatch(m)
		out := fmt.Sprintf("line %s: unknown key %q", s[1], s[2])
		if c := expr.Closest(s[2], yamlKeys(s[3])); c != "" {
			out += " (did you mean " + c + "?)"
		}
		return out
	})
	msg = yamlTypeRe.ReplaceAllStringFunc(msg, func(m string) string {
		s := yamlTypeRe.FindStringSubmatch(m)
		return fmt.Sprintf("line %s: %s %q is not a %s", s[1], yamlTypeName(s[2]), s[3], goTypeName(s[4]))
	})
	msg = yamlShapeRe.ReplaceAllStringFunc(msg, func(m string) string {
		s := yamlShapeRe.FindStringSubmatch(m)
		return fmt.Sprintf("line %s: got a %s, want a %s", s[1], yamlTypeName(s[2]), goTypeName(s[3]))
	})
	return msg
}

func yamlTypeName(tag string) string {
	switch tag {
	case "seq":
		return "list"
	case "map":
		return "mapping"
	case "str":
		return "string"
	}
	return tag
}

func goTypeName(t string) string {
	switch {
	case t == "bool" || t == "*bool":
		return "boolean (true or false)"
	case strings.HasPrefix(t, "[]"):
		return "list"
	case strings.HasPrefix(t, "map"), strings.HasPrefix(t, "probe."):
		return "mapping"
	}
	return "string"
}

// LoadOption changes how a checks file is read.
type LoadOption func(*fileConfig)

// WithoutNotify reads a checks file for a front-end that sends no
// notifications and runs no action (the exporter, watch): notify:,
// on_change:, action_cooldown: and action_timeout: are left out, so the
// variables and files they name need not be there. A checks file shared
// with the cron probe keeps them.
func WithoutNotify() LoadOption {
	return func(fc *fileConfig) {
		fc.Notify, fc.OnChange, fc.ActionCooldown, fc.ActionTimeout = nil, "", nil, nil
	}
}

// LoadConfig reads and validates a checks file. getenv resolves the
// *_env keys; file paths in it are relative to the file's folder.
func LoadConfig(path string, getenv func(string) string, opts ...LoadOption) (*Config, error) {
	data, err := ReadFileArg("config", path)
	if err != nil {
		return nil, err
	}
	cfg, err := ParseConfig(data, filepath.Dir(path), getenv, opts...)
	if err != nil {
		return nil, fmt.Errorf("config %q: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig validates the checks file data; dir is the folder relative
// paths in it are read from.
func ParseConfig(data []byte, dir string, getenv func(string) string, opts ...LoadOption) (*Config, error) {
	var fc fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, errors.New(yamlMessage(err, data))
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("line %d: a second YAML document; a checks file holds one", more.Line)
	}
	for _, o := range opts {
		o(&fc)
	}
	return fc.compile(dir, getenv)
}

// compile turns the decoded file into a validated Config.
func (fc *fileConfig) compile(dir string, getenv func(string) string) (*Config, error) {
	cfg := NewConfig()
	cfg.Target = fc.URL
	if fc.URL != "-" && !strings.Contains(fc.URL, "://") {
		// A file path, relative to the checks file like every other path,
		// so that cron running it from / reads the same file.
		cfg.Target = relPath(dir, fc.URL)
		if err := missingScheme(fc.URL, cfg.Target); err != nil {
			return nil, fmt.Errorf("url: %w", err)
		}
	}
	cfg.Method = fc.Method
	cfg.Insecure = fc.Insecure
	cfg.CAFile = relPath(dir, fc.CAFile)
	cfg.ClientCert = relPath(dir, fc.ClientCert)
	cfg.ClientKey = relPath(dir, fc.ClientKey)
	cfg.NoFollow = fc.FollowRedirects != nil && !*fc.FollowRedirects
	cfg.StatePath = relPath(dir, fc.State)
	if fc.ExpectStatus != nil {
		cfg.ExpectStatus = fc.ExpectStatus.Set
	}
	var err error
	if fc.Timeout != nil {
		if cfg.Timeout, err = ParseTimeout(fc.Timeout.Value); err != nil {
			return nil, lineError{fc.Timeout.Line, err.Error()}
		}
	}
	if fc.MaxBody != nil {
		if cfg.MaxBody, err = ParseSize(fc.MaxBody.Value); err != nil {
			return nil, lineError{fc.MaxBody.Line, "max_body: " + err.Error()}
		}
	}
	for _, st := range []struct {
		src *yamlScalar
		dst *State
		key string
	}{{fc.OnError, &cfg.OnError, "on_error"}, {fc.OnMissing, &cfg.OnMissing, "on_missing"}} {
		if st.src == nil {
			continue
		}
		if *st.dst, err = ParseState(st.src.Value); err != nil {
			return nil, lineError{st.src.Line, st.key + ": " + err.Error()}
		}
	}
	for _, n := range fc.RedactParams {
		if err := cfg.AddRedactParam(n.Value); err != nil {
			return nil, lineError{n.Line, "redact_params: " + err.Error()}
		}
	}
	names := make([]string, 0, len(fc.Headers))
	for k := range fc.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		cfg.Headers = append(cfg.Headers, Header{Name: k, Value: fc.Headers[k]})
	}
	if fc.Body != nil && fc.BodyFile != "" {
		return nil, errors.New("body and body_file: give one of them")
	}
	if fc.Body != nil {
		cfg.Body = []byte(*fc.Body)
	}
	if fc.BodyFile != "" {
		if cfg.Body, err = ReadFileArg("body_file", relPath(dir, fc.BodyFile)); err != nil {
			return nil, err
		}
	}
	if err := fc.compileSecrets(cfg, dir, getenv); err != nil {
		return nil, err
	}
	if err := fc.compileChecks(cfg); err != nil {
		return nil, err
	}
	if err := fc.compileNotify(cfg, dir, getenv); err != nil {
		return nil, err
	}
	return cfg, fc.compileExports(cfg)
}

// compileNotify reads notify:, on_change:, action_cooldown: and
// action_timeout: into cfg.
func (fc *fileConfig) compileNotify(cfg *Config, dir string, getenv func(string) string) error {
	for i, n := range fc.Notify {
		what := fmt.Sprintf("notify %d", i+1)
		cfg.SecretVars = append(cfg.SecretVars, n.URLEnv, n.SecretEnv)
		u, err := secretOption(what+": url", n.URLEnv, relPath(dir, n.URLFile), getenv)
		if err != nil {
			return err
		}
		if u == "" {
			return fmt.Errorf("%s: give url_env or url_file (the URL holds the robot's key, so never inline)", what)
		}
		if j := slices.IndexFunc(cfg.Notify, func(o Notify) bool { return o.URL == u }); j >= 0 {
			// One receiver keeps one memory: given twice, each run would
			// count twice towards after:.
			return fmt.Errorf("%s: the same URL as notify %d", what, j+1)
		}
		if !hasScheme(u, "http") && !hasScheme(u, "https") {
			return fmt.Errorf("%s: the URL is not http(s)", what)
		}
		secret, err := secretOption(what+": secret", n.SecretEnv, relPath(dir, n.SecretFile), getenv)
		if err != nil {
			return err
		}
		nt := Notify{Kind: strings.ToLower(n.Kind), URL: u, Secret: secret, After: 1, Template: n.Template}
		switch nt.Kind {
		case "", "wecom", "dingtalk", "feishu", "slack", "webhook":
		default:
			return fmt.Errorf("%s: kind %q: want wecom, dingtalk, feishu, slack or webhook", what, n.Kind)
		}
		if n.After != nil {
			if nt.After, err = strconv.Atoi(n.After.Value); err != nil || nt.After < 1 {
				return lineError{n.After.Line, fmt.Sprintf("%s: after %q: want a number of runs, 1 or more", what, n.After.Value)}
			}
		}
		if n.Repeat != nil {
			if nt.Repeat, err = ParseTimeout(n.Repeat.Value); err != nil {
				return lineError{n.Repeat.Line, what + ": repeat: " + err.Error()}
			}
		}
		if n.TemplateFile != "" {
			b, err := ReadFileArg(what+": template_file", relPath(dir, n.TemplateFile))
			if err != nil {
				return err
			}
			nt.Template = string(b)
		}
		if nt.Template != "" {
			if _, err := template.New("message").Parse(nt.Template); err != nil {
				return fmt.Errorf("%s: template: %w", what, err)
			}
		}
		cfg.Notify = append(cfg.Notify, nt)
	}
	cfg.OnChange = fc.OnChange
	var err error
	if fc.ActionCooldown != nil {
		if cfg.ActionCooldown, err = ParseTimeout(fc.ActionCooldown.Value); err != nil {
			return lineError{fc.ActionCooldown.Line, "action_cooldown: " + err.Error()}
		}
	}
	if fc.ActionTimeout != nil {
		if cfg.ActionTimeout, err = ParseTimeout(fc.ActionTimeout.Value); err != nil {
			return lineError{fc.ActionTimeout.Line, "action_timeout: " + err.Error()}
		}
	}
	return nil
}

// compileExports reads prometheus: and targets: into cfg: metric names
// that are valid, not jsonprobe's own, and given once; a path given once.
func (fc *fileConfig) compileExports(cfg *Config) error {
	names, paths := map[string]int{}, map[string]int{}
	for _, e := range fc.Prometheus {
		line := firstLine(&e.Path, &e.Name, &e.Help)
		switch {
		case e.Path.Value == "":
			return lineError{line, "prometheus: an entry needs a path"}
		case !ValidMetricName(e.Name.Value):
			return lineError{line, fmt.Sprintf("prometheus: name %q: not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", e.Name.Value)}
		case strings.HasPrefix(e.Name.Value, "probe_") || strings.HasPrefix(e.Name.Value, "jsonprobe_"):
			return lineError{line, fmt.Sprintf("prometheus: name %q: probe_ and jsonprobe_ are jsonprobe's own metrics", e.Name.Value)}
		case strings.HasPrefix(e.Name.Value, "__"):
			return lineError{line, fmt.Sprintf("prometheus: name %q: names starting with __ are Prometheus's own", e.Name.Value)}
		}
		if l, dup := names[e.Name.Value]; dup {
			return lineError{line, fmt.Sprintf("prometheus: name %q: the entry at line %d has that name too", e.Name.Value, l)}
		}
		if l, dup := paths[strings.TrimPrefix(e.Path.Value, "$.")]; dup {
			return lineError{line, fmt.Sprintf("prometheus: path %q: the entry at line %d exports it already", e.Path.Value, l)}
		}
		ex, err := expr.Parse(e.Path.Value)
		if err != nil {
			return lineError{line, fmt.Sprintf("prometheus: path %q: %v", e.Path.Value, err)}
		}
		p, ok := ex.SubjectPath()
		if !ok || (p != e.Path.Value && "$."+p != e.Path.Value) {
			return lineError{line, fmt.Sprintf("prometheus: path %q: want a document path, not an expression", e.Path.Value)}
		}
		names[e.Name.Value], paths[p] = line, line
		cfg.Exports = append(cfg.Exports, Export{Path: p, Name: e.Name.Value, Help: e.Help.Value})
	}
	for _, t := range fc.Targets {
		if err := checkAllowedTarget(t); err != nil {
			return fmt.Errorf("targets: %q: %w", t, err)
		}
	}
	cfg.Targets = fc.Targets
	return nil
}

// compileSecrets reads the credentials and the Kuma push URL, from the
// environment or files, into cfg.
func (fc *fileConfig) compileSecrets(cfg *Config, dir string, getenv func(string) string) error {
	var err error
	cfg.SecretVars = append(cfg.SecretVars, fc.BearerTokenEnv, fc.BasicAuthEnv)
	if fc.Kuma != nil {
		cfg.SecretVars = append(cfg.SecretVars, fc.Kuma.URLEnv)
	}
	if cfg.BearerToken, err = secretOption("bearer_token", fc.BearerTokenEnv, relPath(dir, fc.BearerTokenFile), getenv); err != nil {
		return err
	}
	if cfg.BasicAuth, err = secretOption("basic_auth", fc.BasicAuthEnv, relPath(dir, fc.BasicAuthFile), getenv); err != nil {
		return err
	}
	if fc.Kuma == nil {
		return nil
	}
	if fc.Kuma.URLEnv != "" {
		cfg.Kuma.URL = getenv(fc.Kuma.URLEnv)
	}
	if fc.Kuma.WarningAs != "" {
		if cfg.Kuma.WarningAs, err = ParseWarningAs("kuma.warning_as", fc.Kuma.WarningAs); err != nil {
			return err
		}
	}
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
			return lineError{c.Name.Line, fmt.Sprintf("check %q: the check at line %d has that name too; names are unique", c.Name.Value, line)}
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
		return ch, lineError{firstLine(&c.Name, c.Critical, c.Warning, &c.UOM), fmt.Sprintf("check %q: needs a warning or a critical expression", ch.Name)}
	}
	for _, l := range []struct {
		src *yamlScalar
		dst **expr.Expr
	}{{c.Critical, &ch.Critical}, {c.Warning, &ch.Warning}} {
		if l.src == nil {
			continue
		}
		e, err := expr.Parse(l.src.Value)
		if err != nil {
			if ch.Name == "" {
				return ch, lineError{l.src.Line, err.Error()}
			}
			return ch, lineError{l.src.Line, fmt.Sprintf("check %q: %v", ch.Name, err)}
		}
		*l.dst = e
	}
	if ch.Name == "" {
		ch.Name = checkName(ch.Critical, ch.Warning)
	}
	if err := checkUOM(ch.UOM); err != nil {
		return ch, lineError{firstLine(&c.Name, c.Critical, c.Warning, &c.UOM), fmt.Sprintf("check %q: %v", ch.Name, err)}
	}
	return ch, nil
}

func (m fileMetric) compile() (Metric, error) {
	met := Metric{Path: m.Path.Value, Label: m.Label.Value, UOM: m.UOM.Value, Min: m.Min.Value, Max: m.Max.Value}
	if err := met.validate(m.Warning.Value, m.Critical.Value); err != nil {
		return met, lineError{firstLine(&m.Path, &m.Label, &m.UOM, &m.Warning, &m.Critical, &m.Min, &m.Max),
			fmt.Sprintf("metric %q: %v", met.Path, err)}
	}
	return met, nil
}

// firstLine is the line of the first of the scalars that was given.
func firstLine(scalars ...*yamlScalar) int {
	line := 0
	for _, s := range scalars {
		if s != nil && s.Line > 0 && (line == 0 || s.Line < line) {
			line = s.Line
		}
	}
	return line
}

func relPath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// secretOption reads a secret from an environment variable or a file; naming a
// variable that is not set, or an empty file, is an error rather than a
// request without credentials.
func secretOption(key, env, file string, getenv func(string) string) (string, error) {
	switch {
	case env != "" && file != "":
		return "", fmt.Errorf("%s_env and %s_file: give one of them", key, key)
	case env != "":
		v := getenv(env)
		if v == "" {
			return "", fmt.Errorf("%s_env: environment variable %s is not set", key, env)
		}
		return v, nil
	case file != "":
		return ReadSecretFile(key+"_file", file)
	}
	return "", nil
}

// ReadSecretFile reads a secret from a file, without the trailing newline
// that editors and echo add. An empty file is an error.
func ReadSecretFile(what, path string) (string, error) {
	b, err := ReadFileArg(what, path)
	if err != nil {
		return "", err
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%s %q: the file is empty", what, path)
	}
	return s, nil
}

// indentationError finds the line where the file's indentation goes wrong,
// for the parser errors that yaml.v3 reports at the line where the
// enclosing block began (often line 2): a line indented deeper than the
// line before it, when that line opens no block, or less deep than it, to
// a level no enclosing block has. ok is false when msg is not such an
// error, or no such line stands at or after the line yaml.v3 names (the
// parser read past anything before it, so a line found there is a misread
// of this simple reading, and the parser's message stands).
func indentationError(msg string, data []byte) (lineError, bool) {
	from, rest, _ := strings.Cut(strings.TrimPrefix(msg, "line "), ": ")
	parsedUpTo, err := strconv.Atoi(from)
	structural := false
	for _, m := range []string{"did not find expected key", "did not find expected '-' indicator",
		"mapping values are not allowed in this context", "did not find expected <document start>"} {
		structural = structural || rest == m
	}
	if err != nil || !structural {
		return lineError{}, false
	}
	st := indentReader{levels: []int{0}, scalarIndent: -1}
	for i, text := range strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n") {
		if le, bad := st.line(i+1, text); bad {
			return le, i+1 >= parsedUpTo
		}
	}
	return lineError{}, false
}

// indentReader follows the block structure of a YAML file line by line,
// as far as indentation shows it.
type indentReader struct {
	levels       []int // indents of the open blocks
	opens        bool  // the line before opens a block: deeper lines belong to it
	scalarIndent int   // inside a block scalar (| or >) of a key at this indent; -1 when not
	flow         int   // depth of [ and { still open
}

// line reads one line; bad is set, with the error, when its indentation
// fits no open block.
func (st *indentReader) line(n int, text string) (le lineError, bad bool) {
	body := strings.TrimLeft(text, " ")
	indent := len(text) - len(body)
	switch {
	case body == "" || body[0] == '#' || (st.scalarIndent >= 0 && indent > st.scalarIndent):
		return lineError{}, false
	case st.flow > 0:
		st.flow += flowDepth(body)
		return lineError{}, false
	}
	st.scalarIndent = -1
	top := st.levels[len(st.levels)-1]
	switch {
	case indent > top && st.opens:
		st.levels = append(st.levels, indent)
	case indent > top && !strings.Contains(body, ": ") && !strings.HasSuffix(body, ":") && !strings.HasPrefix(body, "- "):
		return lineError{}, false // a plain scalar that goes on over lines
	case indent > top:
		return badIndent(n, indent, st.levels), true
	default:
		open := st.levels
		for len(st.levels) > 1 && st.levels[len(st.levels)-1] > indent {
			st.levels = st.levels[:len(st.levels)-1]
		}
		if st.levels[len(st.levels)-1] != indent {
			return badIndent(n, indent, open), true
		}
	}
	item := strings.HasPrefix(body, "- ") || body == "-"
	if item {
		// A sequence item's keys stand where its content starts.
		body = strings.TrimLeft(body[1:], " ")
		st.levels = append(st.levels, len(text)-len(body))
	}
	value := body
	if j := strings.Index(body, ": "); j >= 0 {
		value = strings.TrimSpace(body[j+2:])
	} else if strings.HasSuffix(body, ":") {
		value = ""
	}
	if k := strings.Index(" "+value, " #"); k >= 0 {
		value = strings.TrimSpace(value[:max(k-1, 0)])
	}
	anchorOnly := (strings.HasPrefix(value, "&") || strings.HasPrefix(value, "!")) && !strings.Contains(value, " ")
	st.opens = value == "" || anchorOnly || (item && value == body && !strings.Contains(body, ":"))
	st.flow = flowDepth(value)
	if strings.HasPrefix(value, "|") || strings.HasPrefix(value, ">") {
		st.scalarIndent, st.opens = st.levels[len(st.levels)-1], false
	}
	return lineError{}, false
}

// flowDepth is how many [ and { s opens outside quotes, less those it
// closes.
func flowDepth(s string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		}
	}
	return max(depth, 0)
}

func badIndent(line, indent int, levels []int) lineError {
	want := make([]string, len(levels))
	for i, l := range levels {
		want[i] = strconv.Itoa(l)
	}
	spaces := "spaces"
	if indent == 1 {
		spaces = "space"
	}
	list := want[0]
	if n := len(want); n > 1 {
		list = strings.Join(want[:n-1], ", ") + " or " + want[n-1]
	}
	return lineError{line, fmt.Sprintf("indentation: %d %s here, where the blocks around it are indented %s", indent, spaces, list)}
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
