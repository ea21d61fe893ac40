package probe

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunInterrupted: when the caller ends the probe before its deadline (a
// monitoring core's SIGTERM, Ctrl-C), the report says so and is UNKNOWN,
// whatever on_error says: the probe could not decide.
func TestRunInterrupted(t *testing.T) {
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	fifo := filepath.Join(t.TempDir(), "health.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	tests := []struct {
		name    string
		target  string
		onError State
		waitFor <-chan struct{} // interrupt once this fires; nil: before Run
		want    string
	}{
		{"HTTP request in flight", srv.URL + "/health", Critical, arrived,
			"GET " + srv.URL + "/health: interrupted (terminated signal received)"},
		{"on_error warning", srv.URL + "/health", Warning, arrived,
			"GET " + srv.URL + "/health: interrupted (terminated signal received)"},
		{"FIFO without a writer", fifo, Critical, nil,
			`read "` + fifo + `": interrupted (terminated signal received)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := NewConfig()
			cfg.Target, cfg.Timeout, cfg.OnError = tt.target, 30*time.Second, tt.onError
			require.NoError(t, cfg.AddCheck("critical", "goroutines > 5000"))
			client, err := NewHTTPClient(cfg)
			require.NoError(t, err)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			interrupt := func() { cancel(errors.New("terminated signal received")) }
			if tt.waitFor == nil {
				interrupt()
			} else {
				go func() {
					<-tt.waitFor
					interrupt()
				}()
			}
			// "interrupted", not "timed out after 30s": the cancel ended it.
			rep := runOnce(t, ctx, cfg, WithClient(client))
			require.Error(t, rep.Err)
			assert.Equal(t, tt.want, rep.Err.Error())
			assert.ErrorIs(t, rep.Err, ErrInterrupted)
			assert.Equal(t, Unknown, rep.State)
		})
	}
}
