// Package sink holds what sends a Report somewhere else over the network:
// the Uptime Kuma push. The output package renders; a sink does I/O, and a
// front-end folds its failure into the Report (see main's kuma.go).
package sink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jsonprobe/jsonprobe/output"
	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/redact"
)

// Kuma push limits and retry policy.
const (
	// kumaAttempts is one push and two retries.
	kumaAttempts = 3
	// kumaMaxAnswer caps how much of Kuma's answer is read.
	kumaMaxAnswer = 64 << 10
)

// KumaOptions configure a push to an Uptime Kuma Push monitor.
type KumaOptions struct {
	URL       string       // the push URL as Kuma shows it; a secret (its token)
	WarningAs string       // "up" or "down": what WARNING pushes ("" means up)
	Client    *http.Client // nil means http.DefaultClient
	Backoff   time.Duration
}

// KumaPush sends r to Uptime Kuma: GET <push URL>?status=up|down&msg=…&ping=…,
// the URL's own query replaced, not appended to. OK is up, WARNING is
// opt.WarningAs, CRITICAL and UNKNOWN are down. A push that fails (network
// error, timeout, an answer other than 200 with {"ok":true}) is tried again
// twice, waiting opt.Backoff and then twice that, within ctx's deadline. The
// error names the URL with its token redacted and Kuma's own msg.
func KumaPush(ctx context.Context, r *probe.Report, opt KumaOptions) error {
	u, err := output.KumaURL(opt.URL, r, opt.WarningAs)
	if err != nil {
		return err
	}
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	shown, _, _ := strings.Cut(redact.URL(u), "?")
	backoff := opt.Backoff
	attempt := 1
	for ; ; attempt++ {
		err = pushOnce(ctx, client, u)
		if err == nil {
			return nil
		}
		if attempt == kumaAttempts || ctx.Err() != nil {
			break
		}
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
		}
		backoff *= 2
	}
	tries := "1 attempt"
	if attempt > 1 {
		tries = strconv.Itoa(attempt) + " attempts"
	}
	// The transport's error repeats the URL, token included: say only why.
	return fmt.Errorf("kuma push to %s failed after %s: %w", shown, tries, err)
}

// kumaAnswer is what Kuma answers a push with.
type kumaAnswer struct {
	OK  bool   `json:"ok"`
	Msg string `json:"msg"`
}

// pushOnce sends one push and checks Kuma's answer: only 200 with
// {"ok":true} means the beat was stored.
func pushOnce(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return errors.New("cannot build the request")
	}
	req.Header.Set("User-Agent", "jsonprobe")
	resp, err := client.Do(req)
	if err != nil {
		switch {
		case errors.Is(ctx.Err(), context.Canceled):
			return errors.New("interrupted")
		case ctx.Err() != nil:
			return errors.New("timed out")
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			return errors.New("connection refused")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s", redact.URL(err.Error()))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, kumaMaxAnswer))
	if err != nil {
		return fmt.Errorf("HTTP %d, reading the answer: %s", resp.StatusCode, redact.URL(err.Error()))
	}
	var a kumaAnswer
	isJSON := json.Unmarshal(body, &a) == nil
	switch {
	case resp.StatusCode == http.StatusOK && isJSON && a.OK:
		return nil
	case isJSON && a.Msg != "":
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, output.OneLine(a.Msg))
	case resp.StatusCode == http.StatusOK:
		return fmt.Errorf("HTTP 200 without {\"ok\":true}: not a Kuma push answer (is it the monitor's push URL?)")
	}
	return fmt.Errorf("HTTP %d", resp.StatusCode)
}
