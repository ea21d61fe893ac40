// Package notify sends a message when a probe's state changes: to WeCom,
// DingTalk and Feishu group robots, Slack incoming webhooks, or any
// webhook, from a single cron run with the state file as memory. This file
// is what the vendors share; each vendor's wire format is a file of its
// own (wecom.go, dingtalk.go, …), policy.go decides when, message.go what.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Kind is a receiver's wire format.
type Kind string

// vendor is a receiver's wire format: the hosts its URLs have, how a
// message is sent to it and how its answer says it was taken.
type vendor struct {
	kind  Kind
	order int      // where it stands when the kinds are listed
	hosts []string // the hosts of its robots' URLs; none for the plain webhook
	limit int      // the most bytes of text a message takes
	// keyInQuery: the robot's key is a query value (key=***), so its URL
	// is shown redacted; otherwise its path is (or may be) the key, and
	// only its scheme and host are shown.
	keyInQuery bool
	// post is the request's body, and the URL to post it to (signed).
	post func(m message) (body any, rawURL string)
	// taken reads a 2xx answer's body: nil when the message was taken,
	// else the vendor's reason.
	taken func(status int, body []byte) error
	next  *vendor // the vendor registered before
}

// message is what a vendor's post needs: where, the signing secret, the
// text, the run's JSON (a plain webhook's body) and the time it signs.
type message struct {
	rawURL, secret, title, text string
	doc                         []byte
	now                         time.Time
}

// vendors are the kinds of receiver, each registered by its own file: a
// list linked through the vendors' own variables, so that registering
// them allocates nothing at start-up (the plugin starts thousands of times
// a day, and most runs send nothing).
var vendors *vendor

// register adds v, a vendor's variable, to the vendors and returns its kind.
func register(v *vendor) Kind {
	v.next, vendors = vendors, v
	return v.kind
}

// Kinds lists the kinds as messages and help texts name them: "wecom,
// dingtalk, … or webhook".
func Kinds() string {
	var list []*vendor
	for v := vendors; v != nil; v = v.next {
		list = append(list, v)
	}
	slices.SortFunc(list, func(a, b *vendor) int { return a.order - b.order })
	names := make([]string, len(list))
	for i, v := range list {
		names[i] = string(v.kind)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// KindOf is the kind a URL's host says (qyapi.weixin.qq.com is WeCom,
// hooks.slack.com Slack, …); any other host is a plain webhook.
func KindOf(rawURL string) Kind {
	if u, err := url.Parse(rawURL); err == nil {
		host := strings.ToLower(u.Hostname())
		for v := vendors; v != nil; v = v.next {
			if slices.Contains(v.hosts, host) {
				return v.kind
			}
		}
	}
	return Webhook
}

// ParseKind reads a kind as the checks file and --notify KIND=URL give it.
func ParseKind(s string) (Kind, error) {
	if v := find(Kind(strings.ToLower(s))); v != nil {
		return v.kind, nil
	}
	return "", fmt.Errorf("kind %q: want %s", s, Kinds())
}

// find is kind k's vendor, or nil.
func find(k Kind) *vendor {
	for v := vendors; v != nil; v = v.next {
		if v.kind == k {
			return v
		}
	}
	return nil
}

// vendorOf is kind k's vendor; a plain webhook for a kind that is none.
func vendorOf(k Kind) *vendor {
	if v := find(k); v != nil {
		return v
	}
	return find(Webhook)
}

// limit is the most bytes of text kind k takes.
func limit(k Kind) int { return vendorOf(k).limit }

// request builds the POST of m for kind k, in the vendor's format.
func request(ctx context.Context, k Kind, m message) (*http.Request, error) {
	body, rawURL := vendorOf(k).post(m)
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(b))
	if err != nil {
		return nil, errors.New("invalid notification URL")
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "jsonprobe")
	return req, nil
}

func hmacSHA256(key, msg []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return h.Sum(nil)
}

// maxAnswer caps how much of a receiver's answer is read.
const maxAnswer = 64 << 10

// errRetry marks an answer worth another try: a 5xx or a 429.
var errRetry = errors.New("the receiver asks to retry")

// answer checks a receiver's answer: a 5xx or a 429 is worth a retry, the
// vendor reads the rest. The error quotes the vendor's reason, or the
// answer's start.
func answer(k Kind, resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("%w: HTTP %d", errRetry, resp.StatusCode)
	}
	err := errUnexpected
	if resp.StatusCode/100 == 2 {
		err = vendorOf(k).taken(resp.StatusCode, b)
	}
	if !errors.Is(err, errUnexpected) {
		return err
	}
	text := strings.TrimSpace(string(b))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	return fmt.Errorf("HTTP %d: %q", resp.StatusCode, text)
}

// errUnexpected is a vendor's taken for an answer it does not know: the
// answer itself is quoted.
var errUnexpected = errors.New("an unexpected answer")

// robotAnswer reads the answer WeCom's and DingTalk's robots give:
// 200 with "errcode":0 when taken, else the error code and message.
func robotAnswer(status int, b []byte) error {
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	switch _ = json.Unmarshal(b, &ans); {
	case status != http.StatusOK || ans.ErrCode == nil:
		return errUnexpected
	case *ans.ErrCode != 0:
		return fmt.Errorf("errcode %d: %s", *ans.ErrCode, ans.ErrMsg)
	}
	return nil
}
