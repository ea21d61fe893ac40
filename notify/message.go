package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Data is what a message template sees.
type Data struct {
	State, Previous string
	Recovered       bool
	Repeat          bool
	Target          string // secrets redacted
	Host            string
	Held            string // how long the state has held: 12m ("" for a state new with this run)
	ProblemFor      string // for a recovery: how long the problem lasted
	Summary         string
	Checks          []string // the failing checks: goroutines 6000 > 5000
	// Change is a change of problem while the state held: "now also
	// restart=11005 > 10000", "no longer restart"; "" for any other message.
	Change string
	// Actual is the probe's state when the receiver counts it as OK (its
	// states: leave it out); "" when the same.
	Actual string
	// Events are what the actions did, or were kept from doing, since the
	// receiver's last message: "restart started (1 of 3 in 24h)".
	Events []string
	// Grew are, for a body that is not JSON (a goroutine profile), the
	// parts that grew most since the previous run: "main.leaky +500 (2000
	// → 2500) at main.go:13"; PartsNoun names them ("stacks").
	Grew      []string
	PartsNoun string
}

// newData is the template data of a change in rep.
func newData(rep *probe.Report, c Change, host string) Data {
	d := Data{State: c.State.String(), Recovered: c.Recovered, Repeat: c.Repeat, Target: rep.Target,
		Host: host, ProblemFor: span(c.ProblemFor), Summary: rep.Summary()}
	if c.Held >= time.Second {
		// A state new with this run has held for no time worth saying.
		d.Held = span(c.Held)
	}
	if !c.First {
		d.Previous = c.Previous.String()
	}
	if rep.State != c.State {
		d.Actual = rep.State.String()
	}
	d.Change, d.Events = problemChange(rep, c), c.Events
	d.Grew, d.PartsNoun = rep.Grew(5), rep.PartsNoun
	if rep.Err != nil {
		d.Checks = append(d.Checks, rep.Err.Error())
	}
	for _, o := range rep.Failing() {
		// "goroutines=6000 > 5000" reads as "goroutines 6000 > 5000".
		d.Checks = append(d.Checks, strings.Replace(o.Summary, "=", " ", 1))
	}
	return d
}

// problemChange says a change of problem: the checks that started firing,
// as their summaries say them, and those that stopped, by name.
func problemChange(rep *probe.Report, c Change) string {
	var parts []string
	if len(c.NowAlso) > 0 {
		var also []string
		for _, o := range rep.Failing() {
			if slices.Contains(c.NowAlso, o.Name) && !slices.Contains(also, o.Summary) {
				also = append(also, o.Summary)
			}
		}
		parts = append(parts, "now also "+strings.Join(also, ", "))
	}
	if len(c.NoLonger) > 0 {
		parts = append(parts, "no longer "+strings.Join(c.NoLonger, ", "))
	}
	return strings.Join(parts, "; ")
}

// defaultTemplate is the message unless template: replaces it. It holds the
// word jsonprobe: DingTalk robots with keyword security drop messages
// without their keyword.
//
// It is parsed on first use, not at start-up: the plugin starts thousands
// of times a day, and most runs send nothing.
var defaultTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("message").Parse(
		`{{if .Recovered}}OK jsonprobe: {{.Target}} recovered after {{.ProblemFor}} (was {{.Previous}}{{with .Actual}}, now {{.}}{{end}}){{else}}{{.State}} jsonprobe: {{.Target}}{{if or .Repeat .Change}} still{{else if .Previous}} (was {{.Previous}}){{end}}{{if .Held}}, for {{.Held}}{{end}}{{with .Change}}; {{.}}{{end}}{{end}}
host: {{.Host}}{{range .Checks}}
- {{.}}{{end}}{{with .Grew}}
{{$.PartsNoun}} grown since the previous run:{{range .}}
- {{.}}{{end}}{{end}}{{range .Events}}
{{.}}{{end}}`))
})

// Render is the message of a change: its title (the first line) and text,
// the text cut to kind's limit at a UTF-8 boundary.
func Render(tmpl *template.Template, k Kind, rep *probe.Report, c Change, host string) (title, text string, err error) {
	if tmpl == nil {
		tmpl = defaultTemplate()
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, newData(rep, c, host)); err != nil {
		return "", "", fmt.Errorf("template: %w", err)
	}
	text = cut(b.String(), limit(k))
	title, _, _ = strings.Cut(text, "\n")
	return title, text, nil
}

// cut is s in at most n bytes, cut at a UTF-8 boundary, "…" at the end
// when it was cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	end := n - len(more)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + more
}

// span writes d for people: 45s, 12m, 3h5m, 1h, 2d4h.
func span(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour && int(d.Minutes())%60 == 0:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

// Receiver is where a message goes: its kind, URL (a secret: it holds the
// robot's key) and signing secret, and when and how it is told.
type Receiver struct {
	Kind     Kind
	URL      string
	Secret   string        // the signing secret (dingtalk, feishu), or ""
	After    int           // runs in the new state before a message (at least 1)
	Repeat   time.Duration // re-send an unchanged problem this often; 0 never
	Template string        // a text/template replacing the message, or ""
	// States are the problem states it is told of, and the recovery
	// from them; for it the others count as OK. None: every state.
	States []probe.State
}

// Deliver sends one message within ctx, retrying twice with backoff on a
// network error, a 5xx or a 429. now signs it. The error names the
// receiver by its redacted URL and says the vendor's reason; it holds no
// key or secret.
func Deliver(ctx context.Context, client *http.Client, r Receiver, title, text string, doc []byte, now func() time.Time, backoff time.Duration) error {
	red := redact.New(r.Secret, pathToken(r.URL))
	shown := r.shown()
	var last error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s %s: %w (after %d attempts: %v)", r.Kind, shown, ctx.Err(), attempt, last)
			case <-time.After(backoff << (attempt - 1)):
			}
		}
		req, err := request(ctx, r.Kind, message{rawURL: r.URL, secret: r.Secret, title: title, text: text, doc: doc, now: now()})
		if err != nil {
			return fmt.Errorf("%s %s: %v", r.Kind, shown, err)
		}
		resp, err := client.Do(req)
		if err != nil {
			last = netReason(err)
			continue
		}
		err = answer(r.Kind, resp)
		resp.Body.Close()
		if err == nil {
			return nil
		}
		last = err
		if !errors.Is(err, errRetry) {
			break
		}
	}
	return errors.New(red.Message(fmt.Sprintf("%s %s: %v", r.Kind, shown, last)))
}

// shown is the receiver's URL as messages name it: where the key is in
// the query (WeCom's key=***, DingTalk's access_token=***), redacted;
// where the path is the key (Feishu, Slack) or may be (an ntfy topic),
// only its scheme and host.
func (r Receiver) shown() string {
	if vendorOf(r.Kind).keyInQuery {
		return redact.New(pathToken(r.URL)).String(redact.URL(r.URL))
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Host == "" {
		return "(a URL that does not parse)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// netReason is a transport error without the URL that *url.Error quotes.
func netReason(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// pathToken is the last path segment of a robot URL, which is its key for
// Feishu (/hook/TOKEN) and Slack (/services/T/B/TOKEN); "" when shorter
// than a token is (/send).
func pathToken(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	seg := p.Path[strings.LastIndexByte(p.Path, '/')+1:]
	if len(seg) < 16 {
		return ""
	}
	return seg
}
