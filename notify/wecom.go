package notify

// WeCom (企业微信) group robots: POST …/cgi-bin/webhook/send?key=KEY with a
// markdown message; the answer is {"errcode":0,"errmsg":"ok"}. Markdown
// content is at most 4096 bytes.
var WeCom = register(&weComVendor)

var weComVendor = vendor{
	kind:       "wecom",
	order:      1,
	hosts:      []string{"qyapi.weixin.qq.com"},
	limit:      4096,
	keyInQuery: true,
	post: func(m message) (any, string) {
		return map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": m.text}}, m.rawURL
	},
	taken: robotAnswer,
}
