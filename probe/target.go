package probe

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/jsonprobe/jsonprobe/redact"
)

// The target: what it may be (an http(s) URL, a file, "-"), and the hint
// for a URL written without its scheme.

// targetKind is what a target names.
type targetKind int

const (
	targetFile targetKind = iota
	targetStdin
	targetHTTP
)

// checkTarget checks the target's form and says what it names: an http(s)
// URL, "-" (stdin), or a file. Its error quotes the target as given (the
// Report's redactor hides its secrets).
func checkTarget(target string) (targetKind, error) {
	switch {
	case target == "":
		return 0, errors.New("no target: give a URL, a file or - for stdin")
	case target == "-":
		return targetStdin, nil
	case hasScheme(target, "http") || hasScheme(target, "https"):
		return targetHTTP, nil
	case strings.Contains(target, "://"):
		return 0, fmt.Errorf("target %s: unsupported URL scheme (want http://, https://, a file or -)", target)
	}
	return targetFile, nil
}

// hasScheme reports whether u starts with scheme:// in any case.
func hasScheme(u, scheme string) bool {
	p := scheme + "://"
	return len(u) > len(p) && strings.EqualFold(u[:len(p)], p)
}

// missingScheme catches a URL written without its scheme
// (127.0.0.1:18080/health, your-server/api/health, app1.example.com),
// which would be read as a file and reported as an outage: when target has
// no scheme, file (the path it would be read from) does not exist, and
// target reads as host[:port][/path], it is a usage error that says which
// URL was meant.
func missingScheme(target, file string) error {
	if target == "" || target == "-" || strings.Contains(target, "://") {
		return nil
	}
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	host, _, hasPath := strings.Cut(target, "/")
	if !looksLikeHost(host, hasPath) && !(hasPath && isLabel(host) && !dataFile(target) && noFolder(file)) {
		return nil
	}
	meant := redact.URL("http://" + target) // a password in user:password@ included
	return fmt.Errorf("target %q: no such file; did you mean %s?", strings.TrimPrefix(meant, "http://"), meant)
}

// looksLikeHost reports whether s reads as the host[:port] of a URL: a
// port, an IP address, localhost, or a dotted name whose last label is
// letters, as a domain's is (alone, with three labels or more, or a last
// label no data file ends in: health.json stays a file name).
func looksLikeHost(s string, beforePath bool) bool {
	if _, after, ok := strings.Cut(s, "@"); ok {
		s = after
	}
	if h, port, err := net.SplitHostPort(s); err == nil && h != "" && isDigits(port) {
		return true
	}
	if s == "localhost" || net.ParseIP(s) != nil {
		return true
	}
	labels := strings.Split(s, ".")
	last := strings.ToLower(labels[len(labels)-1])
	switch {
	case len(labels) < 2 || len(last) < 2 || strings.Trim(last, "abcdefghijklmnopqrstuvwxyz") != "":
		return false
	case beforePath || len(labels) > 2:
		return true
	}
	return !dataFile(s)
}

// dataFile reports whether name ends as a data file's name does
// (health.json, out.log): a file meant, not a host.
func dataFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json", ".jsonl", ".yaml", ".yml", ".txt", ".log", ".out":
		return true
	}
	return false
}

// isLabel reports whether s is a host name without dots (your-server): letters,
// digits and hyphens, not at either end.
func isLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	return strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// noFolder reports whether the folder a file would be in does not exist
// either: then your-server/api/health names no file at all.
func noFolder(file string) bool {
	_, err := os.Stat(filepath.Dir(file))
	return errors.Is(err, fs.ErrNotExist)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != "" && len(s) <= 5
}
