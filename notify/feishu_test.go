package notify

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Feishu's robot: …/open-apis/bot/v2/hook/TOKEN, a text message, signed in
// the body; code 0 when taken.
func init() {
	robots[Feishu] = func(rb *robot, w http.ResponseWriter, _ *http.Request, body map[string]any) bool {
		if rb.wantSign {
			ts, _ := body["timestamp"].(string)
			if body["sign"] != sign([]byte(ts+"\n"+robotSecret), nil) {
				_, _ = io.WriteString(w, `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`)
				return false
			}
		}
		if c, _ := body["content"].(map[string]any); body["msg_type"] != "text" || c["text"] == nil {
			_, _ = io.WriteString(w, `{"code":9499,"msg":"Bad Request"}`)
			return false
		}
		_, _ = io.WriteString(w, `{"code":0,"msg":"success","data":{}}`)
		return true
	}
}

func TestFeishu(t *testing.T) {
	deliverRendered(t, Feishu, "/open-apis/bot/v2/hook/"+robotKey, robotSecret, func(b map[string]any) string { return b["content"].(map[string]any)["text"].(string) })
	assert.Equal(t, Feishu, KindOf("https://open.feishu.cn/open-apis/bot/v2/hook/t"))
	assert.Equal(t, Feishu, KindOf("https://open.larksuite.com/open-apis/bot/v2/hook/t"))
}
