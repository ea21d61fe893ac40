package probe

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/jsonprobe/jsonprobe/probe/checksfile"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noEnv(string) string { return "" }

// TestLoadConfigInvalid maps each testdata/invalid-*.yaml to its exact
// error: one line that names the file, the line and what was wrong.
func TestLoadConfigInvalid(t *testing.T) {
	tests := map[string]string{
		"unknown-key":    `line 2: unknown key "timout" (did you mean timeout?)`,
		"expression":     `line 4: check "g": expression "goroutines >> 5000": unexpected ">" at column 13, expected a value`,
		"check-key":      `line 4: unknown key "critcal" (did you mean critical?)`,
		"timeout":        `line 2: timeout "soon": want seconds (10) or a duration (10s, 1m)`,
		"type":           `line 2: string "maybe" is not a boolean (true or false)`,
		"check-empty":    `line 3: check "g": needs a warning or a critical expression`,
		"tab":            `line 3: found character that cannot start any token`,
		"status":         `line 2: expect_status "200,6xx": "6xx" is not a status code, class (2xx) or range (200-299)`,
		"state":          `line 2: on_error: state "fatal": want ok, warning, critical or unknown`,
		"range":          `line 3: metric "memory.sys_mb": range "1-10": "1-10" is not a number`,
		"uom":            `line 3: check "m": unit "GiB": want one of s, ms, us, %, B, KB, MB, GB, TB, c`,
		"env-unset":      `bearer_token_env: environment variable JSONPROBE_TEST_UNSET_VARIABLE is not set`,
		"checks-mapping": `line 2: got a mapping, want a list`,
		"billion-laughs": `line 4: got a list, want a mapping`,
		"two-documents":  `line 2: a second YAML document; a checks file holds one`,
		"metric-no-path": `line 3: metric "": missing path`,
		"empty":          `the file is empty`,
		"tab-later":      `line 5: found a tab character that violates indentation`,
		"dedent-list":    `line 8: indentation: 2 spaces here, where a list's items ("- ") stand; a key goes where the blocks around it are indented, 0 or 4`,
		"tag":            `line 4: critical: YAML read "!goroutines" as a tag; quote a value that starts with !: critical: '!goroutines'`,
		"tag-negation":   `line 4: critical: YAML read "!" as a tag; quote a value that starts with !: critical: '! exists(goroutines)'`,
		"duplicate-key":  `line 3: key "url" is already given at line 1`,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid-"+name+".yaml")
			_, err := LoadConfig(path, noEnv)
			require.Error(t, err)
			assert.Equal(t, `config "`+path+`": `+want, err.Error())
		})
	}
}

func TestLoadConfigFileErrors(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "unreadable.yaml")
	require.NoError(t, os.WriteFile(unreadable, []byte("url: x\n"), 0o000))
	tests := []struct{ name, path, want string }{
		{"missing", filepath.Join(dir, "nope.yaml"), "no such file"},
		{"directory", dir, "is a directory, not a file"},
	}
	if os.Geteuid() != 0 { // root reads a mode-000 file
		tests = append(tests, struct{ name, path, want string }{"unreadable", unreadable, "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(tt.path, noEnv)
			require.Error(t, err)
			assert.Equal(t, `config "`+tt.path+`": `+tt.want, err.Error())
		})
	}
}

// TestExampleConfig loads checks.example.yaml, the documented example, so
// that it stays valid.
func TestExampleConfig(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "checks.example.yaml"), noEnv, IgnoreKeys("kuma"))
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:3000/api/monitor/health", cfg.Target)
	var names []string
	for _, c := range cfg.Checks {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"status", "goroutines", "memory", "latency"}, names)
	assert.Equal(t, "goroutines > 2000", cfg.Checks[1].Warning.String())
	assert.Equal(t, "goroutines > 5000", cfg.Checks[1].Critical.String())
	assert.Equal(t, "MB", cfg.Checks[2].UOM)
	assert.Len(t, cfg.Metrics, 2)
	assert.Equal(t, StatusSet{{200, 200}}, cfg.ExpectStatus)
	assert.Equal(t, Critical, cfg.OnError)
	assert.Equal(t, Unknown, cfg.OnMissing)
	assert.Equal(t, []Header{{"Accept", "application/json"}}, cfg.Headers)
}

func TestLoadConfigSecrets(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	require.NoError(t, os.WriteFile(token, []byte("s3cret-token\n"), 0o600))
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	env := func(k string) string { return map[string]string{"TOK": "from-env", "BA": "user:pw"}[k] }
	tests := []struct {
		name, yaml   string
		token, basic string
		wantErr      string
	}{
		{"token from env", "bearer_token_env: TOK\n", "from-env", "", ""},
		{"token from relative file", "bearer_token_file: token\n", "s3cret-token", "", ""},
		{"basic from env", "basic_auth_env: BA\n", "", "user:pw", ""},
		{"empty secret file", "bearer_token_file: empty\n", "", "", `bearer_token_file "` + empty + `": the file is empty`},
		{"both env and file", "bearer_token_env: TOK\nbearer_token_file: token\n", "", "", "bearer_token_env and bearer_token_file: give one of them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig([]byte("url: http://x\n"+tt.yaml), dir, env)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.token, cfg.BearerToken)
			assert.Equal(t, tt.basic, cfg.BasicAuth)
		})
	}
}

// section is a front-end's part of a checks file, for the tests: it keeps
// the values of its keys, in file order.
type section struct {
	keys []string
	got  []string
}

func (s *section) Keys() []string { return s.keys }

func (s *section) Decode(key, value *yaml.Node, _ checksfile.File) error {
	s.got = append(s.got, key.Value+"="+value.Value)
	return nil
}

// TestLoadConfigSections: a front-end's keys go to its section, after the
// engine's, in file order; ignored keys to no one; any other key is
// unknown, with the closest of all the keys suggested.
func TestLoadConfigSections(t *testing.T) {
	src := "url: http://x\npush: p1\nchecks:\n  - critical: x > 1\nalert: a1\nignored: i1\n"
	s := &section{keys: []string{"alert", "push"}}
	cfg, err := ParseConfig([]byte(src), ".", noEnv, WithSections(s), IgnoreKeys("ignored"))
	require.NoError(t, err)
	assert.Equal(t, "http://x", cfg.Target)
	assert.Equal(t, []string{"push=p1", "alert=a1"}, s.got)

	_, err = ParseConfig([]byte(src), ".", noEnv, WithSections(s))
	assert.EqualError(t, err, `line 6: unknown key "ignored"`)
	_, err = ParseConfig([]byte("url: http://x\nalret: a1\n"), ".", noEnv, WithSections(s))
	assert.EqualError(t, err, `line 2: unknown key "alret" (did you mean alert?)`)
	_, err = ParseConfig([]byte(src), ".", noEnv, IgnoreKeys("ignored"))
	assert.EqualError(t, err, `line 2: unknown key "push"`)
}

// FuzzParseConfig: no checks file, however broken, panics the loader; an
// error is one line.
func FuzzParseConfig(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "invalid-*.yaml"))
	seeds = append(seeds, filepath.Join("..", "checks.example.yaml"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("url: http://x\nchecks:\n  - { name: a, critical: ! x > 1 }\nalert: a1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &section{keys: []string{"alert"}}
		_, err := ParseConfig(data, t.TempDir(), noEnv, WithSections(s), IgnoreKeys("kuma"))
		if err != nil {
			assert.NotContains(t, err.Error(), "\n", "one line")
		}
	})
}
