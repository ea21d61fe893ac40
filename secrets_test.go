package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	bearerSecret = "tok-9f8e7d6c5b4a"
	basicSecret  = "pw-Zq81xLmN"
	urlSecret    = "urlpass-77aa"
	headerSecret = "apikey-31415926"
)

// echoServer answers with a JSON document that repeats the request's
// credentials back, the worst case for leaking them into output.
func echoServer(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc := map[string]any{
			"status":        "degraded " + r.Header.Get("Authorization"),
			"authorization": r.Header.Get("Authorization"),
			"apikey":        r.Header.Get("X-Api-Key"),
			"goroutines":    6000,
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSecretsNeverPrinted runs the probe in every output mode and through
// failures with a bearer token, basic auth, a URL password and a secret
// header, and greps stdout and stderr for each secret.
func TestSecretsNeverPrinted(t *testing.T) {
	tokenFile := writeFile(t, "token", bearerSecret+"\n")
	basicFile := writeFile(t, "basic", "user:"+basicSecret+"\n")
	ok := echoServer(t, 200)
	failing := echoServer(t, 500)
	withPassword := func(raw string) string {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		u.User = url.UserPassword("user", urlSecret)
		return u.String()
	}
	checks := []string{
		"-c", `status != "ok"`, "-c", `authorization contains "Bearer"`, "-w", "apikey == 1",
		"-H", "X-Api-Key: " + headerSecret,
	}
	tests := []struct {
		name string
		args []string
	}{
		{"bearer nagios verbose", append([]string{ok.URL, "--bearer-token-file", tokenFile, "-v"}, checks...)},
		{"check named by the token", append([]string{ok.URL, "--bearer-token-file", tokenFile, "-v", "-o", "json", "-c", "`" + bearerSecret + "` > 1"}, checks...)},
		{"bearer json", append([]string{ok.URL, "--bearer-token-file", tokenFile, "-o", "json"}, checks...)},
		{"basic auth", append([]string{ok.URL, "--basic-auth-file", basicFile, "-v"}, checks...)},
		{"url password", append([]string{withPassword(ok.URL), "-v"}, checks...)},
		{"url password json", append([]string{withPassword(ok.URL), "-o", "json"}, checks...)},
		{"http 500", append([]string{withPassword(failing.URL), "--bearer-token-file", tokenFile, "-v"}, checks...)},
		{"connection refused", append([]string{withPassword(closedPort(t)), "--bearer-token-file", tokenFile, "-v"}, checks...)},
		{"connection refused json", append([]string{withPassword(closedPort(t)), "--basic-auth-file", basicFile, "-o", "json"}, checks...)},
		{"check-config", append([]string{withPassword(ok.URL), "--check-config"}, checks...)},
		{"bad header", []string{ok.URL, "-H", "X-Api-Key " + headerSecret}},
		{"bad expression", []string{withPassword(ok.URL), "-c", bearerSecret + " >> 1", "--bearer-token-file", tokenFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runArgs(t, tt.args...)
			require.NotEmpty(t, stdout, "exit %d", code)
			for _, secret := range []string{bearerSecret, basicSecret, urlSecret, headerSecret,
				base64.StdEncoding.EncodeToString([]byte("user:" + basicSecret)),
				base64.StdEncoding.EncodeToString([]byte("user:" + urlSecret))} {
				assert.NotContains(t, stdout, secret)
				assert.NotContains(t, stderr, secret)
			}
			assert.False(t, strings.Contains(stdout, "goroutine 1 ["), "stack trace in output")
		})
	}
}

// TestSecretsEscapedInJSON: a server that escapes "/" as "\/" (PHP) or
// writes characters as \uXXXX still gets the token redacted, in every
// output.
func TestSecretsEscapedInJSON(t *testing.T) {
	const token = "ab/cd+ef=="
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"req":{"auth":"Bearer ab\/cd+ef=="},"u":"\u0061b\/cd+ef==","status":"ok"}`))
	}))
	t.Cleanup(srv.Close)
	t.Setenv("JSONPROBE_BEARER_TOKEN", token)
	for _, args := range [][]string{
		{srv.URL, "-c", "req == null", "-v"},
		{srv.URL, "-c", "req == null", "-o", "json"},
		{srv.URL, "-c", `u == "x"`, "-v"},
		{srv.URL, "-c", `u == "x"`, "-o", "json"},
	} {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			_, stdout, stderr := runArgs(t, args...)
			require.NotEmpty(t, stdout)
			for _, form := range []string{token, `ab\/cd+ef==`, `\u0061b\/cd`} {
				assert.NotContains(t, stdout+stderr, form)
			}
			assert.Contains(t, stdout, "***")
		})
	}
}
