package notify

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/checksfile"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Settings are a probe's notifications and its action: the checks file's
// notify:, on_change:, action_cooldown: and action_timeout: (a
// checksfile.Section), and the command line's --notify, --on-change and
// JSONPROBE_NOTIFY_URL.
type Settings struct {
	Receivers []Receiver
	// OnChange is a command run (sh -c) when the state changes, at most
	// once per ActionCooldown, stopped after ActionTimeout.
	OnChange       string
	ActionCooldown time.Duration
	ActionTimeout  time.Duration
	// SecretVars are the variables the receivers come from, which the
	// action does not get.
	SecretVars []string
}

// DefaultActionTimeout stops an action that hangs, so that it does not
// hold the next runs.
const DefaultActionTimeout = 30 * time.Second

// keys are the checks file's keys of the section.
var keys = []string{"notify", "on_change", "action_cooldown", "action_timeout"}

// Keys are the checks file's keys of the section.
func (*Settings) Keys() []string { return keys }

// Keys returns the section's keys, for a front-end that leaves them
// unread (probe.IgnoreKeys).
func Keys() []string { return slices.Clone(keys) }

// fileReceiver is one entry of notify:. The URL and the secret come from
// the environment or a file, never inline: the URL holds the robot's key.
type fileReceiver struct {
	Kind         string             `yaml:"kind"`
	URLEnv       string             `yaml:"url_env"`
	URLFile      string             `yaml:"url_file"`
	SecretEnv    string             `yaml:"secret_env"`
	SecretFile   string             `yaml:"secret_file"`
	After        *checksfile.Scalar `yaml:"after"`
	Repeat       *checksfile.Scalar `yaml:"repeat"`
	Template     string             `yaml:"template"`
	TemplateFile string             `yaml:"template_file"`
}

// Decode reads one key of the section.
func (s *Settings) Decode(key, value *yaml.Node, f checksfile.File) error {
	switch key.Value {
	case "notify":
		var entries []fileReceiver
		if err := checksfile.Decode(value, &entries); err != nil {
			return err
		}
		for i, e := range entries {
			if err := s.addEntry(fmt.Sprintf("notify %d", i+1), e, f); err != nil {
				return err
			}
		}
		return nil
	case "on_change":
		return value.Decode(&s.OnChange)
	}
	var d checksfile.Scalar
	if err := value.Decode(&d); err != nil {
		return err
	}
	dst := &s.ActionCooldown
	if key.Value == "action_timeout" {
		dst = &s.ActionTimeout
	}
	t, err := probe.ParseTimeout(d.Value)
	if err != nil {
		return checksfile.Errorf(d.Line, "%s: %v", key.Value, err)
	}
	*dst = t
	return nil
}

// addEntry reads one entry of notify:, named what in errors.
func (s *Settings) addEntry(what string, e fileReceiver, f checksfile.File) error {
	s.SecretVars = append(s.SecretVars, e.URLEnv, e.SecretEnv)
	u, err := probe.ReadSecret(f, what+": url", e.URLEnv, e.URLFile)
	if err != nil {
		return err
	}
	if u == "" {
		return fmt.Errorf("%s: give url_env or url_file (the URL holds the robot's key, so never inline)", what)
	}
	if j := slices.IndexFunc(s.Receivers, func(o Receiver) bool { return o.URL == u }); j >= 0 {
		// One receiver keeps one memory: given twice, each run would
		// count twice towards after:.
		return fmt.Errorf("%s: the same URL as notify %d", what, j+1)
	}
	r := Receiver{URL: u, After: 1, Template: e.Template}
	if r.Secret, err = probe.ReadSecret(f, what+": secret", e.SecretEnv, e.SecretFile); err != nil {
		return err
	}
	if err := r.setKind(what, e.Kind); err != nil {
		return err
	}
	if err := e.times(what, &r); err != nil {
		return err
	}
	if e.TemplateFile != "" {
		b, err := probe.ReadFileArg(what+": template_file", f.Path(e.TemplateFile))
		if err != nil {
			return err
		}
		r.Template = string(b)
	}
	if r.Template != "" {
		if _, err := template.New("message").Parse(r.Template); err != nil {
			return fmt.Errorf("%s: template: %w", what, err)
		}
	}
	s.Receivers = append(s.Receivers, r)
	return nil
}

// times reads after: and repeat: into r.
func (e fileReceiver) times(what string, r *Receiver) error {
	var err error
	if e.After != nil {
		if r.After, err = strconv.Atoi(e.After.Value); err != nil || r.After < 1 {
			return checksfile.Errorf(e.After.Line, "%s: after %q: want a number of runs, 1 or more", what, e.After.Value)
		}
	}
	if e.Repeat != nil {
		if r.Repeat, err = probe.ParseTimeout(e.Repeat.Value); err != nil {
			return checksfile.Errorf(e.Repeat.Line, "%s: repeat: %v", what, err)
		}
	}
	return nil
}

// setKind sets r's kind, as written, or from its URL's host when none is.
// The URL must be http(s).
func (r *Receiver) setKind(what, kind string) error {
	if !strings.HasPrefix(r.URL, "http://") && !strings.HasPrefix(r.URL, "https://") {
		// The URL holds the robot's key: name the receiver only.
		return fmt.Errorf("%s: the URL is not http(s)", what)
	}
	if kind == "" {
		r.Kind = KindOf(r.URL)
		return nil
	}
	k, err := ParseKind(kind)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	r.Kind = k
	return nil
}

// AddURL adds the receiver of --notify [KIND=]URL, the n-th given; a URL
// given twice is one receiver.
func (s *Settings) AddURL(n int, spec string) error {
	what := fmt.Sprintf("--notify number %d", n)
	kind, u := "", spec
	if k, rest, ok := strings.Cut(spec, "="); ok && !strings.Contains(k, "/") {
		kind, u = k, rest
	}
	if slices.ContainsFunc(s.Receivers, func(r Receiver) bool { return r.URL == u }) {
		return nil
	}
	r := Receiver{URL: u, After: 1}
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		// The URL holds the robot's key: name the option only.
		return fmt.Errorf("%s: want [KIND=]http(s)://…", what)
	}
	if err := r.setKind(what, kind); err != nil {
		return err
	}
	s.Receivers = append(s.Receivers, r)
	return nil
}

// Active reports whether there is anything to send or run.
func (s *Settings) Active() bool { return len(s.Receivers) > 0 || s.OnChange != "" }

// Check validates what needs the rest of the configuration: the memory of
// the last state is kept in the state file.
func (s *Settings) Check(statePath string) error {
	if s.Active() && statePath == "" {
		return errors.New("notify and on_change remember the last state in the state file: give --state FILE or state: in the checks file")
	}
	return nil
}

// Secrets are the receivers' secrets: their URLs' (a key in the query or,
// for Feishu and Slack, the last path segment) and signing secrets.
func (s *Settings) Secrets() []string {
	var out redact.Secrets
	for _, r := range s.Receivers {
		out.Add(r.Secret, pathToken(r.URL))
		out.URL(r.URL)
	}
	return out.List()
}

var _ checksfile.Section = (*Settings)(nil)
