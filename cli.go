// The command line's options, and turning them into a probe.Config.
package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/notify"
	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/probe/expr"
	"github.com/jsonprobe/jsonprobe/serve/targets"
	"github.com/jsonprobe/jsonprobe/sink"
)

// onUsageError keeps urfave/cli from printing "Incorrect Usage" and help:
// a bad flag is an UNKNOWN status line like any other usage error, which
// names the closest flag when one was misspelt.
func onUsageError(c *cli.Context, err error, _ bool) error {
	const undefined = "flag provided but not defined: -"
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, undefined); ok {
		flags := c.App.Flags
		if c.Command != nil && len(c.Command.Flags) > 0 {
			flags = c.Command.Flags
		}
		var names []string
		for _, f := range flags {
			names = append(names, f.Names()...)
		}
		if s := expr.Closest(strings.TrimLeft(name, "-"), names); s != "" {
			dashes := "--"
			if len(s) == 1 {
				dashes = "-"
			}
			return usageError{fmt.Errorf("%w (did you mean %s%s?)", err, dashes, s)}
		}
	}
	return usageError{err}
}

// usageError is a bad flag, config or expression: UNKNOWN, exit 3.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// flagSet holds the parsed values of the options. urfave/cli's own lookups
// by name (c.String, c.IsSet) run a regular expression over every flag's
// names on each call; reading values bound with Destination costs nothing,
// which matters in a plugin started thousands of times a day.
type flagSet struct {
	strs   map[string]*string
	slices map[string]*cli.StringSlice
	bools  map[string]*bool
	list   []cli.Flag
	sinks  bool // the one-shot probe's sinks are among them
	// refused are the options parsed only to be refused with a reason
	// (watch's sinks), by their long names; hidden from help and docs.
	refused []string
	// Choices are the values an option takes, by its name, where they
	// are a list: the man page and the completions offer them.
	Choices map[string][]string
}

// str adds a string option; shown is the default the help shows.
func (fs *flagSet) str(name, usage, shown string, aliases ...string) {
	dst := new(string)
	fs.strs[name] = dst
	fs.list = append(fs.list, stringOpt{&cli.StringFlag{Name: name, Aliases: aliases, Usage: usage, Destination: dst, DefaultText: shown}, names(name, aliases)})
}

func (fs *flagSet) slice(name, usage string, aliases ...string) {
	dst := cli.NewStringSlice()
	fs.slices[name] = dst
	fs.list = append(fs.list, sliceOpt{&cli.StringSliceFlag{Name: name, Aliases: aliases, Usage: usage, Destination: dst}, names(name, aliases)})
}

func (fs *flagSet) boolean(name, usage string, aliases ...string) {
	dst := new(bool)
	fs.bools[name] = dst
	// A switch is off unless given: no "(default: false)" in the help.
	fs.list = append(fs.list, boolOpt{&cli.BoolFlag{Name: name, Aliases: aliases, Usage: usage, Destination: dst, DisableDefaultText: true}, names(name, aliases)})
}

// urfave/cli computes a flag's names with a regular expression on every
// Names call, and before each action it calls Names for every pair of flags
// (runFlagActions → IsSet → lookupFlag): 0.6 ms of a 5 ms probe. These
// wrappers answer Names from a slice made once; everything else is the
// embedded flag's.
type (
	stringOpt struct {
		*cli.StringFlag
		names []string
	}
	sliceOpt struct {
		*cli.StringSliceFlag
		names []string
	}
	boolOpt struct {
		*cli.BoolFlag
		names []string
	}
)

func names(name string, aliases []string) []string { return append([]string{name}, aliases...) }

// String, StringSlice and Bool read a parsed option by its long name.
func (fs *flagSet) String(name string) string { return *fs.strs[name] }

func (fs *flagSet) StringSlice(name string) []string { return fs.slices[name].Value() }

func (fs *flagSet) Bool(name string) bool { return *fs.bools[name] }

// IsSet reports whether the option was given a value: the string options
// have no defaults of their own (a checks file's value must survive an
// option that was not given), so an empty value means not given.
func (fs *flagSet) IsSet(name string) bool { return *fs.strs[name] != "" }

