package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestKumaPushFaults: a Kuma push that is refused, times out or is
// answered by something that is not Kuma's push endpoint.
func TestKumaPushFaults(t *testing.T) {
	runFaults(t, kumaRows())
}

func kumaRows() []faultRow {
	health := func(t *testing.T) string { return respond(t, 200, "application/json", fmt.Sprintf(healthDoc, 1234)) }
	push := func(base string) string { return base + "/api/push/" + faultKuma + "?status=up&msg=OK&ping=" }
	kumaAnswer := func(status int, contentType, body string) func(t *testing.T) string {
		return func(t *testing.T) string {
			return quietServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", contentType)
				w.WriteHeader(status)
				_, _ = io.WriteString(w, body)
			}), nil).URL
		}
	}
	row := func(name string, kuma func(t *testing.T) string, timeout, stderr string) faultRow {
		return faultRow{name: name, args: func(t *testing.T) []string {
			return withLevels(health(t), "-o", "kuma", "--kuma-url", push(kuma(t)), "-t", timeout)
		}, wantCode: 3, wantFirst: "", wantStderr: stderr}
	}
	return []faultRow{
		row("push refused", func(t *testing.T) string { return strings.TrimSuffix(closedPort(t), "/health") }, "2",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: connection refused"),
		row("push times out", func(t *testing.T) string { return strings.TrimSuffix(blocking(t), "/") }, "1",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 1 attempt: timed out"),
		row("push answers 404 monitor not found", kumaAnswer(404, "application/json", `{"ok":false,"msg":"Monitor not found or not active."}`), "2",
			"jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 404: Monitor not found or not active."),
		row("push answers 200 with HTML", kumaAnswer(200, "text/html", "<!DOCTYPE html><html><body>Uptime Kuma</body></html>"), "2",
			`jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 200 without {"ok":true}: not a Kuma push answer (is it the monitor's push URL?)`),
		{name: "push fails next to nagios output", args: func(t *testing.T) []string {
			return withLevels(health(t), "--kuma-url", push(kumaAnswer(404, "application/json", `{"ok":false,"msg":"Monitor not found or not active."}`)(t)), "-t", "2")
		}, // Exit 3 (README) and a status line that says so: Nagios shows
			// the exit code's state next to this line's text.
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - {any}kuma push{any}",
			wantStderr: "jsonprobe: kuma push to http://127.0.0.1:{port}/api/push/*** failed after 3 attempts: HTTP 404: Monitor not found or not active."},
	}
}
