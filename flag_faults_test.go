package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestFlagFaults: a flag with a malformed value, or flags that do not go
// together, is a usage error: exit 3 with the reason on the first line.
func TestFlagFaults(t *testing.T) {
	runFaults(t, flagRows())
}

// TestSecretFileFaults: secret files that are missing, empty or malformed,
// and secrets given through the environment instead.
func TestSecretFileFaults(t *testing.T) {
	runFaults(t, secretRows())
}

// flagRows: each flag's malformed values, flags that need another, and
// arguments that are not one target.
func flagRows() []faultRow {
	// usage is a row for bad input: exit 3 with reason on the first line.
	usage := func(name, reason string, args ...string) faultRow {
		return faultRow{name: name, args: func(*testing.T) []string { return args },
			wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - " + reason}
	}
	const target = "http://127.0.0.1:1/health" // never contacted
	kumaURL := "https://kuma.example.com/api/push/" + faultKuma + "?status=up&msg=OK&ping="
	return []faultRow{
		usage("-t not a duration", `timeout "soon": want seconds (10) or a duration (10s, 1m)`, target, "-t", "soon"),
		usage("-t zero", `timeout "0": must be greater than 0`, target, "-t", "0"),
		usage("-t negative", `timeout "-5s": must be greater than 0`, target, "-t", "-5s"),
		usage("-t over a day", `timeout "25h": at most 24h0m0s`, target, "-t", "25h"),
		usage("--max-body not a size", `--max-body: size "lots": want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576`, target, "--max-body", "lots"),
		usage("--max-body zero", `--max-body: size "0": want a size from 1B to 1TiB, such as 16MiB, 512KB or 1048576`, target, "--max-body", "0"),
		usage("--expect-status word", `expect_status "ok": "ok" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "ok"),
		usage("--expect-status 600", `expect_status "200,600": "600" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "200,600"),
		usage("--expect-status reversed range", `expect_status "299-200": "299-200" is not a status code, class (2xx) or range (200-299)`, target, "--expect-status", "299-200"),
		usage("--on-error unknown word", `--on-error: state "fatal": want ok, warning, critical or unknown`, target, "--on-error", "fatal"),
		usage("--on-missing number", `--on-missing: state "3": want ok, warning, critical or unknown`, target, "--on-missing", "3"),
		usage("-o unknown format", `--output "xml": want nagios, json, kuma or prometheus`, target, "-o", "xml"),
		usage("-o kuma without a push URL", "-o kuma needs the push URL: --kuma-url, JSONPROBE_KUMA_URL or kuma.url_env in the checks file", target, "-o", "kuma"),
		usage("-m bad range", `metric "x;1-10": range "1-10": "1-10" is not a number`, target, "-m", "x;1-10"),
		usage("-m empty path", `metric "=label": missing path`, target, "-m", "=label"),
		usage("-m reserved label", `metric "x=time": label "time" is the fetch's own; choose another`, target, "-m", "x=time"),
		usage("-H without a colon", `-H: header number 1 is not of the form 'Name: value'`, target, "-H", "X-Api-Key "+faultBearer),
		usage("-H bad name", `header "Bad@Name": not a valid header name`, target, "-H", "Bad@Name: v"),
		usage("-H value with a line break", `header "X-Api-Key": its value holds a line break or another control character`, target, "-H", "X-Api-Key: "+faultBearer+"\r\nX-Evil: 1"),
		usage("-w bad expression", `-w: expression "goroutines >> 5000": unexpected ">" at column 13, expected a value`, target, "-w", "goroutines >> 5000"),
		usage("-c unclosed call", `-c: expression "exists(": {any}`, target, "-c", "exists("),
		usage("-c bad regexp", `-c: expression "name =~ \"(\"": {any}`, target, "-c", `name =~ "("`),
		usage("-c number with a unit", `-c: expression "memory > 10%": {any}`, target, "-c", "memory > 10%"),
		usage("-c expression naming the token", `-c: expression "*** >> 1": unexpected ">" at column {num}, expected a value`, target, "-c", faultBearer+" >> 1"),
		usage("--kuma-url not a push URL", "kuma url https://kuma.example.com/dashboard/7: want a Push monitor URL ending in /api/push/TOKEN", target, "--kuma-url", "https://kuma.example.com/dashboard/7"),
		usage("--kuma-url not http", "kuma url ftp://kuma.example.com/api/push/***: want http(s)://host/api/push/TOKEN", target, "--kuma-url", "ftp://kuma.example.com/api/push/"+faultKuma),
		usage("--kuma-url with a push token, bad --kuma-warning-as", `--kuma-warning-as "sideways": want up or down`, target, "--kuma-url", kumaURL, "--kuma-warning-as", "sideways"),
		usage("-X with a space", `method "GE T": not a valid HTTP method`, target, "-X", "GE T"),
		usage("--ca-file missing", `ca file "/nonexistent/ca.pem": no such file`, "https://127.0.0.1:1/", "--ca-file", "/nonexistent/ca.pem"),
		{name: "--ca-file not PEM", args: func(t *testing.T) []string {
			return []string{"https://127.0.0.1:1/", "--ca-file", writeFile(t, "ca.pem", "not a certificate\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - ca file "{path}": no certificates found`},
		usage("--client-cert without --client-key", `client cert "/nonexistent/cert.pem": no client key (--client-key)`, "https://127.0.0.1:1/", "--client-cert", "/nonexistent/cert.pem"),
		usage("--data-file missing", `--data-file "/nonexistent/body.json": no such file`, target, "--data-file", "/nonexistent/body.json"),
		usage("--data and --data-file", "--data and --data-file: give one of them", target, "--data", "{}", "--data-file", "/nonexistent/body.json"),
		usage("unsupported URL scheme", "target ftp://host/health.json: unsupported URL scheme (want http://, https://, a file or -)", "ftp://host/health.json"),
		usage("unsupported URL scheme with a password", "target gopher://user:***@host/: unsupported URL scheme (want http://, https://, a file or -)", "gopher://user:"+faultBasic+"@host/"),
		usage("flag without its value at the end", "flag needs an argument: -c", target, "-c"),
		usage("-t without its value at the end", "flag needs an argument: -t", target, "-t"),
		usage("unknown flag", "flag provided but not defined: -frobnicate", target, "--frobnicate"),
		usage("two targets", "one TARGET expected, got 2: a.json b.json", "a.json", "b.json"),
		usage("no target", "no target: give a URL, file or - as TARGET, -u URL, or url: in the checks file", "-c", "a > 1"),
	}
}

// secretRows pass secret files of their own, so the configured secrets come
// from the environment instead: serial rows.
func secretRows() []faultRow {
	const target = "http://127.0.0.1:1/health"
	return []faultRow{
		{name: "--bearer-token-file missing", serial: true, args: func(*testing.T) []string {
			return []string{target, "--bearer-token-file", "/nonexistent/token"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "/nonexistent/token": no such file`},
		{name: "--bearer-token-file empty", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--bearer-token-file", writeFile(t, "token", "\n")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "{path}/token": the file is empty`},
		{name: "--bearer-token-file is a directory", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--bearer-token-file", t.TempDir()}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --bearer-token-file "{path}": is a directory, not a file`},
		{name: "--basic-auth-file missing", serial: true, args: func(*testing.T) []string {
			return []string{target, "--basic-auth-file", "/nonexistent/basic"}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --basic-auth-file "/nonexistent/basic": no such file`},
		{name: "--basic-auth-file empty", serial: true, args: func(t *testing.T) []string {
			return []string{target, "--basic-auth-file", writeFile(t, "basic", "")}
		}, wantCode: 3, wantFirst: `JSONPROBE UNKNOWN - --basic-auth-file "{path}/basic": the file is empty`},
		{name: "--basic-auth-file without a colon", serial: true, args: func(t *testing.T) []string {
			// The file holds the password alone: the message must not show it.
			return []string{target, "--basic-auth-file", writeFile(t, "basic", faultBasic+"\n")}
		}, wantCode: 3, wantFirst: "JSONPROBE UNKNOWN - basic auth: want user:password"},
		{name: "secrets from the environment reach the server", serial: true, args: func(t *testing.T) []string {
			u := handlerURL(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]string{"auth": r.Header.Get("Authorization")})
			})
			return []string{u, "-v", "-c", `auth != "Bearer ` + faultBearer + `"`}
		}, wantCode: 0, wantFirst: "JSONPROBE OK - 1 check OK | time={num}s;;;0 size={num}B;;;0"},
	}
}
