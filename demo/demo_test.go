package demo

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServe fetches the sample document from a started endpoint and checks
// its shape: the guide's health document, with live values.
func TestServe(t *testing.T) {
	srv, err := Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+/api/monitor/health$`, srv.URL)

	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	assert.Equal(t, "ok", doc["status"])
	assert.Greater(t, doc["goroutines"], 0.0)
	mem, ok := doc["memory"].(map[string]any)
	require.True(t, ok, "memory is an object: %s", body)
	for _, key := range []string{"alloc_mb", "total_alloc_mb", "sys_mb", "num_gc"} {
		assert.Contains(t, mem, key)
	}
	assert.Greater(t, mem["sys_mb"], 0.0, "sys_mb is live, not zero")

	resp2, err := http.Get(srv.URL + "/other")
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp2.StatusCode)
}
