package probe

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
)

// redacted is what a hidden secret is shown as.
const redacted = "***"

// kumaPushPath is the path prefix of an Uptime Kuma push URL; the path
// segment after it is the monitor's push token.
const kumaPushPath = "/api/push/"

// RedactURL returns u with secrets hidden: a password in the userinfo becomes
// "***" (user kept), query parameters whose name contains token, key,
// secret, password, auth (and a few kin: pass, pwd, sig, session, cookie,
// credential) get the value "***", and an Uptime Kuma push path
// /api/push/<token> becomes /api/push/***. Everything else is kept byte for
// byte: the string is edited, not re-encoded, so a path or host reads as the
// user wrote it.
//
// A string that does not parse as a URL (a file path, "-") is returned
// unchanged, with one exception for safety: a string with "://" is still
// treated as a URL, since a password with an unescaped "/" or "#" is exactly
// what makes url.Parse fail; its password is then taken to run from the
// first ":" after "://" to the last "@".
//
//	RedactURL("https://bob:hunter2@host/health?api_key=abc&v=1")
//	// "https://bob:***@host/health?api_key=***&v=1"
func RedactURL(u string) string {
	_, err := url.Parse(u)
	if err != nil {
		if !strings.Contains(u, "://") {
			return u
		}
		u = redactUserinfoLoose(u)
	}
	rest, frag, hasFrag := strings.Cut(u, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	if err == nil {
		rest = redactUserinfo(rest)
	}

	var b strings.Builder
	b.Grow(len(u))
	b.WriteString(redactPushPath(rest))
	if hasQuery {
		b.WriteByte('?')
		b.WriteString(redactQuery(query))
	}
	if hasFrag {
		b.WriteByte('#')
		b.WriteString(frag)
	}
	return b.String()
}

// splitAuthority splits s (a URL without query and fragment) into what
// comes before the authority ("https://"), the authority, and the rest (the
// path). ok is false when s has no "//" authority.
func splitAuthority(s string) (before, authority, after string, ok bool) {
	i := strings.Index(s, "//")
	if i < 0 {
		return s, "", "", false
	}
	// The authority follows "scheme://" or a leading "//" only.
	if i > 0 && s[i-1] != ':' {
		return s, "", "", false
	}
	before, rest := s[:i+2], s[i+2:]
	end := strings.IndexByte(rest, '/')
	if end < 0 {
		end = len(rest)
	}
	return before, rest[:end], rest[end:], true
}

// userinfoPassword returns the raw (still escaped) password of the
// authority a, and where it starts and ends in a; ok is false when a has no
// password. Like url.Parse, the userinfo ends at the last "@".
func userinfoPassword(a string) (start, end int, ok bool) {
	at := strings.LastIndexByte(a, '@')
	if at < 0 {
		return 0, 0, false
	}
	colon := strings.IndexByte(a[:at], ':')
	if colon < 0 {
		return 0, 0, false
	}
	return colon + 1, at, true
}

// redactUserinfo hides the password of the authority of s, a URL without
// its query and fragment.
func redactUserinfo(s string) string {
	before, a, after, ok := splitAuthority(s)
	if !ok {
		return s
	}
	start, end, ok := userinfoPassword(a)
	if !ok || start == end {
		return s
	}
	return before + a[:start] + redacted + a[end:] + after
}

// redactUserinfoLoose hides what looks like a password in a string that
// url.Parse rejected: from the first ":" after "scheme://" to the last "@".
func redactUserinfoLoose(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	start, end, ok := userinfoPassword(rest)
	if !ok || start == end {
		return s
	}
	return s[:i+3] + rest[:start] + redacted + rest[end:]
}

// redactPushPath hides the token of an Uptime Kuma push path.
func redactPushPath(s string) string {
	before, a, path, ok := splitAuthority(s)
	if !ok {
		before, a, path = "", "", s
	}
	i := strings.Index(path, kumaPushPath)
	if i < 0 {
		return s
	}
	tok := path[i+len(kumaPushPath):]
	if j := strings.IndexByte(tok, '/'); j >= 0 {
		tok = tok[:j]
	}
	if tok == "" {
		return s
	}
	start := i + len(kumaPushPath)
	return before + a + path[:start] + redacted + path[start+len(tok):]
}

// redactQuery hides the values of the secret parameters of a raw query,
// keeping every other byte as it was.
func redactQuery(q string) string {
	params := strings.Split(q, "&")
	for i, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		if isSecretName(unescapeQuery(name)) {
			params[i] = name + "=" + redacted
		}
	}
	return strings.Join(params, "&")
}

