package probe

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
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
// (127.0.0.1:18080/health), which would be read as a file and reported as
// an outage: when target has no scheme, file (the path it would be read
// from) does not exist, and target reads as host[:port]/path, it is a
// usage error that says which URL was meant.
func missingScheme(target, file string) error {
	if target == "" || target == "-" || strings.Contains(target, "://") {
		return nil
	}
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	host, _, hasPath := strings.Cut(target, "/")
	if !looksLikeHost(host, hasPath) {
		return nil
	}
	meant := redact.URL("http://" + target) // a password in user:password@ included
	return fmt.Errorf("target %q: no such file; did you mean %s?", strings.TrimPrefix(meant, "http://"), meant)
}

// looksLikeHost reports whether s reads as the host[:port] of a URL: a
// port, an IP address, localhost, or (before a path) a dotted name whose
// last label is letters, as a domain's is.
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
	last := labels[len(labels)-1]
	if !beforePath || len(labels) < 2 || len(last) < 2 {
		return false
	}
	for _, r := range last {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != "" && len(s) <= 5
}
