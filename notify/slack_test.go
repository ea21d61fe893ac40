package notify

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Slack's incoming webhook: {"text": …}, answered "ok".
func init() {
	robots[Slack] = func(_ *robot, w http.ResponseWriter, _ *http.Request, body map[string]any) bool {
		if body["text"] == nil {
			http.Error(w, "no_text", http.StatusBadRequest)
			return false
		}
		_, _ = io.WriteString(w, "ok")
		return true
	}
}

func TestSlack(t *testing.T) {
	deliverRendered(t, Slack, "/services/T0/B0/"+robotKey, "", func(b map[string]any) string { return b["text"].(string) })
	assert.Equal(t, Slack, KindOf("https://hooks.slack.com/services/T/B/x"))
}
