// Package redact finds the secrets of a probe once and hides them
// wherever they could show: in URLs by their form (a userinfo password, a
// token used as the user name, secret query values, an Uptime Kuma push
// token), and in any text by their value, as written or as a JSON encoder
// quoted it.
//
// Secrets gathers the secrets of the values a caller holds (a URL, a
// header, basic auth, a plain secret); New makes a Redactor of them:
//
//	var s redact.Secrets
//	s.Add(token)
//	s.URL(target)
//	r := redact.New(s.List()...)
//	r.Message(err.Error())
//	r.JSON(`{"echo":"Bearer ab\/cd"}`)
package redact

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// redacted is what a hidden secret is shown as.
const redacted = "***"

// Redactor replaces every occurrence of any of its secrets (non-empty
// strings) with "***". It is the last line of defence for text that may
// quote a secret, such as a server's error body; the zero Redactor and a
// nil *Redactor leave strings unchanged. A Redactor is safe for
// concurrent use.
type Redactor struct {
	secrets  []string
	replacer *strings.Replacer
	params   []string // query parameters a user named secret, lower case
}

// New returns a Redactor for secrets. Empty strings are ignored and
// duplicates dropped; longer secrets are matched first, so a secret that
// contains another is hidden whole.
//
// Each secret is also matched in the forms JSON encoders write it in when
// they quote it: with '"', '\' and control characters escaped, and also
// with "/" as "\/" (PHP), every non-ASCII character as \uXXXX (PHP,
// Python) or <, > and & as \u003c, \u003e, \u0026 (Go).
func New(secrets ...string) *Redactor {
	var patterns []string
	for _, s := range secrets {
		if s != "" {
			patterns = append(append(patterns, s), quotedForms(s)...)
		}
	}
	// strings.Replacer tries its pairs in argument order at each position:
	// longest first makes "hunter2!" win over "hunter2".
	slices.SortFunc(patterns, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	patterns = slices.Compact(patterns)
	r := &Redactor{secrets: slices.Clone(secrets)}
	if len(patterns) > 0 {
		pairs := make([]string, 0, 2*len(patterns))
		for _, p := range patterns {
			pairs = append(pairs, p, redacted)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
	return r
}

// WithParams returns r that also hides the values of the query parameters
// called names (whole names, compared without case) in the URLs it
// meets: URL, Message, WithURL.
func (r *Redactor) WithParams(names ...string) *Redactor {
	red := &Redactor{}
	if r != nil {
		*red = *r
	}
	red.params = slices.Clone(names)
	return red
}

// WithURL returns r with the secrets of the URL u added, as Secrets.URL
// finds them with the parameter names of r; r itself when u has none.
func (r *Redactor) WithURL(u string) *Redactor {
	var secrets, params []string
	if r != nil {
		secrets, params = r.secrets, r.params
	}
	extra := urlSecrets(u, params)
	if len(extra) == 0 {
		return r
	}
	red := New(append(extra, secrets...)...)
	red.params = params
	return red
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

// URL is the package's URL that also hides the query parameters named by
// WithParams.
func (r *Redactor) URL(u string) string {
	if r == nil {
		return URL(u)
	}
	return hideURL(u, r.params)
}

// Message is String for an error's text, which may also quote a URL whose
// secrets the Redactor was not told (the Location of a redirect): each URL
// in s is redacted by its form as well, as URL does.
func (r *Redactor) Message(s string) string {
	s = r.String(s)
	var b strings.Builder
	for i := strings.Index(s, "://"); i >= 0; i = strings.Index(s, "://") {
		start := i
		for start > 0 && strings.IndexByte(schemeBytes, s[start-1]) >= 0 {
			start--
		}
		end := i + 3
		for end < len(s) && s[end] > ' ' && strings.IndexByte("\"'<>`", s[end]) < 0 {
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

// schemeBytes are the bytes a URL scheme is made of.
const schemeBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."

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
// Text that is not one JSON value, or nests arrays and objects more than
// 10000 deep, is redacted with String instead.
//
//	New("ab/cd").JSON(`{"auth":"Bearer ab\/cd","n":1}`)
//	// `{"auth":"Bearer ***","n":1}`
func (r *Redactor) JSON(raw string) string {
	if r == nil || r.replacer == nil {
		return raw
	}
	// encoding/json checks without recursing and refuses a hostile depth;
	// the walk below recurses, so it only sees what passed.
	if !json.Valid([]byte(raw)) {
		return r.String(raw)
	}
	var b strings.Builder
	last := 0
	eachScalar(gjson.Parse(raw), func(v gjson.Result) {
		text := v.Raw
		if v.Type == gjson.String {
			text = v.Str
		}
		hidden := r.replacer.Replace(text)
		if hidden == text {
			return
		}
		b.WriteString(raw[last:v.Index])
		b.WriteString(`"` + escape(quote(hidden, false), nonPrintable) + `"`)
		last = v.Index + len(v.Raw)
	})
	if last == 0 {
		return raw
	}
	b.WriteString(raw[last:])
	return b.String()
}

// eachScalar calls visit with every string (keys too), number, true, false
// and null in v, in the order they are written.
func eachScalar(v gjson.Result, visit func(gjson.Result)) {
	if !v.IsObject() && !v.IsArray() {
		visit(v)
		return
	}
	v.ForEach(func(key, value gjson.Result) bool {
		if key.Raw != "" {
			visit(key)
		}
		eachScalar(value, visit)
		return true
	})
}

// quote returns s between the quotes of a JSON string literal, as
// encoding/json writes it, with <, > and & escaped as well when html is
// true (Go's default).
func quote(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s)
	return b.String()[1 : b.Len()-2] // no quotes, no newline
}

// quotedForms are the forms of s between the quotes of a JSON string
// literal as encoders commonly write it: plain, Go's default, PHP's default
// and with JSON_UNESCAPED_UNICODE, Python's default.
func quotedForms(s string) []string {
	plain := quote(s, false)
	php := strings.ReplaceAll(plain, "/", `\/`)
	return []string{plain, quote(s, true), escape(php, nonASCII), php, escape(plain, nonASCII)}
}

func nonASCII(r rune) bool { return r >= utf8.RuneSelf }

func nonPrintable(r rune) bool { return !unicode.IsPrint(r) }

// escape returns s, JSON text, with each character that which selects
// written as \uXXXX (a UTF-16 surrogate pair beyond U+FFFF).
func escape(s string, which func(rune) bool) string {
	var b strings.Builder
	for _, r := range s {
		if !which(r) {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.AppendRune(nil, r) {
			fmt.Fprintf(&b, `\u%04x`, u)
		}
	}
	return b.String()
}