func newFlagSet() *flagSet {
	return &flagSet{strs: map[string]*string{}, slices: map[string]*cli.StringSlice{}, bools: map[string]*bool{}, Choices: map[string][]string{}}
}

// probeFlags are the root command's options: the probe's, --help and
// --version.
func probeFlags() *flagSet {
	fs := optionFlags(true)
	fs.helpFlags()
	return fs
}

// optionFlags makes the probe's options, in the order the help lists them
// (watch has them too). sinks says whether the one-shot probe's sinks
// (--notify, --on-change, --prom-file, --kuma-*) are options: watch sends
// nothing and reads a checks file without notify:, so there they are
// hidden, parsed only to be refused with a reason.
func optionFlags(sinks bool) *flagSet {
	fs := newFlagSet()
	fs.sinks = sinks
	formats := output.FormatNames()
	fs.str("url", "target: http(s) URL, file path, or - for stdin", "", "u")
	fs.slice("warning", "WARNING when `EXPR` is true (repeatable)", "w")
	fs.slice("critical", "CRITICAL when `EXPR` is true (repeatable)", "c")
	fs.slice("metric", "perfdata `METRIC`: PATH[=LABEL][;WARN;CRIT[;MIN;MAX]]; ranges also alert (repeatable)", "m")
	fs.str("config", "YAML checks `FILE`; flags add to / override it", "", "f")
	fs.str("output", "output `FORMAT`: "+strings.Join(formats, ", "), formats[0], "o")
	fs.Choices["output"] = formats
	fs.sinkFlags(sinks)
	fs.str("timeout", "whole-probe deadline: `DUR` (10 or 10s)", "10s", "t")
	fs.slice("header", "request header `'K: V'` (repeatable)", "H")
	fs.str("bearer-token-file", "read the bearer token from `FILE` (or env JSONPROBE_BEARER_TOKEN)", "")
	fs.str("basic-auth-file", "read user:password from `FILE` (or env JSONPROBE_BASIC_AUTH)", "")
	fs.str("method", "HTTP `METHOD`", "GET", "X")
	fs.str("data", "request body `TEXT`", "")
	fs.str("data-file", "request body from `FILE`", "")
	fs.boolean("insecure", "do not verify the TLS certificate", "k")
	fs.str("ca-file", "trust the CAs in PEM `FILE` instead of the system's", "")
	fs.str("client-cert", "TLS client certificate PEM `FILE`", "")
	fs.str("client-key", "TLS client key PEM `FILE`", "")
	fs.str("expect-status", "accepted HTTP status `LIST`, e.g. 200,204 or 2xx", "2xx")
	fs.boolean("no-follow", "do not follow redirects (without it, up to 10 are followed)")
	fs.str("max-body", "response size cap `SIZE`", "16MiB")
	fs.str("on-error", "`STATE` when the target cannot be read or is not JSON", "critical")
	fs.str("on-missing", "`STATE` when a path is missing or has the wrong type", "unknown")
	fs.Choices["on-error"] = probe.StateNames()
	fs.Choices["on-missing"] = probe.StateNames()
	fs.slice("redact-param", "hide the values of query parameter `NAME` in all output, beyond token, key, code, sid, … (repeatable)")
	fs.str("state", "keep in state `FILE` the checks' values for the window functions (growth(p, 1h)) and what notify, on_change and on_fire did", "")
	fs.boolean("quiet-ok", "print no text when the result is OK (for cron mail); -o json still writes its line", "q")
	fs.boolean("check-config", "validate flags and config, print a summary, no network; exit 0 or 3")
	fs.boolean("verbose", "explain every check with its resolved values", "v")
	return fs
}