// unescapeQuery decodes a query component, or returns it as it is when it
// is not validly escaped.
func unescapeQuery(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// secretNameParts are the substrings that make a query parameter or a
// header name secret, compared in lower case.
var secretNameParts = []string{
	"token", "key", "secret", "password", "pass", "pwd", "auth",
	"session", "cookie", "credential", "signature",
}

// isSecretName reports whether a query parameter or header called name
// holds a secret.
func isSecretName(name string) bool {
	n := strings.ToLower(name)
	if n == "sig" { // Azure SAS and other signed URLs
		return true
	}
	for _, p := range secretNameParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// Redactor replaces every occurrence of any of its secrets (non-empty
// strings) with "***". It is the last line of defence for text that may
// quote a secret, such as a server's error body; the zero Redactor and a
// nil *Redactor leave strings unchanged.
type Redactor struct {
	secrets  []string
	replacer *strings.Replacer
}

// NewRedactor returns a Redactor for secrets. Empty strings are ignored and
// duplicates dropped; longer secrets are matched first, so a secret that
// contains another is hidden whole.
func NewRedactor(secrets ...string) *Redactor {
	seen := make(map[string]bool, len(secrets))
	var list []string
	for _, s := range secrets {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		list = append(list, s)
	}
	// strings.Replacer tries its pairs in argument order at each position:
	// longest first makes "hunter2!" win over "hunter2".
	sort.SliceStable(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	r := &Redactor{secrets: list}
	if len(list) > 0 {
		pairs := make([]string, 0, 2*len(list))
		for _, s := range list {
			pairs = append(pairs, s, redacted)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r
}

// String returns s with every occurrence of a secret replaced by "***".
func (r *Redactor) String(s string) string {
	if r == nil || r.replacer == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// Secrets returns the secret strings of cfg: BearerToken, BasicAuth and its
// password part (and the base64 form sent on the wire), the URL password
// and secret query values of Target and Kuma.URL (both as written and
// decoded), the Kuma push token, and values of headers whose name is
// Authorization, Cookie, Proxy-Authorization or contains "token", "key",
// "secret" (case-insensitive; also "pass", "auth", "session"), with the
// credentials after an Authorization scheme and each cookie's value also on
// their own when they are 4 bytes or longer. The list has no empty strings
// and no duplicates, in that order; it is meant for NewRedactor.
func (c *Config) Secrets() []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); s != "" && s != redacted {
				out = append(out, s)
			}
		}
	}

	add(c.BearerToken)
	if c.BasicAuth != "" {
		add(c.BasicAuth, base64.StdEncoding.EncodeToString([]byte(c.BasicAuth)))
		if _, pass, ok := strings.Cut(c.BasicAuth, ":"); ok {
			add(pass)
		}
	}
	add(urlSecrets(c.Target)...)
	add(urlSecrets(c.Kuma.URL)...)
	for _, h := range c.Headers {
		if !isSecretHeader(h.Name) {
			continue
		}
		add(h.Value)
		// Parts of the value may be quoted on their own. They are guessed
		// at, so short ones are left out: hiding every "1" of a message
		// for a cookie a=1 would garble it and protect nothing.
		addPart := func(s string) {
			if s = strings.TrimSpace(s); len(s) >= minPartLen {
				add(s)
			}
		}
		switch strings.ToLower(h.Name) {
		case "authorization", "proxy-authorization":
			// "Bearer abc": abc alone.
			if _, cred, ok := strings.Cut(strings.TrimSpace(h.Value), " "); ok {
				addPart(cred)
			}
		case "cookie":
			for _, kv := range strings.Split(h.Value, ";") {
				if _, v, ok := strings.Cut(kv, "="); ok {
					addPart(v)
				}
			}
		}
	}

	seen := make(map[string]bool, len(out))
	uniq := out[:0]
	for _, s := range out {
		if !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

// minPartLen is the shortest part of a secret header value that Secrets
// lists on its own.
const minPartLen = 4

// isSecretHeader reports whether a request header called name carries a
// secret.
func isSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie":
		return true
	}
	return isSecretName(name)
}

// urlSecrets returns the secrets in the URL u: its password, the values of
// its secret query parameters and its Kuma push token, each as written and
// decoded.
func urlSecrets(u string) []string {
	if u == "" {
		return nil
	}
	var out []string
	if _, err := url.Parse(u); err != nil {
		// Not parseable as written: take RedactURL's loose reading.
		if i := strings.Index(u, "://"); i >= 0 {
			tail := u[i+3:]
			if start, end, ok := userinfoPassword(tail); ok {
				out = append(out, tail[start:end])
			}
		}
	}
	rest, _, _ := strings.Cut(u, "#")
	rest, query, _ := strings.Cut(rest, "?")
	if _, a, path, ok := splitAuthority(rest); ok {
		if start, end, ok := userinfoPassword(a); ok {
			raw := a[start:end]
			out = append(out, raw)
			if d, err := url.PathUnescape(raw); err == nil {
				out = append(out, d)
			}
			// Go sends URL userinfo as basic auth; a service may echo it.
			if pu, err := url.Parse(u); err == nil && pu.User != nil && raw != "***" {
				pw, _ := pu.User.Password()
				out = append(out, base64.StdEncoding.EncodeToString([]byte(pu.User.Username()+":"+pw)))
			}
		}
		rest = path
	}

	if i := strings.Index(rest, kumaPushPath); i >= 0 {
		tok := rest[i+len(kumaPushPath):]
		if j := strings.IndexByte(tok, '/'); j >= 0 {
			tok = tok[:j]
		}
		out = append(out, tok)
		if d, err := url.PathUnescape(tok); err == nil {
			out = append(out, d)
		}
	}

	for _, p := range strings.Split(query, "&") {
		name, value, ok := strings.Cut(p, "=")
		if ok && isSecretName(unescapeQuery(name)) {
			out = append(out, value, unescapeQuery(value))
		}
	}
	return out
}
