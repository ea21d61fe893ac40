package probe

import (
	"encoding/base64"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// redacted is what a hidden secret is shown as.
const redacted = "***"

// kumaPushPath is the path prefix of an Uptime Kuma push URL; the path
// segment after it is the monitor's push token.
const kumaPushPath = "/api/push/"

// RedactURL returns u with secrets hidden: a password in the userinfo becomes
// "***" (user kept), a userinfo without a password (a token used as the
// user name, "https://TOKEN@host/"; also "TOKEN:@host") has its user name
// become "***", query parameters whose name contains token, key,
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
// first ":" after "://" to the last "@" (or, without such a ":", the user
// name to be what comes before the "@" that ends the authority).
//
//	RedactURL("https://bob:hunter2@host/health?api_key=abc&v=1")
//	// "https://bob:***@host/health?api_key=***&v=1"
//	RedactURL("https://ghp_abc123@host/")
//	// "https://***@host/"
func RedactURL(u string) string { return redactURL(u, nil) }

// redactURL is RedactURL that also hides the query parameters named in
// extra (lower case).
func redactURL(u string, extra []string) string {
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
		b.WriteString(redactQuery(query, extra))
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

// redactUserinfo hides the secret of the userinfo of s, a URL without its
// query and fragment.
func redactUserinfo(s string) string {
	before, a, after, ok := splitAuthority(s)
	if !ok {
		return s
	}
	start, end, ok := userinfoSecret(a)
	if !ok {
		return s
	}
	return before + a[:start] + redacted + a[end:] + after
}

// redactUserinfoLoose hides what looks like the userinfo's secret in a
// string that url.Parse rejected (see looseUserinfoSecret).
func redactUserinfoLoose(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	start, end, ok := looseUserinfoSecret(rest)
	if !ok {
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
func redactQuery(q string, extra []string) string {
	params := strings.Split(q, "&")
	for i, p := range params {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" {
			continue
		}
		if isSecretName(unescapeQuery(name), extra) {
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

// secretNames are the short names that make a query parameter secret only
// when they are the whole name, in lower case: sid is a secret and side
// is not, code is and country_code is not.
var secretNames = []string{"sig", "sign", "jwt", "code", "sid"}

// isSecretName reports whether a query parameter or header called name
// holds a secret: by the names above, or by extra, names a user added
// (whole names, in lower case).
func isSecretName(name string, extra []string) bool {
	n := strings.ToLower(name)
	if slices.Contains(secretNames, n) || slices.Contains(extra, n) {
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
	params   []string // query parameters a user named secret, lower case
}

// NewRedactor returns a Redactor for secrets. Empty strings are ignored and
// duplicates dropped; longer secrets are matched first, so a secret that
// contains another is hidden whole.
//
// Each secret is also matched in the forms JSON encoders write it in when
// they quote it: with '"', '\' and control characters escaped, and also
// with "/" as "\/" (PHP), every non-ASCII character as \uXXXX (PHP,
// Python) or <, > and & as \u003c, \u003e, \u0026 (Go).
func NewRedactor(secrets ...string) *Redactor {
	seen := make(map[string]bool, len(secrets))
	var list, patterns []string
	for _, s := range secrets {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		list = append(list, s)
		patterns = append(patterns, s)
	}
	for _, s := range list {
		for _, esc := range quotingStyles {
			if e := string(appendJSONString(nil, s, esc)); !seen[e] {
				seen[e] = true
				patterns = append(patterns, e)
			}
		}
	}
	// strings.Replacer tries its pairs in argument order at each position:
	// longest first makes "hunter2!" win over "hunter2".
	sort.SliceStable(list, func(i, j int) bool { return len(list[i]) > len(list[j]) })
	sort.SliceStable(patterns, func(i, j int) bool { return len(patterns[i]) > len(patterns[j]) })
	r := &Redactor{secrets: list}
	if len(patterns) > 0 {
		pairs := make([]string, 0, 2*len(patterns))
		for _, s := range patterns {
			pairs = append(pairs, s, redacted)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r
}

// String returns s with every occurrence of a secret, as it is or
// JSON-escaped, replaced by "***".
//
// String may break JSON text (the secret a\ is found in the literal
// "a\"b", which does not hold it); use JSON for that.
func (r *Redactor) String(s string) string {
	if r == nil || r.replacer == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// Message is String for an error's text, which may also quote a URL whose
// secrets the Redactor was not told (the Location of a redirect): each URL
// in s is redacted by its form as well, as RedactURL does.
func (r *Redactor) Message(s string) string {
	s = r.String(s)
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeByte(s[start-1]) {
			start--
		}
		end := i + 3
		for end < len(s) && !isURLEnd(s[end]) {
			end++
		}
		// A URL that ends a clause: "GET http://host/x: refused".
		for end > i+3 && strings.IndexByte(".,:;)]}!", s[end-1]) >= 0 {
			end--
		}
		b.WriteString(s[:start])
		b.WriteString(r.URL(s[start:end]))
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// URL is RedactURL that also hides the query parameters the user named
// (Config.RedactParams).
func (r *Redactor) URL(u string) string {
	if r == nil {
		return RedactURL(u)
	}
	return redactURL(u, r.params)
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isURLEnd(c byte) bool {
	return c <= ' ' || strings.IndexByte("\"'<>`", c) >= 0
}

// redactedError carries a fetch error's redacted text while keeping the
// original for errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// redactReport redacts rep in place, once, where its values have all entered it:
// the target (by its form, RedactURL), and with r and the target's own URL
// secrets (known is the target r was made for) the error, every string of
// the outcomes and the perfdata labels.
func (r *Redactor) redactReport(rep *Report, known string) {
	red := r
	if rep.Target != known {
		red = r.withURL(rep.Target)
	}
	rep.Target = red.URL(rep.Target)
	if rep.Err != nil {
		rep.Err = redactedError{red.Message(rep.Err.Error()), rep.Err}
	}
	redactOutcomes(rep.Outcomes, red)
	for i := range rep.Perf {
		rep.Perf[i].Label = red.String(rep.Perf[i].Label)
	}
	values := rep.Values[:0]
	for _, v := range rep.Values {
		// A number that holds a secret (a service echoing a numeric token)
		// is left out: a sample cannot be shown redacted.
		if red != nil && red.replacer != nil {
			if txt := strconv.FormatFloat(v.Value, 'f', -1, 64); red.String(txt) != txt {
				continue
			}
		}
		v.Path = red.String(v.Path)
		values = append(values, v)
	}
	rep.Values = values
}

// withURL is r with the secrets of the URL u added (none to add: r).
func (r *Redactor) withURL(u string) *Redactor {
	var secrets, params []string
	if r != nil {
		secrets, params = r.secrets, r.params
	}
	extra := urlSecrets(u, params)
	if len(extra) == 0 {
		return r
	}
	red := NewRedactor(append(extra, secrets...)...)
	red.params = params
	return red
}

// redactOutcomes hides the secrets in every string of the outcomes: a
// service may echo a credential back in its document, and an operator may
// name a check after one.
func redactOutcomes(outcomes []Outcome, redact *Redactor) {
	value := func(v *expr.Value) {
		raw := redact.JSON(v.Raw)
		if raw != v.Raw && v.Kind == expr.Number {
			// A number that holds a secret is shown as redacted text.
			*v = expr.Value{Kind: expr.String, Str: redact.String(v.Raw), Raw: raw}
			return
		}
		v.Str, v.Raw = redact.String(v.Str), raw
	}
	for i := range outcomes {
		o := &outcomes[i]
		for _, s := range []*string{&o.Name, &o.Expr, &o.Summary, &o.Message} {
			*s = redact.String(*s)
		}
		if o.Value != nil {
			v := *o.Value
			value(&v)
			o.Value = &v
		}
		obs := make([]expr.Observation, len(o.Observations))
		for j, ob := range o.Observations {
			ob.Subject, ob.Path = redact.String(ob.Subject), redact.String(ob.Path)
			value(&ob.Value)
			obs[j] = ob
		}
		o.Observations = obs
		if o.Err != nil {
			o.Err = redactedError{redact.String(o.Err.Error()), o.Err}
		}
	}
}

// JSON returns raw, a JSON text (a document or any value in one: an object,
// array, string literal, number), with every occurrence of a secret inside
// its string literals replaced by "***", however the server escaped it:
// "ab\/cd", "\u0061b/cd" and "a\u0062/cd" all hide the secret "ab/cd". A
// number or literal that holds a secret becomes a string with the secret
// replaced, 123456 with the secret "3456" becoming "12***", so valid JSON
// stays valid. Literals without a secret are kept byte for byte; one with
// a secret is written again with only the escapes JSON needs ('"', '\',
// control characters) and \uXXXX for other non-printable characters.
//
// Text that is not JSON (an unterminated string, an unknown escape, a word
// that is no number, true, false or null) is redacted with String instead.
//
//	NewRedactor("ab/cd").JSON(`{"auth":"Bearer ab\/cd","n":1}`)
//	// `{"auth":"Bearer ***","n":1}`
func (r *Redactor) JSON(raw string) string {
	if r == nil || r.replacer == nil {
		return raw
	}
	j := jsonRedaction{replacer: r.replacer, raw: raw}
	if !j.scan((*jsonRedaction).unescape) {
		return r.String(raw)
	}
	// One string for the text of every escaped literal: strings.Replacer
	// wants strings, and one conversion per literal would allocate as many.
	j.decoded = string(j.buf)
	j.scan((*jsonRedaction).redact)
	if j.out == nil {
		return raw
	}
	j.out = append(j.out, raw[j.last:]...)
	return string(j.out)
}

// jsonRedaction is the state of one call to Redactor.JSON, which scans raw
// twice: once to check its syntax and unescape its literals into buf, then
// to redact them. The output is only built from the first change on:
// raw[last:] is what is left to copy.
type jsonRedaction struct {
	replacer *strings.Replacer
	raw      string
	buf      []byte // the text of the escaped literals, one after another
	ends     []int  // where the text of each escaped literal ends in buf
	decoded  string // buf, for the second scan
	next     int    // the escaped literal the second scan is at
	out      []byte
	last     int
	replaced byteWriter // scratch: the replacer's output
}

// scan walks j.raw: string literals and the other tokens (numbers, true,
// false, null) between the punctuation and white space. It calls visit
// with the bounds of each, and whether a literal has escapes; it stops and
// reports false if a literal is unterminated, a token cannot start a number
// or literal, or visit reports false: then j.raw is no JSON text.
func (j *jsonRedaction) scan(visit func(j *jsonRedaction, start, end int, escaped bool) bool) bool {
	raw := j.raw
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case ' ', '\t', '\n', '\r', '{', '}', '[', ']', ':', ',':
			i++
			continue
		case '"':
			end, escaped := -1, false
			for k := i + 1; k < len(raw); k++ {
				if raw[k] == '\\' {
					escaped = true
					k++ // the escaped byte cannot end the literal
				} else if raw[k] == '"' {
					end = k + 1
					break
				}
			}
			if end < 0 || !visit(j, i, end, escaped) {
				return false
			}
			i = end
		default:
			// A number or true, false, null; anything else is not JSON.
			if c != '-' && (c < '0' || c > '9') && c != 't' && c != 'f' && c != 'n' {
				return false
			}
			end := i + 1
			for end < len(raw) && !isJSONDelim(raw[end]) {
				end++
			}
			if !visit(j, i, end, false) {
				return false
			}
			i = end
		}
	}
	return true
}

// isJSONDelim reports whether c ends a JSON number or literal.
func isJSONDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '{', '}', '[', ']', ':', ',', '"':
		return true
	}
	return false
}

// unescape appends the text of the literal j.raw[start:end] to j.buf if it
// has escapes; it reports false for an invalid escape.
func (j *jsonRedaction) unescape(start, end int, escaped bool) bool {
	if !escaped {
		return true
	}
	var ok bool
	j.buf, ok = appendUnescaped(j.buf, j.raw[start+1:end-1])
	j.ends = append(j.ends, len(j.buf))
	return ok
}

// redact hides the secrets in the literal or token j.raw[start:end]:
// matched in the text of a literal, it is written again; a number or
// literal becomes a string.
func (j *jsonRedaction) redact(start, end int, escaped bool) bool {
	text := j.raw[start:end]
	if j.raw[start] == '"' {
		text = text[1 : len(text)-1]
	}
	if escaped {
		from := 0
		if j.next > 0 {
			from = j.ends[j.next-1]
		}
		text = j.decoded[from:j.ends[j.next]]
		j.next++
	}
	j.replaced.b = j.replaced.b[:0]
	_, _ = j.replacer.WriteString(&j.replaced, text)
	if string(j.replaced.b) == text {
		return true
	}
	if j.out == nil {
		j.out = make([]byte, 0, len(j.raw)+8)
	}
	j.out = append(j.out, j.raw[j.last:start]...)
	j.out = append(j.out, '"')
	j.out = appendJSONString(j.out, string(j.replaced.b), escNonPrintable)
	j.out = append(j.out, '"')
	j.last = end
	return true
}

// byteWriter is an io.Writer and io.StringWriter appending to b, for
// strings.Replacer.WriteString without an allocation per call.
type byteWriter struct{ b []byte }

func (w *byteWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *byteWriter) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}

// appendUnescaped appends the text of the JSON string literal whose
// content (between the quotes) is s to dst. A \u escape of a lone UTF-16
// surrogate becomes U+FFFD, as in encoding/json. ok is false for an
// invalid escape.
func appendUnescaped(dst []byte, s string) (_ []byte, ok bool) {
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			n := strings.IndexByte(s[i:], '\\')
			if n < 0 {
				n = len(s) - i
			}
			dst = append(dst, s[i:i+n]...)
			i += n
			continue
		}
		if i+1 >= len(s) {
			return dst, false
		}
		switch s[i+1] {
		case '"', '\\', '/':
			dst = append(dst, s[i+1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s, i+2)
			if !ok {
				return dst, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					}
				}
			}
			dst = utf8.AppendRune(dst, r) // a lone surrogate: U+FFFD
			continue
		default:
			return dst, false
		}
		i += 2
	}
	return dst, true
}

// hex4 decodes the four hex digits at s[i:i+4].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// jsonEscaping says which characters a JSON encoder writes as \uXXXX (or
// "\/") beyond '"', '\' and the control characters, which it always
// escapes.
type jsonEscaping uint8

const (
	escNonPrintable jsonEscaping = 1 << iota // not unicode.IsPrint
	escSlash                                 // "/" as "\/" (PHP)
	escNonASCII                              // beyond U+007F (PHP, Python)
	escHTML                                  // <, >, & (Go's encoding/json)
)

// quotingStyles are the ways JSON encoders commonly escape a string, for
// NewRedactor: plain, PHP's default and with JSON_UNESCAPED_UNICODE,
// Python's default, Go's default.
var quotingStyles = []jsonEscaping{0, escSlash | escNonASCII, escSlash, escNonASCII, escHTML}

// appendJSONString appends s to dst as the content of a JSON string literal
// (without the quotes), escaping '"', '\', control characters and what esc
// adds. Bytes that are not UTF-8 are kept as they are.
func appendJSONString(dst []byte, s string, esc jsonEscaping) []byte {
	const hex = "0123456789abcdef"
	u := func(dst []byte, r rune) []byte {
		return append(dst, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = append(dst, s[i])
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\b':
			dst = append(dst, '\\', 'b')
		case r == '\f':
			dst = append(dst, '\\', 'f')
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r < 0x20,
			esc&escHTML != 0 && (r == '<' || r == '>' || r == '&'),
			esc&escNonASCII != 0 && r >= utf8.RuneSelf,
			esc&escNonPrintable != 0 && !unicode.IsPrint(r):
			if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
				dst = u(u(dst, r1), r2)
			} else {
				dst = u(dst, r)
			}
		case r == '/' && esc&escSlash != 0:
			dst = append(dst, '\\', '/')
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// isSecretHeader reports whether a request header called name carries a
// secret.
func isSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie":
		return true
	}
	return isSecretName(name, nil)
}

// urlSecrets returns the secrets in the URL u: its password (or its user
// name when it has no password) and the basic-auth credentials Go sends for
// them, the values of its secret query parameters (extra names more) and
// its Kuma push token, each as written and decoded.
func urlSecrets(u string, extra []string) []string {
	if u == "" {
		return nil
	}
	var out []string
	pu, err := url.Parse(u)
	if err != nil {
		// Not parseable as written: take RedactURL's loose reading.
		if i := strings.Index(u, "://"); i >= 0 {
			tail := u[i+3:]
			if start, end, ok := looseUserinfoSecret(tail); ok {
				out = append(out, tail[start:end])
			}
		}
	}
	rest, _, _ := strings.Cut(u, "#")
	rest, query, _ := strings.Cut(rest, "?")
	if _, a, path, ok := splitAuthority(rest); ok {
		if start, end, ok := userinfoSecret(a); ok && err == nil {
			raw := a[start:end]
			out = append(out, raw)
			if d, err := url.PathUnescape(raw); err == nil {
				out = append(out, d)
			}
			// Go sends URL userinfo as basic auth, "user:" when there is
			// no password; a service may echo it.
			if pu.User != nil && raw != redacted {
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
		if ok && isSecretName(unescapeQuery(name), extra) {
			out = append(out, value, unescapeQuery(value))
		}
	}
	return out
}

// URLSecrets returns the secrets in the URL u (urlSecrets), each once, for
// a front-end that holds a URL of its own (a push URL, a robot's webhook).
func URLSecrets(u string) []string {
	var out []string
	for _, s := range urlSecrets(u, nil) {
		if s != "" && s != redacted && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
