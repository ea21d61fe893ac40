package notify

import "encoding/json"

// Webhook is any other URL: POST the run's -o json document (with
// previous_state); any 2xx answer is taken.
var Webhook = register(&webhookVendor)

var webhookVendor = vendor{
	kind:  "webhook",
	order: 5,
	limit: otherLimit,
	post: func(m message) (any, string) {
		return json.RawMessage(m.doc), m.rawURL
	},
	taken: func(int, []byte) error { return nil },
}