// sinkFlags adds the one-shot probe's sinks; without shown, hidden and
// refused.
func (fs *flagSet) sinkFlags(shown bool) {
	from := len(fs.list)
	fs.slice("notify", "send a message to `[KIND=]URL` when the state changes (KIND: "+notify.Kinds()+"; env JSONPROBE_NOTIFY_URL when none is given); needs --state (repeatable)")
	fs.str("on-change", "on a state change, start `CMD` (sh -c), with JSONPROBE_STATE, _PREVIOUS_STATE, _SUMMARY, _TARGET; needs --state", "")
	fs.str("prom-file", "also write the result for node_exporter's textfile collector to `FILE` (atomically)", "")
	fs.str("kuma-url", "Uptime Kuma push `URL` (env JSONPROBE_KUMA_URL); pushes with any output", "")
	fs.str("kuma-warning-as", "what WARNING pushes to Kuma: `WHAT`, up or down", "up")
	if shown {
		fs.Choices["kuma-warning-as"] = []string{"up", "down"}
		return
	}
	for _, f := range fs.list[from:] {
		fs.refused = append(fs.refused, f.Names()[0])
		_, hidden := fields(f)
		*hidden = true
	}
}

// reword gives the option name the usage it has in a command that reads
// it its own way (watch's -o, -q, -v).
func (fs *flagSet) reword(name, usage string) {
	for _, f := range fs.list {
		if f.Names()[0] == name {
			u, _ := fields(f)
			*u = usage
		}
	}
}

// fields are the usage and the hidden switch of an option that str, slice
// or boolean made.
func fields(f cli.Flag) (usage *string, hidden *bool) {
	switch f := f.(type) {
	case stringOpt:
		return &f.Usage, &f.Hidden
	case sliceOpt:
		return &f.Usage, &f.Hidden
	case boolOpt:
		return &f.Usage, &f.Hidden
	}
	panic(fmt.Sprintf("option %q is not a flagSet's", f.Names()[0]))
}

// helpFlags are the root's --help and --version as flags of its own (the
// app hides urfave/cli's, whose -v would be --verbose's): its defaults are
// package globals, which nothing here changes. urfave/cli still answers a
// set "help" with the help; --version is the probe action's to answer.
func (fs *flagSet) helpFlags() {
	fs.boolean("help", "show help", "h")
	fs.boolean("version", "print the version")
}

// frontEnds are what the one-shot probe does besides its output, from the
// checks file's sections and the command line: the notifications and the
// action, the Kuma push, the metric names, and the exporter's targets
// (validated here, used by jsonprobe serve).
type frontEnds struct {
	notify  notify.Settings
	kuma    sink.Kuma
	exports output.Exports
	targets targets.List
}

// loadOptions read the front-ends' sections of a checks file; without the
// sinks (watch), the notifications and the push are left unread.
func (fe *frontEnds) loadOptions(sinks bool) []probe.LoadOption {
	if sinks {
		return []probe.LoadOption{probe.WithSections(&fe.notify, &fe.kuma, &fe.exports, &fe.targets)}
	}
	return []probe.LoadOption{
		probe.WithSections(&fe.exports, &fe.targets),
		probe.IgnoreKeys(append(notify.Keys(), fe.kuma.Keys()...)...),
		probe.IgnoreCheckKeys(notify.CheckKeys()...),
	}
}

// config builds the probe's Config, the checks file if any and then the
// parsed flags and positional args, and compiles it (which reads the TLS
// files; no network), with the front-ends' settings beside it. getenv and
// stdin are the process's, passed in.
func (fs *flagSet) config(args []string, getenv func(string) string, stdin io.Reader) (*probe.Probe, *frontEnds, error) {
	cfg := probe.NewConfig()
	fe := &frontEnds{}
	if file := fs.String("config"); file != "" {
		var err error
		if cfg, err = probe.LoadConfig(file, getenv, fe.loadOptions(fs.sinks)...); err != nil {
			return nil, nil, usageError{err}
		}
	}
	if err := fs.applyFlags(args, getenv, cfg, fe); err != nil {
		// The error may quote an expression or path that holds a secret.
		return nil, nil, usageError{errors.New(cfg.Redactor().String(err.Error()))}
	}
	cfg.Reads = append(cfg.Reads, fe.exports.Paths()...)
	p, err := probe.Compile(cfg, probe.WithStdin(stdin), probe.WithSecrets(append(fe.kuma.Secrets(), fe.notify.Secrets()...)...))
	if err == nil {
		err = fe.notify.Check(cfg)
	}
	if err != nil {
		return nil, nil, usageError{err}
	}
	return p, fe, nil
}

