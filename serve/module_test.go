package serve

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/notify"
	"github.com/jsonprobe/jsonprobe/probe"
)

func TestModuleName(t *testing.T) {
	for file, want := range map[string]string{
		"/etc/jsonprobe/health.yaml": "health", "oneapi.yml": "oneapi", "x.json": "x.json", "a.b.yaml": "a.b",
	} {
		assert.Equal(t, want, moduleName(file), file)
	}
}

// TestAllows: where a module's credentials may go.
func TestAllows(t *testing.T) {
	withCreds := func(target string, targets ...string) *module {
		cfg := probe.NewConfig()
		cfg.Target, cfg.BearerToken = target, "t0ken"
		u, err := url.Parse(target)
		require.NoError(t, err)
		return &module{cfg: cfg, origin: origin(u), targets: targets}
	}
	open := &module{cfg: probe.NewConfig()}
	withBody := withCreds("https://a/")
	withBody.cfg.BearerToken, withBody.cfg.Body = "", []byte(`{"client_secret":"s"}`)
	tests := []struct {
		name   string
		m      *module
		target string
		want   bool
	}{
		{"no credentials: anywhere", open, "http://elsewhere:8080/x", true},
		{"own origin, another path", withCreds("https://api.example.com/health"), "https://API.example.com:443/other", true},
		{"own host, other port", withCreds("https://api.example.com/health"), "https://api.example.com:8443/health", false},
		{"own host, other scheme", withCreds("https://api.example.com/health"), "http://api.example.com/health", false},
		{"prefix", withCreds("https://a/", "https://b.example.com/api/"), "https://b.example.com/api/v1/health", true},
		{"prefix without slash", withCreds("https://a/", "https://b.example.com/api"), "https://b.example.com/api/v1", true},
		{"prefix is a segment", withCreds("https://a/", "https://b.example.com/api"), "https://b.example.com/apix", false},
		{"prefix, other host", withCreds("https://a/", "https://b.example.com/"), "https://b.example.com.evil.org/", false},
		{"host pattern", withCreds("https://a/", "*.example.com"), "https://c.example.com/health", true},
		{"host pattern, not a subdomain", withCreds("https://a/", "*.example.com"), "https://example.com.evil.org/", false},
		{"host:port pattern", withCreds("https://a/", "10.0.0.5:8080"), "https://10.0.0.5:8080/health", true},
		{"host:port pattern, other port", withCreds("https://a/", "10.0.0.5:8080"), "https://10.0.0.5:9090/health", false},
		{"userinfo does not fool it", withCreds("https://a/", "*.example.com"), "https://x.example.com@evil.org/", false},
		{"host pattern keeps https", withCreds("https://a/", "*.example.com"), "http://c.example.com/health", false},
		{"host pattern of an http module", withCreds("http://a/", "10.0.0.5:8080"), "http://10.0.0.5:8080/health", true},
		{"prefix, dot segments", withCreds("https://a/", "https://b.example.com/api"), "https://b.example.com/api/../admin", false},
		{"prefix, encoded dot segments", withCreds("https://a/", "https://b.example.com/api"), "https://b.example.com/api/%2e%2e/admin", false},
		{"prefix, encoded slash", withCreds("https://a/", "https://b.example.com/api"), "https://b.example.com/api%2f..%2fadmin", false},
		{"a request body is a credential", withBody, "https://elsewhere/", false},
		{"a request body, its own origin", withBody, "https://a/health", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.target)
			require.NoError(t, err)
			assert.Equal(t, tt.want, tt.m.allows(u))
		})
	}
}

// TestLoadModuleWithoutNotify: the exporter sends no notification and
// runs no action, so a checks file shared with the cron probe loads
// without the variables and the state file its notify:, on_change: and
// on_fire: need.
func TestLoadModuleWithoutNotify(t *testing.T) {
	file := filepath.Join(t.TempDir(), "health.yaml")
	require.NoError(t, os.WriteFile(file, []byte("url: http://127.0.0.1:1/health\nnotify:\n  - url_env: NOT_SET_HERE_42\non_change: echo\nchecks:\n  - critical: goroutines > 5000\n    on_fire: echo\n"), 0o600))
	noEnv := func(string) string { return "" }
	m, err := loadModule(file, Options{Getenv: noEnv, IgnoreKeys: append(notify.Keys(), "kuma"), IgnoreCheckKeys: notify.CheckKeys()}, &probe.MemoryStore{})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1/health", m.cfg.Target)
	_, err = probe.LoadConfig(file, noEnv)
	assert.ErrorContains(t, err, `unknown key "notify"`, "read, unless the exporter leaves it")
}
