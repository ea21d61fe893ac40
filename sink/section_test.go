package sink

import (
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// TestKumaSecrets: the push URL's token and credentials are its secrets,
// which the probe hides in its output too.
func TestKumaSecrets(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, url string
		want      []string
	}{
		{"user name only", "https://kt-1@kuma.example/api/push/AbC123", []string{"kt-1", b64("kt-1:"), "AbC123"}},
		{"push token", "https://kuma.example/api/push/AbC123?status=up&msg=OK&ping=", []string{"AbC123"}},
		{"push token, fetch's case", "https://kuma.example/api/push/push-tok-2?status=up", []string{"push-tok-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := Kuma{URL: tt.url}
			assert.ElementsMatch(t, tt.want, k.Secrets())
		})
	}
}

// TestKumaSection: kuma: {url_env, warning_as} from a checks file, the
// variable named the action's to skip; an unset variable is no push, and
// a bad warning_as names the key.
func TestKumaSection(t *testing.T) {
	env := func(k string) string { return map[string]string{"PUSH": "https://kuma.example/api/push/t0k"}[k] }
	load := func(src string) (*Kuma, error) {
		var k Kuma
		_, err := probe.ParseConfig([]byte(src), ".", env, probe.WithSections(&k))
		return &k, err
	}
	k, err := load("url: http://x\nkuma: { url_env: PUSH, warning_as: down }\n")
	require.NoError(t, err)
	assert.Equal(t, Kuma{URL: "https://kuma.example/api/push/t0k", WarningAs: "down", SecretVars: []string{"PUSH"}}, *k)
	k, err = load("url: http://x\nkuma: { url_env: NOT_SET }\n")
	require.NoError(t, err)
	assert.Empty(t, k.URL)
	_, err = load("url: http://x\nkuma: { url_env: PUSH, warning_as: sideways }\n")
	assert.EqualError(t, err, `kuma.warning_as "sideways": want up or down`)
	_, err = load("url: http://x\nkuma: { url_envs: PUSH }\n")
	assert.EqualError(t, err, `line 2: unknown key "url_envs" (did you mean url_env?)`)
}

// TestExampleConfigKuma: checks.example.yaml's kuma: section, the
// documented example, stays valid: no push without the variable, WARNING
// pushed as up.
func TestExampleConfigKuma(t *testing.T) {
	var k Kuma
	_, err := probe.LoadConfig(filepath.Join("..", "checks.example.yaml"), func(string) string { return "" }, probe.WithSections(&k))
	require.NoError(t, err)
	assert.Equal(t, "up", k.WarningAs)
	assert.Empty(t, k.URL)
}
