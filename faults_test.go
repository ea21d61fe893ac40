package main

import (
	"crypto/tls"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

// The secrets every fault row is configured with. They are distinctive so
// that a leak into any output is found by a plain substring search.
const (
	faultBearer = "hb-Bearer-5ecret-Q7xV9w"
	faultBasic  = "hb-BasicPw-K3m8Zr"
	faultKuma   = "hbKumaPushTok4R1"
)

// faultMargin is how far past its deadline a row may end: process
// scheduling and the parallel rows' work, not another timeout.
const faultMargin = 1500 * time.Millisecond

// stackTraceMarks betray a panic or a runtime crash in an output.
var stackTraceMarks = []string{"goroutine ", "panic:", "runtime."}

// faultRow is one hostile situation: what the probe is given, and the
// exit code and first line a person reading Nagios must see.
type faultRow struct {
	name string
	// args starts the row's servers and returns the arguments; the harness
	// adds the secrets (files, or the environment when serial).
	args func(t *testing.T) []string
	// wantCode is the exact exit code; anyCode accepts 0..3 (generated rows).
	wantCode int
	anyCode  bool
	// wantFirst is the whole first stdout line, exact except for the
	// placeholders {port}, {num} (a decimal), {path} (a temporary file
	// path) and {any}. Empty means stdout must be empty.
	wantFirst string
	// wantStderr is the same kind of pattern for the whole of stderr,
	// trimmed; empty means stderr must be empty.
	wantStderr string
	// serial rows give the secrets through the environment (t.Setenv) and
	// so cannot run in parallel; they are the rows that pass a secret file
	// of their own.
	serial bool
	// check makes further assertions on the outputs.
	check func(t *testing.T, stdout, stderr string)
}

// runFaults runs each row in a subtest of its own, in parallel but for the
// serial rows, and makes the assertions every row shares (faultHarness.run):
// the exact exit code, the first line, that the run ended within its
// deadline, that no output holds a stack trace, and that none of the
// configured secrets appears anywhere. The rows of each subject are in a
// file of their own: network_faults_test.go, tls_faults_test.go,
// response_faults_test.go, document_faults_test.go, flag_faults_test.go,
// config_faults_test.go, kuma_faults_test.go and corpus_faults_test.go.
func runFaults(t *testing.T, rows []faultRow) {
	dir := t.TempDir()
	secretFile := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	h := &faultHarness{
		tokenFile: secretFile("token", faultBearer+"\n"),
		basicFile: secretFile("basic", "probe:"+faultBasic+"\n"),
	}
	for _, row := range rows {
		// Serial rows (they set the environment) run in the test's own
		// body, before any parallel row starts.
		t.Run(row.name, func(t *testing.T) {
			if !row.serial {
				t.Parallel()
			}
			h.run(t, row)
		})
	}
}

// runMu makes the rows' runs of the command take turns.
var runMu sync.Mutex

// faultHarness holds what the rows share: the secret files.
type faultHarness struct {
	tokenFile, basicFile string
}

// run runs one row and makes the assertions every row shares.
func (h *faultHarness) run(t *testing.T, row faultRow) {
	args := row.args(t)
	if row.serial {
		t.Setenv("JSONPROBE_BEARER_TOKEN", faultBearer)
		t.Setenv("JSONPROBE_BASIC_AUTH", "probe:"+faultBasic)
	} else {
		// Before the row's own arguments: a row may end on a flag that
		// lacks its value.
		args = append([]string{"--bearer-token-file", h.tokenFile, "--basic-auth-file", h.basicFile}, args...)
	}
	// The run must end by its -t (10s by default), twice that with a Kuma
	// push, plus faultMargin.
	deadline := budget(args)

	// Rows set up their servers and check their outputs in parallel, but
	// run the command one at a time, so that the time held to the deadline
	// is the run's own and not the other rows' work (a gzip bomb, eight
	// million brackets) on a machine with few cores.
	runMu.Lock()
	start := time.Now()
	code, stdout, stderr := runArgs(t, args...)
	took := time.Since(start)
	runMu.Unlock()

	if row.anyCode {
		assert.True(t, code >= 0 && code <= 3, "exit %d out of 0..3", code)
		assert.Regexp(t, `^JSONPROBE (OK|WARNING|CRITICAL|UNKNOWN) - `, firstLine(stdout))
	} else {
		assert.Equal(t, row.wantCode, code, "exit code\nstdout: %s\nstderr: %s", stdout, stderr)
		assertPattern(t, "first line", row.wantFirst, firstLine(stdout))
		assertPattern(t, "stderr", row.wantStderr, strings.TrimSpace(stderr))
	}
	if state, _, ok := strings.Cut(strings.TrimPrefix(firstLine(stdout), "JSONPROBE "), " - "); ok && strings.HasPrefix(stdout, "JSONPROBE ") {
		assert.Equal(t, []string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}[min(max(code, 0), 3)], state,
			"the status line's state and the exit code %d disagree", code)
	}
	assert.LessOrEqual(t, took, deadline, "run took %s, deadline %s", took, deadline)
	for _, mark := range stackTraceMarks {
		assert.NotContains(t, stdout+stderr, mark, "stack trace in output")
	}
	assert.NotContains(t, stdout, "Incorrect Usage")
	for _, secret := range []string{faultBearer, faultBasic, faultKuma,
		base64.StdEncoding.EncodeToString([]byte("probe:" + faultBasic))} {
		assert.NotContains(t, stdout+stderr, secret, "secret in output")
	}
	t.Logf("exit %d in %s: %s", code, took.Round(time.Millisecond), firstLine(stdout))
	if t.Failed() {
		t.Logf("args: %q\nstdout:\n%s\nstderr:\n%s", args, stdout, stderr)
	}
	if row.check != nil {
		row.check(t, stdout, stderr)
	}
}

