package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookKey = "k3y-of-the-robot-0042"

// hookReceiver is a group robot on loopback, WeCom's by default
// (/cgi-bin/webhook/send?key=…, {"markdown":{"content":…}}) or DingTalk's
// (/robot/send?access_token=…, {"markdown":{"title":…,"text":…}}, with
// the keyword security that drops a message without "jsonprobe"), counting
// the states it was told.
type hookReceiver struct {
	srv      *httptest.Server
	dingtalk bool
	mu       sync.Mutex
	states   []string
	texts    []string
	delay    time.Duration // a slow receiver: each answer waits this long
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Markdown struct{ Content, Title, Text string } `json:"markdown"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		text := body.Markdown.Content
		switch {
		case h.dingtalk && r.URL.Query().Get("access_token") != hookKey:
			_, _ = io.WriteString(w, `{"errcode":300001,"errmsg":"token is not exist"}`)
			return
		case h.dingtalk && !strings.Contains(body.Markdown.Text, "jsonprobe"):
			_, _ = io.WriteString(w, `{"errcode":310000,"errmsg":"keywords not in content"}`)
			return
		case h.dingtalk:
			text = body.Markdown.Text
		case r.URL.Query().Get("key") != hookKey:
			_, _ = io.WriteString(w, `{"errcode":93000,"errmsg":"invalid webhook url"}`)
			return
		}
		h.mu.Lock()
		delay := h.delay
		h.mu.Unlock()
		time.Sleep(delay)
		state, _, _ := strings.Cut(text, " ")
		h.mu.Lock()
		h.texts = append(h.texts, text)
		h.states = append(h.states, state)
		h.mu.Unlock()
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.states...)
}

// TestNotifyAcrossRuns: cron runs on one state file send a message per
// change, none while the state holds, and the recovery; a receiver that is
// down leaves the message owed to the next run; no key is printed or
// stored.
func TestNotifyAcrossRuns(t *testing.T) {
	h := newHookReceiver(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	state := filepath.Join(dir, "state.json")
	t.Setenv("JSONPROBE_NOTIFY_URL", "wecom="+h.srv.URL+"/cgi-bin/webhook/send?key="+hookKey)
	probe := func(goroutines string) (int, string) {
		t.Helper()
		require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":`+goroutines+`}`), 0o600))
		code, stdout, stderr := runArgs(t, "-w", "goroutines > 2000", "-c", "goroutines > 5000", "--state", state, doc)
		assert.NotContains(t, stdout+stderr, hookKey)
		return code, stderr
	}
	for _, step := range []struct {
		g    string
		code int
		want []string
	}{
		{"1000", 0, nil},
		{"6000", 2, []string{"CRITICAL"}},
		{"6000", 2, []string{"CRITICAL"}},
		{"2500", 1, []string{"CRITICAL", "WARNING"}},
		{"1000", 0, []string{"CRITICAL", "WARNING", "OK"}},
		{"1000", 0, []string{"CRITICAL", "WARNING", "OK"}},
	} {
		code, stderr := probe(step.g)
		assert.Equal(t, step.code, code)
		assert.Empty(t, stderr)
		assert.Equal(t, step.want, h.got(), "after goroutines=%s", step.g)
	}
	h.mu.Lock()
	assert.Contains(t, h.texts[2], "OK jsonprobe: "+doc+" recovered after ")
	h.mu.Unlock()

	// The receiver down: said on stderr, the exit code the probe's, the
	// message owed; sent when it is back.
	url := h.srv.URL
	h.srv.Close()
	code, stderr := probe("6000")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "jsonprobe: notify: wecom "+url+"/cgi-bin/webhook/send?key=***: ")
	assert.Contains(t, stderr, "the message stays owed to the next run")
	h2 := newHookReceiverAt(t, url)
	code, stderr = probe("6000")
	assert.Equal(t, 2, code)
	assert.Empty(t, stderr)
	assert.Equal(t, []string{"CRITICAL"}, h2.got())

	b, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.NotContains(t, string(b), hookKey, "the state file keeps no key")
}

// newHookReceiverAt serves the receiver on url's address again.
func newHookReceiverAt(t *testing.T, url string) *hookReceiver {
	h := newHookReceiver(t)
	h.srv.Close()
	srv := httptest.NewUnstartedServer(h.srv.Config.Handler)
	ln, err := netListen(strings.TrimPrefix(url, "http://"))
	require.NoError(t, err)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	h.srv = srv
	return h
}

// TestNotifyRace: 20 runs at once on one state file, after an OK run, send
// the change to CRITICAL once, though the receiver takes 300 ms to answer
// (the runs that come while it is sent find it claimed).
func TestNotifyRace(t *testing.T) {
	h := newHookReceiver(t)
	h.delay = 300 * time.Millisecond
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	state := filepath.Join(dir, "state.json")
	notifyURL := "wecom=" + h.srv.URL + "/cgi-bin/webhook/send?key=" + hookKey
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":1}`), 0o600))
	code, out, _ := runArgs(t, "-c", "goroutines > 5000", "--state", state, "--notify", notifyURL, doc)
	require.Equal(t, 0, code, out)
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":6000}`), 0o600))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			run(context.Background(), []string{"jsonprobe", "-c", "goroutines > 5000", "-t", "30s", "--state", state, "--notify", notifyURL, doc}, io.Discard, io.Discard)
		})
	}
	wg.Wait()
	assert.Equal(t, []string{"CRITICAL"}, h.got())
}

