package notify

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A plain webhook takes any JSON, answering 204.
func init() {
	robots[Webhook] = func(_ *robot, w http.ResponseWriter, _ *http.Request, _ map[string]any) bool {
		w.WriteHeader(http.StatusNoContent)
		return true
	}
}

func TestDeliverRetries(t *testing.T) {
	rb := newRobot(t, Webhook)
	rb.fail = 2
	r := Receiver{Kind: Webhook, URL: rb.URL + "/hook?token=" + robotKey}
	require.NoError(t, Deliver(context.Background(), rb.Client(), r, "t", "x", []byte(`{"state":"CRITICAL"}`), time.Now, time.Millisecond))
	assert.Equal(t, []map[string]any{{"state": "CRITICAL"}}, rb.bodies(), "the run's JSON, after two 500s")

	rb.fail = 3
	err := Deliver(context.Background(), rb.Client(), r, "t", "x", []byte(`{}`), time.Now, time.Millisecond)
	require.Error(t, err)
	assert.Equal(t, "webhook "+rb.URL+"/…: the receiver asks to retry: HTTP 500", err.Error(), "a webhook's path and query may be its key: only its host is shown")

	rb.Close()
	err = Deliver(context.Background(), &http.Client{}, r, "t", "x", []byte(`{}`), time.Now, time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
	assert.NotContains(t, err.Error(), robotKey)
	assert.Equal(t, Webhook, KindOf("https://alerts.example.com/hook"))
}