// budget is the time a run with args may take: its -t (10s by default),
// twice that when it also pushes to Kuma (the push has a deadline of its
// own), plus faultMargin.
func budget(args []string) time.Duration {
	d := probe.DefaultTimeout
	for i, a := range args {
		if (a == "-t" || a == "--timeout") && i+1 < len(args) {
			if v, err := probe.ParseTimeout(args[i+1]); err == nil {
				d = v
			}
		}
	}
	for _, a := range args {
		if a == "--kuma-url" {
			d *= 2
			break
		}
	}
	return d + faultMargin
}

var patternHoles = strings.NewReplacer(
	regexp.QuoteMeta("{port}"), `[0-9]+`,
	regexp.QuoteMeta("{num}"), `-?[0-9]+(?:\.[0-9]+)?`,
	regexp.QuoteMeta("{path}"), `[^"]+`,
	regexp.QuoteMeta("{any}"), `.*`,
)

// assertPattern asserts that got is want, exactly but for want's
// placeholders.
func assertPattern(t *testing.T, what, want, got string) {
	t.Helper()
	re := regexp.MustCompile(`^` + patternHoles.Replace(regexp.QuoteMeta(want)) + `$`)
	if !re.MatchString(got) {
		t.Errorf("%s:\n got: %s\nwant: %s", what, got, want)
	}
}

// Levels used by most rows: the guide's goroutine thresholds.
var faultLevels = []string{"-w", "goroutines > 2000", "-c", "goroutines > 5000"}

// errPerf is the perfdata of a run that read no document.
const errPerf = " | time={num}s;;;0 size=0B;;;0"

func withLevels(args ...string) []string { return append(args, faultLevels...) }

// quietServer is an httptest server whose own log (TLS handshake errors
// the rows cause on purpose) is discarded.
func quietServer(t *testing.T, h http.Handler, cert *tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

func handlerURL(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	return quietServer(t, h, nil).URL + "/health"
}

// respond answers every request with status, content type and body.
func respond(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	return handlerURL(t, func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}