// applyFlags adds the command line to cfg: flags given override the file,
// repeatable ones add to it.
func (f *flagSet) applyFlags(args []string, getenv func(string) string, cfg *probe.Config, fe *frontEnds) error {
	switch {
	case len(args) > 1:
		return fmt.Errorf("one TARGET expected, got %d: %s", len(args), strings.Join(args, " "))
	case len(args) == 1 && f.IsSet("url"):
		return errors.New("give the target once: as TARGET or with -u, not both")
	case len(args) == 1:
		cfg.Target = args[0]
	case f.IsSet("url"):
		cfg.Target = f.String("url")
	}
	if err := f.applySecrets(getenv, cfg, fe); err != nil {
		return err
	}
	if err := parseIfSet(f, "timeout", probe.ParseTimeout, &cfg.Timeout); err != nil {
		return err
	}
	for _, name := range f.StringSlice("redact-param") {
		if err := cfg.AddRedactParam(name); err != nil {
			return fmt.Errorf("--redact-param %w", err)
		}
	}
	if f.IsSet("state") {
		cfg.StatePath = f.String("state")
	}
	for _, level := range []string{"critical", "warning"} {
		for _, src := range f.StringSlice(level) {
			if err := cfg.AddCheck(level, src); err != nil {
				return fmt.Errorf("-%c: %w", level[0], err)
			}
		}
	}
	for _, spec := range f.StringSlice("metric") {
		m, err := probe.ParseMetric(spec)
		if err != nil {
			return err
		}
		cfg.Metrics = append(cfg.Metrics, m)
	}
	for i, h := range f.StringSlice("header") {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t") {
			// The value may be a credential: name only the header's position.
			return fmt.Errorf("-H: header number %d is not of the form 'Name: value'", i+1)
		}
		cfg.Headers = append(cfg.Headers, probe.Header{Name: name, Value: strings.TrimSpace(value)})
	}
	if err := applyRequest(f, cfg); err != nil {
		return err
	}
	if f.sinks {
		if err := applyNotify(f, getenv, &fe.notify); err != nil {
			return err
		}
	}
	return applyStates(f, cfg)
}

// applyNotify adds --notify [KIND=]URL (and JSONPROBE_NOTIFY_URL) and
// --on-change to s.
func applyNotify(f *flagSet, getenv func(string) string, s *notify.Settings) error {
	s.SecretVars = append(s.SecretVars, "JSONPROBE_NOTIFY_URL")
	urls := f.StringSlice("notify")
	if u := getenv("JSONPROBE_NOTIFY_URL"); u != "" && len(urls) == 0 && len(s.Receivers) == 0 {
		// The environment's receiver, when none is given otherwise.
		urls = []string{u}
	}
	for i, spec := range urls {
		if err := s.AddURL(i+1, spec); err != nil {
			return err
		}
	}
	if f.IsSet("on-change") {
		s.OnChange = f.String("on-change")
	}
	return nil
}

// applySecrets reads credentials from files and the environment, never argv.
func (f *flagSet) applySecrets(getenv func(string) string, cfg *probe.Config, fe *frontEnds) error {
	cfg.SecretVars = append(cfg.SecretVars, "JSONPROBE_BEARER_TOKEN", "JSONPROBE_BASIC_AUTH")
	for _, s := range []struct {
		flag, env string
		dst       *string
	}{
		{"bearer-token-file", "JSONPROBE_BEARER_TOKEN", &cfg.BearerToken},
		{"basic-auth-file", "JSONPROBE_BASIC_AUTH", &cfg.BasicAuth},
	} {
		if f := f.String(s.flag); f != "" {
			v, err := probe.ReadSecretFile("--"+s.flag, f)
			if err != nil {
				return err
			}
			*s.dst = v
		} else if v := getenv(s.env); v != "" {
			*s.dst = v
		}
	}
	if !f.sinks {
		return nil
	}
	fe.kuma.SecretVars = append(fe.kuma.SecretVars, "JSONPROBE_KUMA_URL")
	if u := f.String("kuma-url"); u != "" {
		fe.kuma.URL = u
	} else if u := getenv("JSONPROBE_KUMA_URL"); u != "" {
		fe.kuma.URL = u
	}
	if w := f.String("kuma-warning-as"); w != "" {
		return fe.kuma.SetWarningAs("--kuma-warning-as", w)
	}
	return nil
}

