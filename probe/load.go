package probe

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"
)

// fileConfig is the engine's part of the checks file. Decoding is strict:
// a key that is neither here nor a front-end's section is an error.
type fileConfig struct {
	URL             string              `yaml:"url"`
	Timeout         *checksfile.Scalar  `yaml:"timeout"`
	Method          string              `yaml:"method"`
	Body            *string             `yaml:"body"`
	BodyFile        string              `yaml:"body_file"`
	Headers         map[string]string   `yaml:"headers"`
	BearerTokenEnv  string              `yaml:"bearer_token_env"`
	BearerTokenFile string              `yaml:"bearer_token_file"`
	BasicAuthEnv    string              `yaml:"basic_auth_env"`
	BasicAuthFile   string              `yaml:"basic_auth_file"`
	Insecure        bool                `yaml:"insecure"`
	CAFile          string              `yaml:"ca_file"`
	ClientCert      string              `yaml:"client_cert"`
	ClientKey       string              `yaml:"client_key"`
	ExpectStatus    *yamlStatusList     `yaml:"expect_status"`
	FollowRedirects *bool               `yaml:"follow_redirects"`
	MaxBody         *checksfile.Scalar  `yaml:"max_body"`
	OnError         *checksfile.Scalar  `yaml:"on_error"`
	OnMissing       *checksfile.Scalar  `yaml:"on_missing"`
	Checks          []fileCheck         `yaml:"checks"`
	Metrics         []fileMetric        `yaml:"metrics"`
	State           string              `yaml:"state"`
	RedactParams    []checksfile.Scalar `yaml:"redact_params"`
	Input           string              `yaml:"input"`
}

// LoadOption changes how a checks file is read.
type LoadOption func(*loader)

// loader is how one checks file is read: the sections of the front-ends
// that read it, and the keys they leave alone.
type loader struct {
	sections []checksfile.Section
	ignored  []string
	// ignoredInChecks are the keys of a check entry left unread.
	ignoredInChecks []string
}

// WithSections gives the keys of each section to it: the front-end that
// owns them decodes and validates them, after the engine's keys.
func WithSections(s ...checksfile.Section) LoadOption {
	return func(l *loader) { l.sections = append(l.sections, s...) }
}

// IgnoreKeys accepts keys that a front-end owns, unread, at the top of the
// file: a front-end that does not use them need not have the variables and
// files they name.
func IgnoreKeys(keys ...string) LoadOption {
	return func(l *loader) { l.ignored = append(l.ignored, keys...) }
}

