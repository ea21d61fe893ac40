package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

const (
	robotKey    = "3f2a1b0c-robot-key-d4e5"
	robotSecret = "SECf00dfeedbeefcafe"
)

// robot is a loopback receiver that keeps the vendor's documented
// contract: what it accepts, how it checks the signature, what it answers
// (each vendor's test file registers its robot in robots).
type robot struct {
	*httptest.Server
	mu       sync.Mutex
	got      []map[string]any
	fail     int // answer 500 this many times first
	wantSign bool
}

// robots answer a POST as each kind's robot does: true when the message
// was taken (it is kept), after answering.
var robots = map[Kind]func(rb *robot, w http.ResponseWriter, req *http.Request, body map[string]any) bool{}

func (r *robot) bodies() []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.got...)
}

func newRobot(t *testing.T, k Kind) *robot {
	t.Helper()
	rb := &robot{}
	rb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rb.mu.Lock()
		defer rb.mu.Unlock()
		if rb.fail > 0 {
			rb.fail--
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		var body map[string]any
		b, _ := io.ReadAll(req.Body)
		if req.Method != http.MethodPost || json.Unmarshal(b, &body) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if robots[k](rb, w, req, body) {
			rb.got = append(rb.got, body)
		}
	}))
	t.Cleanup(rb.Close)
	return rb
}

