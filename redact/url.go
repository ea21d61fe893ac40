package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// kumaPushPath is the path prefix of an Uptime Kuma push URL; the path
// segment after it is the monitor's push token.
const kumaPushPath = "/api/push/"

// URL returns u with its secrets hidden: a password in the userinfo
// becomes "***" (user kept), a userinfo without a password (a token used
// as the user name, "https://TOKEN@host/"; also "TOKEN:@host") has its
// user name become "***", query parameters whose name contains token,
// key, secret, password, auth (and a few kin: pass, pwd, session, cookie,
// credential, signature) or is sig, sign, jwt, code or sid get the value
// "***", and an Uptime Kuma push path /api/push/<token> becomes
// /api/push/***. Everything else is kept byte for byte: the string is
// edited, not re-encoded, so a path or host reads as the user wrote it.
//
// A string that does not parse as a URL (a file path, "-") is returned
// unchanged, with one exception for safety: a string with "://" is still
// treated as a URL, since a password with an unescaped "/" or "#" is
// exactly what makes url.Parse fail; its password is then taken to run
// from the first ":" after "://" to the last "@" (or, without such a ":",
// the user name to be what comes before the "@" that ends the authority).
//
//	URL("https://bob:hunter2@host/health?api_key=abc&v=1")
//	// "https://bob:***@host/health?api_key=***&v=1"
//	URL("https://ghp_abc123@host/")
//	// "https://***@host/"
func URL(u string) string { return hideURL(u, nil) }

// hideURL is URL that also hides the query parameters named in params.
func hideURL(u string, params []string) string {
	spans, _ := findSecrets(u, params)
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(u[last:s.start] + redacted)
		last = s.end
	}
	b.WriteString(u[last:])
	return b.String()
}

// urlSecrets lists the secrets of the URL u, as written and decoded: its
// password (or its user name when it has none) with the basic-auth
// credentials Go sends for them, its Kuma push token and the values of
// its secret query parameters (params names more).
func urlSecrets(u string, params []string) []string {
	spans, parsed := findSecrets(u, params)
	var out []string
	for _, s := range spans {
		raw := u[s.start:s.end]
		out = append(out, raw)
		decode := url.PathUnescape
		if s.part == queryValue {
			decode = url.QueryUnescape
		}
		if d, err := decode(raw); err == nil {
			out = append(out, d)
		}
		// Go sends URL userinfo as basic auth, "user:" when there is no
		// password; a service may echo it.
		if s.part == userinfo && parsed != nil && parsed.User != nil && raw != redacted {
			pw, _ := parsed.User.Password()
			out = append(out, base64.StdEncoding.EncodeToString([]byte(parsed.User.Username()+":"+pw)))
		}
	}
	return out
}

// part is the part of a URL a secret is in, which says how it is escaped.
type part uint8

const (
	userinfo   part = iota // path-escaped
	pushToken              // path-escaped
	queryValue             // query-escaped
)

// span is where one secret of a URL string u is: u[start:end].
type span struct {
	start, end int
	part       part
}

// findSecrets returns where the secrets of the URL string u are, in the
// order they come, and u as url.Parse reads it (nil when it cannot).
// A string that does not parse and holds no "://" is no URL: it has none.
// One that holds "://" is read loosely: its userinfo by
// looseUserinfoSecret, and its query and fragment from the end of that.
func findSecrets(u string, params []string) (spans []span, parsed *url.URL) {
	parsed, err := url.Parse(u)
	if err != nil {
		parsed = nil
		if !strings.Contains(u, "://") {
			return nil, nil
		}
	}
	// from is where the rest of u goes on after a loosely read secret,
	// whose raw "#" or "?" starts no fragment or query.
	from := 0
	if err != nil {
		at := strings.Index(u, "://") + 3
		if start, end, ok := looseUserinfoSecret(u[at:]); ok {
			spans = append(spans, span{at + start, at + end, userinfo})
			from = at + end
		}
	}
	frag := upTo(u, from, '#')
	query := upTo(u[:frag], from, '?')
	path := 0
	if from > 0 {
		path = upTo(u[:query], from, '/')
	} else if a, b, ok := authority(u[:query]); ok {
		if start, end, ok := userinfoSecret(u[a:b]); ok && parsed != nil {
			spans = append(spans, span{a + start, a + end, userinfo})
		}
		path = b
	}
	if i := strings.Index(u[path:query], kumaPushPath); i >= 0 {
		start := path + i + len(kumaPushPath)
		if stop := upTo(u[:query], start, '/'); stop > start {
			spans = append(spans, span{start, stop, pushToken})
		}
	}
	for i := query + 1; i <= frag; {
		p := u[i:upTo(u[:frag], i, '&')]
		name, value, ok := strings.Cut(p, "=")
		if ok && value != "" && isSecretName(unescapeQuery(name), params) {
			spans = append(spans, span{i + len(name) + 1, i + len(p), queryValue})
		}
		i += len(p) + 1
	}
	return spans, parsed
}

// upTo returns where the first c at or after from is in s, or len(s).
func upTo(s string, from int, c byte) int {
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return from + i
	}
	return len(s)
}

// authority returns where the authority of s, a URL without query and
// fragment, starts and ends: after "scheme://" or a leading "//", up to
// the path. ok is false when s has no authority.
func authority(s string) (start, end int, ok bool) {
	i := strings.Index(s, "//")
	if i < 0 || i > 0 && s[i-1] != ':' {
		return 0, 0, false
	}
	return i + 2, upTo(s, i+2, '/'), true
}

// userinfoSecret returns where the secret of the authority a starts and
// ends in a: the password, or the whole user name when there is no
// password (a token used as the user name: Go sends it as basic auth, with
// an empty password). ok is false when a has no userinfo or an empty one.
// Like url.Parse, the userinfo ends at the last "@".
func userinfoSecret(a string) (start, end int, ok bool) {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 {
		return 0, 0, false
	}
	colon := strings.IndexByte(a[:at], ':')
	switch {
	case colon < 0: // "TOKEN@host"
		return 0, at, true
	case colon+1 < at: // "user:password@host"
		return colon + 1, at, true
	case colon > 0: // "TOKEN:@host"
		return 0, colon, true
	}
	return 0, 0, false // ":@host"
}

// looseUserinfoSecret is userinfoSecret for rest, what follows "://" in a
// string that url.Parse rejected. A password may hold a raw "/", "?", "#"
// or "@" (that is what made url.Parse fail), so it runs from the first ":"
// to the last "@", as long as what comes before that ":" looks like a user
// name; otherwise the secret is taken to be a user name, ending at the
// last "@" before the path, query or fragment.
func looseUserinfoSecret(rest string) (start, end int, ok bool) {
	if at := strings.LastIndexByte(rest, '@'); at > 0 {
		colon := strings.IndexByte(rest[:at], ':')
		if colon > 0 && colon+1 < at && !strings.ContainsAny(rest[:colon], "/?#@") {
			return colon + 1, at, true
		}
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	return userinfoSecret(authority)
}

// unescapeQuery decodes a query component, or returns it as it is when it
// is not validly escaped.
func unescapeQuery(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}
