package kumatest

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestContract pins the fake to Kuma's push contract, so that the tests
// that use it prove what a real Kuma would store.
func TestContract(t *testing.T) {
	r := Start("tok")
	t.Cleanup(r.Close)
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantBody   string // exact JSON, or a prefix for HTML
		wantBeat   *Beat
	}{
		{"up", "/api/push/tok?status=up&msg=fine&ping=12.5", 200, `{"ok":true}`, &Beat{Up: true, Msg: "fine"}},
		{"only lowercase up is UP", "/api/push/tok?status=UP&msg=x&ping=1", 200, `{"ok":true}`, &Beat{Up: false, Msg: "x"}},
		{"down", "/api/push/tok?status=down&msg=bad&ping=1", 200, `{"ok":true}`, &Beat{Up: false, Msg: "bad"}},
		{"msg defaults to OK", "/api/push/tok?status=up&msg=&ping=1", 200, `{"ok":true}`, &Beat{Up: true, Msg: "OK"}},
		{"duplicate status and msg", "/api/push/tok?status=up&msg=OK&ping=&status=up&msg=hi", 200, `{"ok":true}`, &Beat{Up: false, Msg: "[object Object]"}},
		{"ping 0 is stored empty", "/api/push/tok?status=up&msg=a&ping=0", 200, `{"ok":true}`, &Beat{Up: true, Msg: "a"}},
		{"bad ping", "/api/push/tok?status=up&msg=a&ping=abc", 404, `{"msg":"Invalid ping value","ok":false}`, nil},
		{"negative ping", "/api/push/tok?status=up&ping=-1", 404, `{"msg":"Invalid ping value","ok":false}`, nil},
		{"huge ping", "/api/push/tok?status=up&ping=200000000000", 404, `{"msg":"Invalid ping value","ok":false}`, nil},
		{"unknown token", "/api/push/nope?status=up&msg=a&ping=1", 404, `{"msg":"Monitor not found or not active.","ok":false}`, nil},
		{"trailing slash is the web page", "/api/push/tok/?status=up&msg=a&ping=1", 200, "<!DOCTYPE html>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(r.Beats())
			resp, err := http.Get(r.URL + tt.path)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			if json.Valid(body) {
				assert.JSONEq(t, tt.wantBody, string(body))
			} else {
				assert.Contains(t, string(body), tt.wantBody)
			}
			beats := r.Beats()
			if tt.wantBeat == nil {
				assert.Len(t, beats, before, "nothing stored")
				return
			}
			require.Len(t, beats, before+1)
			got := beats[len(beats)-1]
			assert.Equal(t, tt.wantBeat.Up, got.Up)
			assert.Equal(t, tt.wantBeat.Msg, got.Msg)
		})
	}
}
