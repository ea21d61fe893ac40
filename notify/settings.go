package notify

import (
	"cmp"
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
	// Fires are the checks' own actions (on_fire:), in check order.
	Fires []Fire
	// Evidence is what is saved before an action runs, or nil.
	Evidence *Evidence
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

// keys are the checks file's keys of the section, and checkKeys its keys
// in a check entry.
var (
	keys      = []string{"notify", "on_change", "action_cooldown", "action_timeout", "evidence"}
	checkKeys = []string{"on_fire", "on_fire_cooldown", "on_fire_timeout", "on_fire_max"}
)

// Keys are the checks file's keys of the section.
func (*Settings) Keys() []string { return keys }

// CheckKeys are the section's keys in a check entry: a check's own action.
func (*Settings) CheckKeys() []string { return checkKeys }

// Keys returns the section's keys at the top of a checks file, and
// CheckKeys its keys in a check entry, for a front-end that leaves them
// unread (probe.IgnoreKeys, probe.IgnoreCheckKeys).
func Keys() []string { return slices.Clone(keys) }

// CheckKeys: see Keys.
func CheckKeys() []string { return slices.Clone(checkKeys) }

// fileReceiver is one entry of notify:. The URL and the secret come from
// the environment or a file, never inline: the URL holds the robot's key.
type fileReceiver struct {
	Kind         string              `yaml:"kind"`
	URLEnv       string              `yaml:"url_env"`
	URLFile      string              `yaml:"url_file"`
	SecretEnv    string              `yaml:"secret_env"`
	SecretFile   string              `yaml:"secret_file"`
	After        *checksfile.Scalar  `yaml:"after"`
	Repeat       *checksfile.Scalar  `yaml:"repeat"`
	States       []checksfile.Scalar `yaml:"states"`
	Template     string              `yaml:"template"`
	TemplateFile string              `yaml:"template_file"`
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
	case "evidence":
		return s.decodeEvidence(value, f)
	}
	var d checksfile.Scalar
	if err := value.Decode(&d); err != nil {
		return err
	}
	if d.Line == 0 {
		d.Line = key.Line // an empty value: the key's line
	}
	var err error
	if key.Value == "action_cooldown" {
		if s.ActionCooldown, err = parseCooldown(d.Value); err != nil {
			return checksfile.Errorf(d.Line, "action_cooldown %v", err)
		}
		return nil
	}
	if s.ActionTimeout, err = probe.ParseTimeout(d.Value); err != nil {
		return checksfile.Errorf(d.Line, "%s: %v", key.Value, err)
	}
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
	if err := e.states(what, &r); err != nil {
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

// states reads states: into r: the problem states the receiver is told
// of (and the recovery from them).
func (e fileReceiver) states(what string, r *Receiver) error {
	for _, sc := range e.States {
		st, err := probe.ParseState(sc.Value)
		if err != nil || st == probe.OK {
			return checksfile.Errorf(sc.Line, "%s: states: %q: want warning, critical or unknown", what, sc.Value)
		}
		if !slices.Contains(r.States, st) {
			r.States = append(r.States, st)
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
func (s *Settings) Active() bool {
	return len(s.Receivers) > 0 || s.OnChange != "" || len(s.Fires) > 0 || s.Evidence != nil
}

// Check validates what needs the rest of the configuration, the command
// line's checks included: the memory of the last state, and of the
// actions' runs, is kept in the state file; a check's action is known by
// its check's name, which no other check or metric may have.
func (s *Settings) Check(cfg *probe.Config) error {
	if err := s.checkFires(cfg); err != nil {
		return err
	}
	if e := s.Evidence; e != nil && cfg.Target != "" {
		if _, err := e.evidenceURL(cfg.Target); err != nil {
			return err
		}
	}
	switch {
	case cfg.StatePath != "":
	case len(s.Receivers) > 0 || s.OnChange != "":
		return errors.New("notify and on_change remember the last state in the state file: give --state FILE or state: in the checks file")
	case len(s.Fires) > 0:
		return checksfile.Errorf(s.Fires[0].line, "check %q: on_fire remembers its runs in the state file: give --state FILE or state: in the checks file", s.Fires[0].Check)
	case s.Evidence != nil:
		return checksfile.Errorf(s.Evidence.line, "evidence: it remembers the last state in the state file: give --state FILE or state: in the checks file")
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

// Describe is what --check-config lists of the section: each receiver
// (its kind, where, when, and the states it is told of), on_change and
// each check's action, with its limits. The commands are as written: the
// caller redacts them.
func (s *Settings) Describe() []string {
	var out []string
	for i, r := range s.Receivers {
		states := "every state"
		if len(r.States) > 0 {
			var names []string
			for _, st := range r.States {
				names = append(names, st.String())
			}
			states = strings.Join(names, ", ") + " only"
		}
		after := "after 1 run"
		if r.After > 1 {
			after = fmt.Sprintf("after %d runs", r.After)
		}
		line := fmt.Sprintf("notify %d: %s %s, %s, %s", i+1, r.Kind, r.shown(), after, states)
		if r.Repeat > 0 {
			line += ", repeat " + span(r.Repeat)
		}
		out = append(out, line)
	}
	if s.OnChange != "" {
		out = append(out, fmt.Sprintf("on_change: %s (cooldown %s, timeout %s)", s.OnChange, cooldown(s.ActionCooldown), span(cmp.Or(s.ActionTimeout, DefaultActionTimeout))))
	}
	for _, f := range s.Fires {
		out = append(out, fmt.Sprintf("check %q: on_fire: %s (cooldown %s, timeout %s, at most %d in 24h)", f.Check, f.Cmd, cooldown(f.Cooldown), span(f.Timeout), f.Max))
	}
	if e := s.Evidence; e != nil {
		u := e.URL
		if u == "" {
			u = DefaultEvidencePath + " on the target's origin"
		}
		out = append(out, fmt.Sprintf("evidence: %s saved in %s, the newest %d kept", u, e.Dir, e.Keep))
	}
	return out
}

// cooldown says an action's cooldown: 30m, or none.
func cooldown(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return span(d)
}
