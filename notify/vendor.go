// Package notify sends a message when a probe's state changes: to WeCom,
// DingTalk and Feishu group robots, Slack incoming webhooks, or any
// webhook, from a single cron run with the state file as memory. This file
// is the vendors' wire formats; policy.go decides when, message.go what.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Kind is a receiver's wire format.
type Kind string

// The kinds of receiver.
const (
	WeCom    Kind = "wecom"
	DingTalk Kind = "dingtalk"
	Feishu   Kind = "feishu"
	Slack    Kind = "slack"
	Webhook  Kind = "webhook"
)

// KindOf is the kind a URL's host says: qyapi.weixin.qq.com is WeCom,
// oapi.dingtalk.com DingTalk, open.feishu.cn and open.larksuite.com
// Feishu, hooks.slack.com Slack, anything else a plain webhook.
func KindOf(rawURL string) Kind {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Webhook
	}
	switch strings.ToLower(u.Hostname()) {
	case "qyapi.weixin.qq.com":
		return WeCom
	case "oapi.dingtalk.com":
		return DingTalk
	case "open.feishu.cn", "open.larksuite.com":
		return Feishu
	case "hooks.slack.com":
		return Slack
	}
	return Webhook
}

// ParseKind reads a kind as the checks file and --notify KIND=URL give it.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(strings.ToLower(s)); k {
	case WeCom, DingTalk, Feishu, Slack, Webhook:
		return k, nil
	}
	return "", fmt.Errorf("kind %q: want wecom, dingtalk, feishu, slack or webhook", s)
}

// Limits of a message's text, in bytes, by kind: WeCom's markdown content
// is at most 4096 bytes (its text 2048); the others allow more than a
// status needs, so a message is cut at 4000 there too.
const (
	weComMarkdownLimit = 4096
	otherLimit         = 4000
)

// limit is the most bytes of text kind k takes.
func limit(k Kind) int {
	if k == WeCom {
		return weComMarkdownLimit
	}
	return otherLimit
}

// request builds the POST for kind k: the body in the vendor's format, and
// for DingTalk with a secret the signed URL. now is for the signatures.
// doc is the body of a plain webhook (the JSON result of the run).
func request(ctx context.Context, k Kind, rawURL, secret, title, text string, doc []byte, now time.Time) (*http.Request, error) {
	var body any
	switch k {
	case WeCom:
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": text}}
	case DingTalk:
		body = map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": title, "text": text}}
		if secret != "" {
			ms := strconv.FormatInt(now.UnixMilli(), 10)
			sign := base64.StdEncoding.EncodeToString(hmacSHA256([]byte(secret), []byte(ms+"\n"+secret)))
			sep := "?"
			if strings.Contains(rawURL, "?") {
				sep = "&"
			}
			rawURL += sep + "timestamp=" + ms + "&sign=" + url.QueryEscape(sign)
		}
	case Feishu:
		m := map[string]any{"msg_type": "text", "content": map[string]string{"text": text}}
		if secret != "" {
			sec := strconv.FormatInt(now.Unix(), 10)
			m["timestamp"] = sec
			m["sign"] = base64.StdEncoding.EncodeToString(hmacSHA256([]byte(sec+"\n"+secret), nil))
		}
		body = m
	case Slack:
		body = map[string]string{"text": text}
	default:
		body = json.RawMessage(doc)
	}
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

// answer checks a receiver's answer by kind: WeCom and DingTalk 200 with
// "errcode":0, Feishu 200 with "code":0, Slack 200 with the body "ok", a
// webhook any 2xx. The error quotes the vendor's message (errmsg, msg).
func answer(k Kind, resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("%w: HTTP %d", errRetry, resp.StatusCode)
	}
	var ans struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
		Code    *int   `json:"code"`
		Msg     string `json:"msg"`
	}
	_ = json.Unmarshal(b, &ans)
	switch {
	case k == Webhook:
		if resp.StatusCode/100 == 2 {
			return nil
		}
	case resp.StatusCode != http.StatusOK:
	case k == Slack:
		if strings.TrimSpace(string(b)) == "ok" {
			return nil
		}
	case k == Feishu:
		if ans.Code != nil && *ans.Code == 0 {
			return nil
		}
		if ans.Code != nil {
			return fmt.Errorf("code %d: %s", *ans.Code, ans.Msg)
		}
	default: // WeCom, DingTalk
		if ans.ErrCode != nil && *ans.ErrCode == 0 {
			return nil
		}
		if ans.ErrCode != nil {
			return fmt.Errorf("errcode %d: %s", *ans.ErrCode, ans.ErrMsg)
		}
	}
	text := strings.TrimSpace(string(b))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	return fmt.Errorf("HTTP %d: %q", resp.StatusCode, text)
}
