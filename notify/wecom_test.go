package notify

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WeCom's robot: …/cgi-bin/webhook/send?key=KEY, a markdown message of at
// most 4096 bytes; errcode 0 when taken.
func init() {
	robots[WeCom] = func(_ *robot, w http.ResponseWriter, req *http.Request, body map[string]any) bool {
		if req.URL.Query().Get("key") != robotKey {
			_, _ = io.WriteString(w, `{"errcode":93000,"errmsg":"invalid webhook url, hint: [1700000000_key]"}`)
			return false
		}
		md, _ := body["markdown"].(map[string]any)
		if body["msgtype"] != "markdown" || md["content"] == nil || len(md["content"].(string)) > 4096 {
			_, _ = io.WriteString(w, `{"errcode":40008,"errmsg":"invalid message type"}`)
			return false
		}
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		return true
	}
}

func TestWeCom(t *testing.T) {
	deliverRendered(t, WeCom, "/cgi-bin/webhook/send?key="+robotKey, "", func(b map[string]any) string { return b["markdown"].(map[string]any)["content"].(string) })
	assert.Equal(t, WeCom, KindOf("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"))

	t.Run("a wrong key", func(t *testing.T) {
		rb := newRobot(t, WeCom)
		err := Deliver(context.Background(), rb.Client(), Receiver{Kind: WeCom, URL: rb.URL + "/cgi-bin/webhook/send?key=nope-nope-nope"}, "t", "x", nil, time.Now, time.Millisecond)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "errcode 93000: invalid webhook url")
		assert.NotContains(t, err.Error(), "nope-nope-nope")
	})
}