// applyRequest sets the request and TLS options.
func applyRequest(f *flagSet, cfg *probe.Config) error {
	if f.IsSet("method") {
		cfg.Method = strings.ToUpper(f.String("method"))
	}
	switch {
	case f.IsSet("data") && f.IsSet("data-file"):
		return errors.New("--data and --data-file: give one of them")
	case f.IsSet("data"):
		cfg.Body = []byte(f.String("data"))
	case f.IsSet("data-file"):
		b, err := probe.ReadFileArg("--data-file", f.String("data-file"))
		if err != nil {
			return err
		}
		cfg.Body = b
	}
	if f.Bool("insecure") {
		cfg.Insecure = true
	}
	for _, o := range []struct {
		flag string
		dst  *string
	}{{"ca-file", &cfg.CAFile}, {"client-cert", &cfg.ClientCert}, {"client-key", &cfg.ClientKey}} {
		if f.IsSet(o.flag) {
			*o.dst = f.String(o.flag)
		}
	}
	if err := parseIfSet(f, "expect-status", probe.ParseStatusList, &cfg.ExpectStatus); err != nil {
		return err
	}
	if f.Bool("no-follow") {
		cfg.NoFollow = true
	}
	if err := parseIfSet(f, "max-body", probe.ParseSize, &cfg.MaxBody); err != nil {
		return fmt.Errorf("--max-body: %w", err)
	}
	return nil
}

// applyStates sets --on-error and --on-missing.
func applyStates(f *flagSet, cfg *probe.Config) error {
	if err := parseIfSet(f, "on-error", probe.ParseState, &cfg.OnError); err != nil {
		return fmt.Errorf("--on-error: %w", err)
	}
	if err := parseIfSet(f, "on-missing", probe.ParseState, &cfg.OnMissing); err != nil {
		return fmt.Errorf("--on-missing: %w", err)
	}
	return nil
}

// parseIfSet parses the option name into *dst when it was given.
func parseIfSet[T any](f *flagSet, name string, parse func(string) (T, error), dst *T) error {
	if !f.IsSet(name) {
		return nil
	}
	v, err := parse(f.String(name))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// permute moves positional arguments after the flags, so that the target
// may stand anywhere (jsonprobe URL -w …), as plugins allow; the flag
// package stops at the first positional argument otherwise. Arguments after
// "--" stay positional, and a subcommand among cmds named first leaves them
// all alone. A flag that needs a value and has none is an error here,
// before it could take "--" as one.
func permute(args []string, flags []cli.Flag, cmds []*cli.Command) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	takesValue := map[string]bool{}
	for _, f := range flags {
		d, ok := f.(cli.DocGenerationFlag)
		for _, n := range f.Names() {
			takesValue[n] = ok && d.TakesValue()
		}
	}
	var opts, pos []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			pos = append(pos, rest[i+1:]...)
			i = len(rest)
		case len(pos) == 0 && len(opts) == 0 && slices.ContainsFunc(cmds, func(c *cli.Command) bool { return c.HasName(a) }):
			return args, nil
		case a == "-h" || a == "--help" || a == "-help":
			return []string{args[0], "--help"}, nil
		case len(a) > 1 && a[0] == '-' && a != "-":
			opts = append(opts, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") || !takesValue[name] {
				continue
			}
			if i+1 >= len(rest) {
				return nil, usagef("flag needs an argument: %s", a)
			}
			opts = append(opts, rest[i+1])
			i++
		default:
			pos = append(pos, a)
		}
	}
	out := append([]string{args[0]}, opts...)
	if len(pos) > 0 {
		out = append(out, "--")
		out = append(out, pos...)
	}
	return out, nil
}

func (f stringOpt) Names() []string { return f.names }
func (f sliceOpt) Names() []string  { return f.names }
func (f boolOpt) Names() []string   { return f.names }
