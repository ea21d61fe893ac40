package sink

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Kuma is the Uptime Kuma push of a probe: the checks file's kuma:
// section (a checksfile.Section) and the command line's --kuma-url,
// --kuma-warning-as and JSONPROBE_KUMA_URL.
type Kuma struct {
	URL       string // the push URL, a secret (its token); "" for no push
	WarningAs string // "up" or "down": what WARNING pushes ("" means up)
	// SecretVars is the variable the URL comes from, which a command the
	// probe starts does not get.
	SecretVars []string
}

// Keys are the checks file's keys of the section.
func (*Kuma) Keys() []string { return []string{"kuma"} }

// fileKuma is the kuma: section.
type fileKuma struct {
	URLEnv    string `yaml:"url_env"`
	WarningAs string `yaml:"warning_as"`
}

// Decode reads kuma: {url_env, warning_as}. A url_env naming a variable
// that is not set means no push.
func (k *Kuma) Decode(_, value *yaml.Node, f checksfile.File) error {
	var fk fileKuma
	if err := checksfile.Decode(value, &fk); err != nil {
		return err
	}
	if fk.URLEnv != "" {
		k.SecretVars = append(k.SecretVars, fk.URLEnv)
		k.URL = f.Getenv(fk.URLEnv)
	}
	if fk.WarningAs != "" {
		return k.SetWarningAs("kuma.warning_as", fk.WarningAs)
	}
	return nil
}

// SetWarningAs sets what WARNING pushes, up or down; what names the option
// in the error.
func (k *Kuma) SetWarningAs(what, s string) error {
	if s != "up" && s != "down" {
		return fmt.Errorf("%s %q: want up or down", what, s)
	}
	k.WarningAs = s
	return nil
}

// Secrets are the push URL's secrets (its token), which the probe's
// output never shows either.
func (k *Kuma) Secrets() []string {
	var s redact.Secrets
	s.URL(k.URL)
	return s.List()
}

var _ checksfile.Section = (*Kuma)(nil)
