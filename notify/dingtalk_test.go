package notify

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// DingTalk's robot: …/robot/send?access_token=T[&timestamp=MS&sign=S], a
// markdown message with a title, holding the keyword jsonprobe (keyword
// security); errcode 0 when taken.
func init() {
	robots[DingTalk] = func(rb *robot, w http.ResponseWriter, req *http.Request, body map[string]any) bool {
		q := req.URL.Query()
		if rb.wantSign {
			ms, _ := strconv.ParseInt(q.Get("timestamp"), 10, 64)
			want := sign([]byte(robotSecret), []byte(q.Get("timestamp")+"\n"+robotSecret))
			if q.Get("sign") != want || time.Since(time.UnixMilli(ms)).Abs() > time.Hour {
				_, _ = io.WriteString(w, `{"errcode":310000,"errmsg":"sign not match"}`)
				return false
			}
		}
		md, _ := body["markdown"].(map[string]any)
		if body["msgtype"] != "markdown" || md["title"] == nil || !strings.Contains(md["text"].(string), "jsonprobe") {
			_, _ = io.WriteString(w, `{"errcode":310000,"errmsg":"keywords not in content"}`)
			return false
		}
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
		return true
	}
}

func TestDingTalk(t *testing.T) {
	deliverRendered(t, DingTalk, "/robot/send?access_token="+robotKey, robotSecret, func(b map[string]any) string { return b["markdown"].(map[string]any)["text"].(string) })
	assert.Equal(t, DingTalk, KindOf("https://oapi.dingtalk.com/robot/send?access_token=t"))

	t.Run("a wrong signature is the vendor's error, without the secret", func(t *testing.T) {
		rb := newRobot(t, DingTalk)
		rb.wantSign = true
		r := Receiver{Kind: DingTalk, URL: rb.URL + "/robot/send?access_token=" + robotKey, Secret: "wrong-secret-value"}
		err := Deliver(context.Background(), rb.Client(), r, "t", "jsonprobe", nil, time.Now, time.Millisecond)
		require.Error(t, err)
		assert.Equal(t, "dingtalk "+rb.URL+"/robot/send?access_token=***: errcode 310000: sign not match", err.Error())
	})
}