// IgnoreCheckKeys is IgnoreKeys for the keys of a check entry.
func IgnoreCheckKeys(keys ...string) LoadOption {
	return func(l *loader) { l.ignoredInChecks = append(l.ignoredInChecks, keys...) }
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

// ParseConfig validates the checks file data, once parsed: the engine's
// keys, then each front-end section's (WithSections) in file order; dir is
// the folder relative paths in it are read from.
func ParseConfig(data []byte, dir string, getenv func(string) string, opts ...LoadOption) (*Config, error) {
	var l loader
	for _, o := range opts {
		o(&l)
	}
	root, err := checksfile.Parse(data)
	if err != nil {
		return nil, err
	}
	engine, owned, err := l.split(root)
	if err != nil {
		return nil, err
	}
	var fc fileConfig
	if err := checksfile.Decode(engine, &fc); err != nil {
		return nil, err
	}
	inChecks, err := l.checkSections(fc.Checks)
	if err != nil {
		return nil, err
	}
	file := checksfile.File{Dir: dir, Getenv: getenv}
	cfg, err := fc.compile(file)
	if err != nil {
		return nil, err
	}
	for _, o := range inChecks {
		if err := o.section.DecodeCheck(cfg.Checks[o.check].Name, o.key, o.value, file); err != nil {
			return nil, err
		}
	}
	for _, o := range owned {
		if err := o.section.Decode(o.key, o.value, file); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// owned is a key of the checks file and the section it belongs to.
type owned struct {
	key, value *yaml.Node
	section    checksfile.Section
}

// split parts the top-level mapping into the engine's keys and the
// sections' (ignored keys in neither); a key of no one is an error.
func (l *loader) split(root *yaml.Node) (*yaml.Node, []owned, error) {
	engineKeys := checksfile.Keys(reflect.TypeFor[fileConfig]())
	all := append(append([]string(nil), engineKeys...), l.ignored...)
	owners := map[string]checksfile.Section{}
	for _, s := range l.sections {
		for _, k := range s.Keys() {
			owners[k] = s
			all = append(all, k)
		}
	}
	engine := &yaml.Node{Kind: yaml.MappingNode, Line: root.Line, Column: root.Column}
	var out []owned
	err := checksfile.Pairs(root, func(k, v *yaml.Node) error {
		switch s, ok := owners[k.Value]; {
		case ok:
			out = append(out, owned{k, v, s})
		case contains(engineKeys, k.Value):
			engine.Content = append(engine.Content, k, v)
		case !contains(l.ignored, k.Value):
			return checksfile.UnknownKey(k, all)
		}
		return nil
	})
	return engine, out, err
}

// ownedInCheck is a key of a check entry (the check-th) and the
// front-end section it belongs to.
type ownedInCheck struct {
	check      int
	key, value *yaml.Node
	section    checksfile.CheckSection
}

// checkSections finds the front-end section that owns each key of a check
// entry that is not the engine's; ignored keys go to no one, and any other
// key is unknown.
func (l *loader) checkSections(entries []fileCheck) ([]ownedInCheck, error) {
	owners := map[string]checksfile.CheckSection{}
	known := append(append([]string(nil), checkKeys...), l.ignoredInChecks...)
	for _, s := range l.sections {
		if cs, ok := s.(checksfile.CheckSection); ok {
			for _, k := range cs.CheckKeys() {
				owners[k] = cs
				known = append(known, k)
			}
		}
	}
	var out []ownedInCheck
	for i, e := range entries {
		for _, p := range e.others {
			cs, ok := owners[p.key.Value]
			switch {
			case ok:
				out = append(out, ownedInCheck{i, p.key, p.value, cs})
			case !contains(l.ignoredInChecks, p.key.Value):
				return nil, checksfile.UnknownKey(p.key, known)
			}
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// compile turns the decoded file into a validated Config.
func (fc *fileConfig) compile(f checksfile.File) (*Config, error) {
	cfg := NewConfig()
	cfg.Target = fc.URL
	if fc.URL != "-" && !strings.Contains(fc.URL, "://") {
		// A file path, relative to the checks file like every other path,
		// so that cron running it from / reads the same file.
		cfg.Target = f.Path(fc.URL)
		if err := missingScheme(fc.URL, cfg.Target); err != nil {
			return nil, fmt.Errorf("url: %w", err)
		}
	}
	cfg.Method = fc.Method
	cfg.Insecure = fc.Insecure
	cfg.CAFile = f.Path(fc.CAFile)
	cfg.ClientCert = f.Path(fc.ClientCert)
	cfg.ClientKey = f.Path(fc.ClientKey)
	cfg.NoFollow = fc.FollowRedirects != nil && !*fc.FollowRedirects
	cfg.StatePath = f.Path(fc.State)
	if fc.ExpectStatus != nil {
		cfg.ExpectStatus = fc.ExpectStatus.Set
	}
	if err := fc.compileScalars(cfg); err != nil {
		return nil, err
	}
	cfg.Input = fc.Input
	if err := fc.compileRequest(cfg, f); err != nil {
		return nil, err
	}
	if err := fc.compileChecks(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// compileScalars parses the timeout, the body cap, the states and the
// secret parameters' names.
func (fc *fileConfig) compileScalars(cfg *Config) error {
	var err error
	if fc.Timeout != nil {
		if cfg.Timeout, err = ParseTimeout(fc.Timeout.Value); err != nil {
			return checksfile.Errorf(fc.Timeout.Line, "%v", err)
		}
	}
	if fc.MaxBody != nil {
		if cfg.MaxBody, err = ParseSize(fc.MaxBody.Value); err != nil {
			return checksfile.Errorf(fc.MaxBody.Line, "max_body: %v", err)
		}
	}
	for _, st := range []struct {
		src *checksfile.Scalar
		dst *State
		key string
	}{{fc.OnError, &cfg.OnError, "on_error"}, {fc.OnMissing, &cfg.OnMissing, "on_missing"}} {
		if st.src == nil {
			continue
		}
		if *st.dst, err = ParseState(st.src.Value); err != nil {
			return checksfile.Errorf(st.src.Line, "%s: %v", st.key, err)
		}
	}
	for _, n := range fc.RedactParams {
		if err := cfg.AddRedactParam(n.Value); err != nil {
			return checksfile.Errorf(n.Line, "redact_params: %v", err)
		}
	}
	return nil
}

// compileRequest reads the headers, the request body and the credentials,
// from the environment or files.
func (fc *fileConfig) compileRequest(cfg *Config, f checksfile.File) error {
	names := make([]string, 0, len(fc.Headers))
	for k := range fc.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		cfg.Headers = append(cfg.Headers, Header{Name: k, Value: fc.Headers[k]})
	}
	var err error
	switch {
	case fc.Body != nil && fc.BodyFile != "":
		return errors.New("body and body_file: give one of them")
	case fc.Body != nil:
		cfg.Body = []byte(*fc.Body)
	case fc.BodyFile != "":
		if cfg.Body, err = ReadFileArg("body_file", f.Path(fc.BodyFile)); err != nil {
			return err
		}
	}
	cfg.SecretVars = append(cfg.SecretVars, fc.BearerTokenEnv, fc.BasicAuthEnv)
	if cfg.BearerToken, err = ReadSecret(f, "bearer_token", fc.BearerTokenEnv, fc.BearerTokenFile); err != nil {
		return err
	}
	cfg.BasicAuth, err = ReadSecret(f, "basic_auth", fc.BasicAuthEnv, fc.BasicAuthFile)
	return err
}

// ReadSecret reads the secret of key (bearer_token, a front-end's url) from
// the environment variable env or the file (relative to the checks file)
// that the checks file names, or neither; naming a variable that is not
// set, or an empty file, is an error rather than a request without
// credentials.
func ReadSecret(f checksfile.File, key, env, file string) (string, error) {
	switch {
	case env != "" && file != "":
		return "", fmt.Errorf("%s_env and %s_file: give one of them", key, key)
	case env != "":
		v := f.Getenv(env)
		if v == "" {
			return "", fmt.Errorf("%s_env: environment variable %s is not set", key, env)
		}
		return v, nil
	case file != "":
		return ReadSecretFile(key+"_file", f.Path(file))
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
