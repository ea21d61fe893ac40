package notify

import (
	"net/http"
	"strings"
)

// Slack incoming webhooks: POST hooks.slack.com/services/T/B/TOKEN with
// {"text": …}; the answer is 200 with the body "ok".
var Slack = register(&slackVendor)

var slackVendor = vendor{
	kind:  "slack",
	order: 4,
	hosts: []string{"hooks.slack.com"},
	limit: otherLimit,
	post: func(m message) (any, string) {
		return map[string]string{"text": m.text}, m.rawURL
	},
	taken: func(status int, b []byte) error {
		if status == http.StatusOK && strings.TrimSpace(string(b)) == "ok" {
			return nil
		}
		return errUnexpected
	},
}