// TestOnChange: the action runs on a change with its variables, not again
// within the cooldown, and is stopped at its timeout.
func TestOnChange(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	logFile := filepath.Join(dir, "actions")
	checks := filepath.Join(dir, "checks.yaml")
	write := func(body string) {
		require.NoError(t, os.WriteFile(checks, []byte(body), 0o600))
	}
	write("url: health.json\nstate: state.json\naction_cooldown: 1h\non_change: echo \"$JSONPROBE_PREVIOUS_STATE>$JSONPROBE_STATE $JSONPROBE_SUMMARY\" >> " + logFile + "\nchecks:\n  - critical: goroutines > 5000\n")
	set := func(g string, args ...string) (int, string) {
		require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":`+g+`}`), 0o600))
		code, _, stderr := runArgs(t, append([]string{"-f", checks}, args...)...)
		return code, stderr
	}
	set("1")
	code, stderr := set("6000")
	assert.Equal(t, 2, code)
	assert.Empty(t, stderr)
	set("6000")
	_, stderr = set("1", "-v") // a change again, within the cooldown: a note, said with -v
	assert.Contains(t, stderr, "jsonprobe: on_change: not run for OK yet: it ran ")
	_, stderr = set("1", "-v")
	assert.Empty(t, stderr, "said once")
	_, stderr = set("6000")
	assert.Empty(t, stderr, "back to the state acted on: nothing owed")
	b, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Equal(t, "OK>CRITICAL goroutines=6000 > 5000\n", string(b), "once: the change; the recovery within the cooldown not")

	write("url: health.json\nstate: state2.json\naction_timeout: 300ms\non_change: sleep 30\nchecks:\n  - critical: goroutines > 5000\n")
	start := time.Now()
	set("1")
	_, stderr = set("6000")
	assert.Contains(t, stderr, "jsonprobe: on_change: stopped after 300ms (action_timeout)")
	assert.Less(t, time.Since(start), 20*time.Second, "the sleep was killed")
}

func TestNotifyNeedsState(t *testing.T) {
	code, out, _ := runArgs(t, "-c", "x > 1", "--notify", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="+hookKey, "x.json")
	assert.Equal(t, 3, code)
	assert.Contains(t, out, "notify and on_change remember the last state in the state file: give --state FILE or state: in the checks file")
	assert.NotContains(t, out, hookKey)
}

// TestNotifyEnvironmentURL: JSONPROBE_NOTIFY_URL is the receiver only when
// none is given otherwise; a receiver given twice gets a message once.
func TestNotifyEnvironmentURL(t *testing.T) {
	env, flag := newHookReceiver(t), newHookReceiver(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":6000}`), 0o600))
	t.Setenv("JSONPROBE_NOTIFY_URL", "wecom="+env.srv.URL+"/cgi-bin/webhook/send?key="+hookKey)
	u := "wecom=" + flag.srv.URL + "/cgi-bin/webhook/send?key=" + hookKey
	code, out, stderr := runArgs(t, "-c", "goroutines > 5000", "--state", filepath.Join(dir, "s.json"), "--notify", u, "--notify", u, doc)
	require.Equal(t, 2, code, out)
	assert.Empty(t, stderr)
	assert.Equal(t, []string{"CRITICAL"}, flag.got())
	assert.Empty(t, env.got(), "--notify given: the environment's is not used")
}

// TestNotifyTellsTheProbesState: a sink that fails (the prom file) makes
// the run UNKNOWN, but the notifications tell the probe's own state: OK,
// so nothing is sent.
func TestNotifyTellsTheProbesState(t *testing.T) {
	h := newHookReceiver(t)
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":1}`), 0o600))
	u := "wecom=" + h.srv.URL + "/cgi-bin/webhook/send?key=" + hookKey
	args := []string{"-c", "goroutines > 5000", "--state", filepath.Join(dir, "s.json"), "--notify", u, "--prom-file"}
	code, out, _ := runArgs(t, append(args, filepath.Join(dir, "x.prom"), doc)...)
	require.Equal(t, 0, code, out)
	code, _, stderr := runArgs(t, append(args, filepath.Join(dir, "no", "such", "x.prom"), doc)...)
	assert.Equal(t, 3, code, "the failed prom file is UNKNOWN")
	assert.Contains(t, stderr, "prom file")
	assert.Empty(t, h.got(), "the probe said OK: no message")
}

// TestWatchReadsWithoutNotify: watch sends nothing and runs no action (nor
// does the exporter), so a checks file whose notify: names a variable not
// set here loads, its checks' on_fire too.
func TestWatchReadsWithoutNotify(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "health.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"goroutines":1}`), 0o600))
	checks := filepath.Join(dir, "checks.yaml")
	require.NoError(t, os.WriteFile(checks, []byte("url: health.json\nnotify:\n  - url_env: NOT_SET_HERE_42\non_change: echo\nchecks:\n  - critical: goroutines > 5000\n    on_fire: echo\n    on_fire_max: 1\n"), 0o600))
	code, out, stderr := runArgs(t, "watch", "--plain", "--for", "500ms", "-f", checks)
	assert.Equal(t, 0, code, out+stderr)
	code, out, _ = runArgs(t, "-f", checks)
	assert.Equal(t, 3, code, "the probe itself needs the variable")
	assert.Contains(t, out, "NOT_SET_HERE_42 is not set")
	code, out, _ = runArgs(t, "watch", "--notify", "https://example.com/x", doc)
	assert.Equal(t, 3, code, "watch sends nothing: --notify is not its option")
	assert.Contains(t, out, "notify")
}

func netListen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
