package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"syscall"
	"text/template"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
)

// Options are what a run's notifications need beyond the Config.
type Options struct {
	Client  *http.Client
	Host    string           // the host name the message names
	Now     func() time.Time // time.Now when nil
	Environ []string         // the action's environment, JSONPROBE_* added
	Stderr  io.Writer        // the action's output
	Backoff time.Duration    // before the first retry (default 1s)
	Timeout time.Duration    // one receiver's delivery, retries included (default 10s)
}

// Run sends each receiver of cfg what rep owes it, and runs cfg's action
// when the state changed. Each receiver's memory (and the action's) is read,
// changed and written back under the state file's lock, the delivery
// included: runs that overlap send each change once. A delivery that fails
// leaves its message owed to the next run (at least once). It returns the
// failures, one line each, without keys or secrets; the probe's state does
// not change for them.
func Run(ctx context.Context, cfg *probe.Config, rep *probe.Report, o Options) []error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Client == nil {
		o.Client = &http.Client{}
	}
	if o.Backoff == 0 {
		o.Backoff = time.Second
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	store := probe.FileStore{Path: cfg.StatePath}
	key := probe.StateKey(cfg.Target)
	var errs []error
	for _, n := range cfg.Notify {
		r := Receiver{Kind: Kind(n.Kind), URL: n.URL, Secret: n.Secret}
		if r.Kind == "" {
			r.Kind = KindOf(n.URL)
		}
		var tmpl *template.Template
		if n.Template != "" {
			tmpl = template.Must(template.New("message").Parse(n.Template)) // parsed at load
		}
		err := remember(ctx, store, "notify/"+key+"/"+digest(n.URL), o.Now(), func(m *Memory, now time.Time) error {
			m.Observe(rep.State, now)
			c, due := m.Due(n.After, n.Repeat, now)
			if !due {
				return nil
			}
			title, text, err := Render(tmpl, r.Kind, rep, c, o.Host)
			if err != nil {
				return err
			}
			dctx, cancel := context.WithTimeout(ctx, o.Timeout)
			defer cancel()
			if err := Deliver(dctx, o.Client, r, title, text, webhookDoc(rep, c), o.Now, o.Backoff); err != nil {
				return fmt.Errorf("notify: %w; the message stays owed to the next run", err)
			}
			m.Delivered(now)
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.OnChange != "" {
		if err := act(ctx, store, key, cfg, rep, o); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// remember runs fn on the memory name keeps in the state file, under its
// lock, and writes it back even when fn fails (its failure is the error).
func remember(ctx context.Context, store probe.FileStore, name string, now time.Time, fn func(m *Memory, now time.Time) error) error {
	var fnErr error
	err := store.UpdateMemory(ctx, name, now, func(old []byte) ([]byte, error) {
		var m Memory
		if len(old) > 0 {
			_ = json.Unmarshal(old, &m) // a memory that does not read starts afresh
		}
		fnErr = fn(&m, now)
		return json.Marshal(m)
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

// digest names a receiver in the state file without its key.
func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// webhookDoc is a plain webhook's body: the run's -o json document with
// previous_state.
func webhookDoc(rep *probe.Report, c Change) []byte {
	var b bytes.Buffer
	_ = output.JSON(&b, rep)
	doc := bytes.TrimRight(b.Bytes(), "\n")
	if len(doc) == 0 {
		return nil
	}
	prev := "null"
	if !c.First {
		prev = `"` + c.Previous.String() + `"`
	}
	return append(doc[:len(doc)-1], []byte(`,"previous_state":`+prev+`}`)...)
}

// actionMemory is the action's: its own change memory and when it last ran.
type actionMemory struct {
	Memory
	RanAt time.Time `json:"ran_at,omitzero"`
}

// act runs cfg.OnChange (sh -c) when the state changed, with
// JSONPROBE_STATE, JSONPROBE_PREVIOUS_STATE, JSONPROBE_SUMMARY and
// JSONPROBE_TARGET set, within ActionTimeout, and not again within
// ActionCooldown of its last run (a change then is let pass: no restart
// loop).
func act(ctx context.Context, store probe.FileStore, key string, cfg *probe.Config, rep *probe.Report, o Options) error {
	var result error
	err := store.UpdateMemory(ctx, "action/"+key, o.Now(), func(old []byte) ([]byte, error) {
		var m actionMemory
		if len(old) > 0 {
			_ = json.Unmarshal(old, &m)
		}
		now := o.Now()
		m.Observe(rep.State, now)
		c, due := m.Due(1, 0, now)
		if !due {
			return json.Marshal(m)
		}
		m.Delivered(now) // a change is acted on once, run or let pass
		if !m.RanAt.IsZero() && now.Sub(m.RanAt) < cfg.ActionCooldown {
			result = fmt.Errorf("on_change: not run for %s: it ran %s ago (action_cooldown %s)", c.State, span(now.Sub(m.RanAt)), cfg.ActionCooldown)
			return json.Marshal(m)
		}
		m.RanAt = now
		result = runAction(ctx, cfg, rep, c, o)
		return json.Marshal(m)
	})
	if err != nil {
		return err
	}
	return result
}

func runAction(ctx context.Context, cfg *probe.Config, rep *probe.Report, c Change, o Options) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.ActionTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", cfg.OnChange)
	prev := ""
	if !c.First {
		prev = c.Previous.String()
	}
	cmd.Env = append(append([]string(nil), o.Environ...),
		"JSONPROBE_STATE="+c.State.String(), "JSONPROBE_PREVIOUS_STATE="+prev,
		"JSONPROBE_SUMMARY="+output.OneLine(rep.Summary()), "JSONPROBE_TARGET="+rep.Target)
	cmd.Stdout, cmd.Stderr = o.Stderr, o.Stderr
	// Its own process group, so that a timeout ends what it started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("on_change: stopped after %s (action_timeout)", cfg.ActionTimeout)
	case err != nil:
		return fmt.Errorf("on_change: %v", err)
	}
	return nil
}
