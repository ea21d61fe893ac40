package notify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// TestLoadNotify: notify:, on_change: and action_cooldown: from a checks
// file; the receivers' secrets and the variables they come from are kept
// from the action; every bad entry is named.
func TestLoadNotify(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"DT_URL": "https://oapi.dingtalk.com/robot/send?access_token=t0k3n-value", "DT_SECRET": "SECabc123"}[k]
	}
	load := func(src string) (*Settings, error) {
		var s Settings
		_, err := probe.ParseConfig([]byte(src), ".", env, probe.WithSections(&s))
		return &s, err
	}
	s, err := load("state: s.json\nnotify:\n  - { kind: dingtalk, url_env: DT_URL, secret_env: DT_SECRET, after: 2, repeat: 1h }\non_change: echo hi\naction_cooldown: 30m\nchecks:\n  - critical: x > 1\n")
	require.NoError(t, err)
	require.Len(t, s.Receivers, 1)
	assert.Equal(t, Receiver{Kind: "dingtalk", URL: env("DT_URL"), Secret: "SECabc123", After: 2, Repeat: time.Hour}, s.Receivers[0])
	assert.Equal(t, 30*time.Minute, s.ActionCooldown)
	assert.Equal(t, "echo hi", s.OnChange)
	assert.Contains(t, s.Secrets(), "SECabc123")
	assert.Contains(t, s.Secrets(), "t0k3n-value")
	assert.Subset(t, s.SecretVars, []string{"DT_URL", "DT_SECRET"}, "the action gets neither")
	for src, want := range map[string]string{
		"state: s.json\nnotify:\n  - { kind: wecom }\n":                                        "notify 1: give url_env or url_file",
		"state: s.json\nnotify:\n  - { kind: teams, url_env: DT_URL }\n":                       `notify 1: kind "teams": want wecom`,
		"state: s.json\nnotify:\n  - { url_env: DT_URL, after: 0 }\n":                          `notify 1: after "0": want a number of runs`,
		"state: s.json\nnotify:\n  - { url_env: DT_URL, template: '{{.X' }\n":                  "notify 1: template:",
		"state: s.json\nnotify:\n  - { url_env: NOT_SET }\n":                                   "NOT_SET is not set",
		"state: s.json\nnotify:\n  - { url_env: DT_URL }\n  - { url_env: DT_URL, after: 3 }\n": "notify 2: the same URL as notify 1",
	} {
		_, err := load(src + "checks:\n  - critical: x > 1\n")
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}
