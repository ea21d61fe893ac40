package notify

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// Feishu (飞书) and Lark group robots: POST …/open-apis/bot/v2/hook/TOKEN
// with a text message; with a signing secret, the body gets timestamp
// (seconds) and sign=base64(HMAC-SHA256(timestamp+"\n"+secret, "")). The
// answer is {"code":0,"msg":"success"}.
var Feishu = register(&feishuVendor)

var feishuVendor = vendor{
	kind:  "feishu",
	order: 3,
	hosts: []string{"open.feishu.cn", "open.larksuite.com"},
	limit: otherLimit,
	post: func(m message) (any, string) {
		body := map[string]any{"msg_type": "text", "content": map[string]string{"text": m.text}}
		if m.secret != "" {
			sec := strconv.FormatInt(m.now.Unix(), 10)
			body["timestamp"] = sec
			body["sign"] = base64.StdEncoding.EncodeToString(hmacSHA256([]byte(sec+"\n"+m.secret), nil))
		}
		return body, m.rawURL
	},
	taken: func(status int, b []byte) error {
		var ans struct {
			Code *int   `json:"code"`
			Msg  string `json:"msg"`
		}
		switch _ = json.Unmarshal(b, &ans); {
		case status != http.StatusOK || ans.Code == nil:
			return errUnexpected
		case *ans.Code != 0:
			return fmt.Errorf("code %d: %s", *ans.Code, ans.Msg)
		}
		return nil
	},
}