// sign is the HMAC-SHA256 signature DingTalk and Feishu check, base64.
func sign(key, msg []byte) string {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// critical is a run at CRITICAL: goroutines 6000 over 5000.
func critical() *probe.Report {
	return &probe.Report{Target: "http://app/health", State: probe.Critical, Outcomes: []probe.Outcome{
		{Name: "goroutines", Level: probe.LevelCritical, State: probe.Critical, Summary: "goroutines=6000 > 5000"},
		{Name: "memory", Level: probe.LevelWarning, State: probe.OK, Summary: "memory=256"},
	}}
}

// deliverRendered renders the CRITICAL change for kind and delivers it to
// the robot at rb.URL+path, which must take it: the text it got is the
// message.
func deliverRendered(t *testing.T, kind Kind, path, secret string, text func(body map[string]any) string) {
	t.Helper()
	rb := newRobot(t, kind)
	rb.wantSign = secret != ""
	c := Change{State: probe.Critical, Previous: probe.OK, Held: 2 * time.Minute}
	title, msg, err := Render(nil, kind, critical(), c, "web-1")
	require.NoError(t, err)
	r := Receiver{Kind: kind, URL: rb.URL + path, Secret: secret}
	require.NoError(t, Deliver(context.Background(), rb.Client(), r, title, msg, nil, time.Now, time.Millisecond))
	got := rb.bodies()
	require.Len(t, got, 1)
	assert.Equal(t, "CRITICAL jsonprobe: http://app/health (was OK), for 2m\nhost: web-1\n- goroutines 6000 > 5000", text(got[0]))
}

// TestKindOf: a URL's host names its kind; any other is a webhook; the
// kinds are listed in their order, each once; a kind is read without case.
func TestKindOf(t *testing.T) {
	for v := vendors; v != nil; v = v.next {
		for _, h := range v.hosts {
			assert.Equal(t, v.kind, KindOf("https://"+h+"/x?k=1"), h)
		}
		k, err := ParseKind(strings.ToUpper(string(v.kind)))
		require.NoError(t, err)
		assert.Equal(t, v.kind, k)
	}
	assert.Equal(t, Webhook, KindOf("https://alerts.example.com/hook"))
	assert.Equal(t, "wecom, dingtalk, feishu, slack or webhook", Kinds())
	_, err := ParseKind("teams")
	assert.EqualError(t, err, `kind "teams": want wecom, dingtalk, feishu, slack or webhook`)
}

// TestPolicy: one message per change, none while the state holds, the
// first run only when not OK, recovery, after and repeat.
func TestPolicy(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	type step struct {
		state probe.State
		want  string // "" no message; else "STATE" and a mark: "+" first, "r" recovered, "~" repeat
	}
	tests := []struct {
		name   string
		after  int
		repeat time.Duration
		steps  []step
	}{
		{"first run OK: nothing", 1, 0, []step{{probe.OK, ""}, {probe.OK, ""}}},
		{"first run a problem", 1, 0, []step{{probe.Warning, "WARNING+"}, {probe.Warning, ""}}},
		{"problem, worse, recovery", 1, 0, []step{{probe.OK, ""}, {probe.Warning, "WARNING"}, {probe.Critical, "CRITICAL"}, {probe.Critical, ""}, {probe.OK, "OKr"}, {probe.OK, ""}}},
		{"after 2 runs", 2, 0, []step{{probe.OK, ""}, {probe.Critical, ""}, {probe.Critical, "CRITICAL"}, {probe.OK, ""}, {probe.OK, "OKr"}}},
		{"a blip under after is no message", 2, 0, []step{{probe.OK, ""}, {probe.Critical, ""}, {probe.OK, ""}, {probe.OK, ""}}},
		{"repeat every 10m (runs 5m apart)", 1, 10 * time.Minute, []step{{probe.Critical, "CRITICAL+"}, {probe.Critical, ""}, {probe.Critical, "CRITICAL~"}, {probe.Critical, ""}, {probe.OK, "OKr"}, {probe.OK, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m Memory
			for i, s := range tt.steps {
				now := t0.Add(time.Duration(i) * 5 * time.Minute)
				m.Observe(s.state, now)
				c, due := m.Due(tt.after, tt.repeat, now)
				got := ""
				if due {
					got = c.State.String()
					switch {
					case c.First:
						got += "+"
					case c.Recovered:
						got += "r"
					case c.Repeat:
						got += "~"
					}
					m.Delivered(now)
				}
				assert.Equal(t, s.want, got, "step %d (%s)", i, s.state)
			}
		})
	}
}

// TestPolicyFailedDelivery: a message not delivered is owed on the next run.
func TestPolicyFailedDelivery(t *testing.T) {
	t0 := time.Now()
	var m Memory
	m.Observe(probe.OK, t0)
	m.Observe(probe.Critical, t0.Add(time.Minute))
	_, due := m.Due(1, 0, t0.Add(time.Minute))
	require.True(t, due) // and the delivery fails: no Delivered
	m.Observe(probe.Critical, t0.Add(2*time.Minute))
	c, due := m.Due(1, 0, t0.Add(2*time.Minute))
	assert.True(t, due, "pending: sent on the next run")
	assert.Equal(t, probe.Critical, c.State)
}

func TestRecoveryText(t *testing.T) {
	t0 := time.Now()
	var m Memory
	m.Observe(probe.OK, t0)
	m.Observe(probe.Critical, t0.Add(time.Minute))
	m.Delivered(t0.Add(time.Minute))
	m.Observe(probe.OK, t0.Add(13*time.Minute))
	c, due := m.Due(1, 0, t0.Add(13*time.Minute))
	require.True(t, due)
	_, text, err := Render(nil, Slack, &probe.Report{Target: "http://app/health", State: probe.OK}, c, "web-1")
	require.NoError(t, err)
	assert.Equal(t, "OK jsonprobe: http://app/health recovered after 12m (was CRITICAL)\nhost: web-1", text)
}

func TestCutAndTemplate(t *testing.T) {
	long := &probe.Report{Target: "http://app/health", State: probe.Critical}
	for range 400 {
		long.Outcomes = append(long.Outcomes, probe.Outcome{Name: "检查", Level: probe.LevelCritical, State: probe.Critical, Summary: "检查=值 > 5000"})
	}
	c := Change{State: probe.Critical, First: true}
	_, text, err := Render(nil, WeCom, long, c, "h")
	require.NoError(t, err)
	assert.LessOrEqual(t, len(text), 4096)
	assert.Greater(t, len(text), 4080)
	assert.True(t, strings.HasSuffix(text, "…"))
	assert.True(t, utf8Valid(text), "cut at a UTF-8 boundary")

	tmpl := template.Must(template.New("t").Parse(`[{{.State}}] {{.Target}} on {{.Host}}: {{.Summary}}`))
	_, text, err = Render(tmpl, Slack, critical(), c, "web-1")
	require.NoError(t, err)
	assert.Equal(t, "[CRITICAL] http://app/health on web-1: goroutines=6000 > 5000", text)
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// TestPolicyBlipKeepsTheProblem: a problem notified, a blip to OK under
// after:, and the problem again is one problem: its recovery counts from
// its start, and from when the state became OK, not from the runs after.
func TestPolicyBlipKeepsTheProblem(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	var m Memory
	steps := []struct {
		min   int
		state probe.State
	}{{0, probe.OK}, {5, probe.Critical}, {10, probe.Critical}, {15, probe.OK}, {20, probe.Critical}, {25, probe.Critical}, {30, probe.OK}, {35, probe.OK}}
	var got []string
	var last Change
	for _, s := range steps {
		require.True(t, m.Observe(s.state, at(s.min)))
		if c, due := m.Due(2, 0, at(s.min)); due {
			got = append(got, c.State.String())
			last = c
			m.Delivered(at(s.min))
		}
	}
	assert.Equal(t, []string{"CRITICAL", "OK"}, got)
	assert.True(t, last.Recovered)
	assert.Equal(t, 25*time.Minute, last.ProblemFor, "from 10:05, when it began, to 10:30, when it was OK: not to 10:35, the run that said so")
}

// TestPolicyOutOfOrder: a run that started before the newest one seen
// (it waited for the lock) is not counted.
func TestPolicyOutOfOrder(t *testing.T) {
	t0 := time.Now()
	var m Memory
	require.True(t, m.Observe(probe.OK, t0))
	require.True(t, m.Observe(probe.Critical, t0.Add(2*time.Minute)))
	assert.False(t, m.Observe(probe.OK, t0.Add(time.Minute)), "older than the newest run")
	assert.Equal(t, "CRITICAL", m.Current)
	assert.Equal(t, 1, m.Runs)
}

// TestPolicyClaim: a message claimed by one run is not sent by another
// until the claim is settled or has run out; settled unsent, it is owed.
func TestPolicyClaim(t *testing.T) {
	t0 := time.Now()
	var m Memory
	m.Observe(probe.Critical, t0)
	_, due := m.Due(1, 0, t0)
	require.True(t, due)
	require.True(t, m.Claim("a", t0, t0.Add(time.Minute)))
	assert.False(t, m.Claim("b", t0.Add(time.Second), t0.Add(time.Minute)), "a is sending it")
	m.Settle("a", "CRITICAL", nil, false, t0.Add(2*time.Second))
	_, due = m.Due(1, 0, t0.Add(3*time.Second))
	assert.True(t, due, "not sent: owed")
	require.True(t, m.Claim("b", t0.Add(3*time.Second), t0.Add(time.Minute)))
	assert.True(t, m.Claim("c", t0.Add(2*time.Minute), t0.Add(3*time.Minute)), "b's claim ran out: b died")
	m.Settle("b", "CRITICAL", nil, true, t0.Add(2*time.Minute))
	assert.Equal(t, "CRITICAL", m.Notified)
	assert.NotNil(t, m.Sending, "c's claim is c's to settle")
	m.Settle("c", "CRITICAL", nil, true, t0.Add(2*time.Minute))
	assert.Nil(t, m.Sending)
	_, due = m.Due(1, 0, t0.Add(4*time.Minute))
	assert.False(t, due)
}

func TestMessageWording(t *testing.T) {
	c := Change{State: probe.Critical, Previous: probe.OK}
	_, text, err := Render(nil, Slack, critical(), c, "web-1")
	require.NoError(t, err)
	assert.Equal(t, "CRITICAL jsonprobe: http://app/health (was OK)\nhost: web-1\n- goroutines 6000 > 5000", text, "a state new with this run: no \"for 0s\"")
	c = Change{State: probe.Critical, Previous: probe.Critical, Repeat: true, Held: time.Hour}
	_, text, err = Render(nil, Slack, critical(), c, "web-1")
	require.NoError(t, err)
	assert.Equal(t, "CRITICAL jsonprobe: http://app/health still, for 1h\nhost: web-1\n- goroutines 6000 > 5000", text)
}

// TestReceiverShown: errors name a receiver without its key, wherever the
// vendor keeps it; a webhook's path may be its key (an ntfy topic).
func TestReceiverShown(t *testing.T) {
	for u, want := range map[string]string{
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k":         "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
		"https://oapi.dingtalk.com/robot/send?access_token=t":            "https://oapi.dingtalk.com/robot/send?access_token=***",
		"https://open.feishu.cn/open-apis/bot/v2/hook/short":             "https://open.feishu.cn/…",
		"https://hooks.slack.com/services/T0/B0/x":                       "https://hooks.slack.com/…",
		"https://ntfy.sh/my-topic":                                       "https://ntfy.sh/…",
		"https://user:pw@alerts.example.com/hook":                        "https://alerts.example.com/…",
		"https://outlook.office.com/webhook/abc@def/IncomingWebhook/x/y": "https://outlook.office.com/…",
	} {
		r := Receiver{Kind: KindOf(u), URL: u}
		assert.Equal(t, want, r.shown(), u)
	}
}
