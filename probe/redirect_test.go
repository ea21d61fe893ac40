package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRedirectDropsCredentialHeaders follows a redirect to another host
// (127.0.0.1 to localhost) and checks that credential headers stay behind,
// while a same-host redirect keeps them.
func TestRedirectDropsCredentialHeaders(t *testing.T) {
	var got http.Header
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(target.Close)
	otherHost := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherHost+"/health", http.StatusFound)
	}))
	t.Cleanup(redirector.Close)

	tests := []struct {
		name, url  string
		wantAPIKey string
	}{
		{"same host keeps them", target.URL, "k-123"},
		{"other host drops them", redirector.URL, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewConfig()
			cfg.Target = tt.url
			cfg.Headers = []Header{{"X-Api-Key", "k-123"}, {"X-Trace", "t-1"}}
			client, err := NewHTTPClient(cfg)
			require.NoError(t, err)
			_, err = Fetch(context.Background(), client, cfg, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.wantAPIKey, got.Get("X-Api-Key"))
			assert.Equal(t, "t-1", got.Get("X-Trace"), "other headers are kept")
		})
	}
}

func TestRequestBodyContentType(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Content-Type")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	tests := []struct {
		name    string
		body    []byte
		headers []Header
		want    string
	}{
		{"no body, no content type", nil, nil, ""},
		{"body defaults to JSON", []byte(`{"q":1}`), nil, "application/json"},
		{"user's content type wins", []byte(`q=1`), []Header{{"Content-Type", "application/x-www-form-urlencoded"}}, "application/x-www-form-urlencoded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewConfig()
			cfg.Target, cfg.Method, cfg.Body, cfg.Headers = srv.URL, "POST", tt.body, tt.headers
			_, err := Fetch(context.Background(), nil, cfg, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
