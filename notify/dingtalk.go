package notify

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// DingTalk (钉钉) group robots: POST …/robot/send?access_token=T with a
// markdown message (a title and a text); with a signing secret (加签), the
// URL gets timestamp=MS&sign=base64(HMAC-SHA256(secret, MS+"\n"+secret)).
// The answer is {"errcode":0,"errmsg":"ok"}.
var DingTalk = register(&dingTalkVendor)

var dingTalkVendor = vendor{
	kind:       "dingtalk",
	order:      2,
	hosts:      []string{"oapi.dingtalk.com"},
	limit:      otherLimit,
	keyInQuery: true,
	post: func(m message) (any, string) {
		rawURL := m.rawURL
		if m.secret != "" {
			ms := strconv.FormatInt(m.now.UnixMilli(), 10)
			sign := base64.StdEncoding.EncodeToString(hmacSHA256([]byte(m.secret), []byte(ms+"\n"+m.secret)))
			sep := "?"
			if strings.Contains(rawURL, "?") {
				sep = "&"
			}
			rawURL += sep + "timestamp=" + ms + "&sign=" + url.QueryEscape(sign)
		}
		return map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": m.title, "text": m.text}}, rawURL
	},
	taken: robotAnswer,
}

// otherLimit is the most bytes of text a message takes where the vendor
// allows more than a status needs.
const otherLimit = 4000
