package health

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleDocument is the document as operators write it in their scripts
// and alerts.
const sampleDocument = `{"status":"ok","goroutines":1234,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45}}`

// documentShape is the sample's shape, field by field, written apart from
// Document so that a renamed or missing field of the package shows here.
type documentShape struct {
	Status     *string `json:"status"`
	Goroutines *int    `json:"goroutines"`
	Memory     *struct {
		AllocMB      *uint64 `json:"alloc_mb"`
		TotalAllocMB *uint64 `json:"total_alloc_mb"`
		SysMB        *uint64 `json:"sys_mb"`
		NumGC        *uint32 `json:"num_gc"`
	} `json:"memory"`
}

// decodeShape decodes body strictly into the sample's shape: no other field,
// none missing.
func decodeShape(t *testing.T, body []byte) documentShape {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var g documentShape
	require.NoError(t, dec.Decode(&g), "%s", body)
	require.NotNil(t, g.Status, "status")
	require.NotNil(t, g.Goroutines, "goroutines")
	require.NotNil(t, g.Memory, "memory")
	require.NotNil(t, g.Memory.AllocMB, "memory.alloc_mb")
	require.NotNil(t, g.Memory.TotalAllocMB, "memory.total_alloc_mb")
	require.NotNil(t, g.Memory.SysMB, "memory.sys_mb")
	require.NotNil(t, g.Memory.NumGC, "memory.num_gc")
	return g
}

// get sends a request with the method to h, from remoteAddr, with the
// headers given as "Key: value".
func get(t *testing.T, h http.Handler, method, target, remoteAddr string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	if remoteAddr != "" {
		r.RemoteAddr = remoteAddr
	}
	for _, kv := range headers {
		k, v, ok := strings.Cut(kv, ": ")
		require.True(t, ok, kv)
		r.Header.Add(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestSampleIsTheDocument(t *testing.T) {
	decodeShape(t, []byte(sampleDocument))
	var doc Document
	require.NoError(t, json.Unmarshal([]byte(sampleDocument), &doc))
	want := Document{Status: "ok", Goroutines: 1234, Memory: Memory{AllocMB: 256, TotalAllocMB: 1024, SysMB: 512, NumGC: 45}}
	assert.Equal(t, want, doc)
	b, err := json.Marshal(want)
	require.NoError(t, err)
	assert.Equal(t, sampleDocument, string(b), "the fields in the sample's order")
}

func TestHandlerServesTheLiveDocument(t *testing.T) {
	w := get(t, Handler(), http.MethodGet, Path, "")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	g := decodeShape(t, w.Body.Bytes())
	assert.Equal(t, "ok", *g.Status)
	assert.Greater(t, *g.Goroutines, 0)
	assert.Greater(t, *g.Memory.SysMB, uint64(0), "sys_mb is live, not zero")
	assert.LessOrEqual(t, *g.Memory.AllocMB, *g.Memory.TotalAllocMB)
}

func TestHandlerMethods(t *testing.T) {
	tests := []struct {
		method   string
		wantCode int
		wantBody bool
	}{
		{http.MethodGet, http.StatusOK, true},
		{http.MethodHead, http.StatusOK, false},
		{http.MethodPost, http.StatusMethodNotAllowed, true},
		{http.MethodPut, http.StatusMethodNotAllowed, true},
		{http.MethodDelete, http.StatusMethodNotAllowed, true},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			w := get(t, Handler(), tt.method, Path, "")
			assert.Equal(t, tt.wantCode, w.Code)
			assert.Equal(t, tt.wantBody, w.Body.Len() > 0, w.Body.String())
			if tt.wantCode == http.StatusMethodNotAllowed {
				assert.Equal(t, "GET, HEAD", w.Header().Get("Allow"))
				return
			}
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			assert.NotEmpty(t, w.Header().Get("Content-Length"), "HEAD says the length GET sends")
		})
	}
}

func TestWithStatus(t *testing.T) {
	tests := []struct {
		name       string
		status     func(context.Context) error
		wantCode   int
		wantStatus string
	}{
		{"well", func(context.Context) error { return nil }, http.StatusOK, "ok"},
		{"failing", func(context.Context) error { return errors.New("database: connection refused") }, http.StatusServiceUnavailable, "database: connection refused"},
		{"failing without a text", func(context.Context) error { return errors.New("") }, http.StatusServiceUnavailable, "error"},
		{"failing with the text ok", func(context.Context) error { return errors.New("ok") }, http.StatusServiceUnavailable, "error"},
		{"the request's context", func(ctx context.Context) error {
			if ctx.Value(ctxKey{}) != "request" {
				return errors.New("not the request's context")
			}
			return nil
		}, http.StatusOK, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequestWithContext(context.WithValue(context.Background(), ctxKey{}, "request"), http.MethodGet, Path, nil)
			w := httptest.NewRecorder()
			Handler(WithStatus(tt.status)).ServeHTTP(w, r)
			assert.Equal(t, tt.wantCode, w.Code)
			assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
			g := decodeShape(t, w.Body.Bytes())
			assert.Equal(t, tt.wantStatus, *g.Status)
			assert.Greater(t, *g.Goroutines, 0, "the figures are there when the status fails")
		})
	}
}

type ctxKey struct{}
