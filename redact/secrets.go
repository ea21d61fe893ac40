package redact

import (
	"encoding/base64"
	"slices"
	"strings"
)

// minPartLen is the shortest part of a secret header value that
// Secrets.Header lists on its own.
const minPartLen = 4

// Secrets gathers the secrets of the values a caller holds, for New: each
// trimmed of white space, in the order found, without empty strings, "***"
// (a value already redacted) or duplicates. The zero Secrets is empty and
// ready to use.
//
//	var s redact.Secrets
//	s.BasicAuth("alice:pa55")
//	s.URL("https://api.example.com/health?token=t1")
//	s.List() // ["alice:pa55", "YWxpY2U6cGE1NQ==", "pa55", "t1"]
type Secrets struct{ list []string }

// Add adds plain secrets, such as a bearer token.
func (s *Secrets) Add(secrets ...string) {
	for _, v := range secrets {
		if v = strings.TrimSpace(v); v != "" && v != redacted && !slices.Contains(s.list, v) {
			s.list = append(s.list, v)
		}
	}
}

// BasicAuth adds the basic-auth credentials userpass ("user:password"),
// the base64 form sent on the wire, and the password on its own.
func (s *Secrets) BasicAuth(userpass string) {
	s.Add(userpass, base64.StdEncoding.EncodeToString([]byte(userpass)))
	if _, pass, ok := strings.Cut(userpass, ":"); ok {
		s.Add(pass)
	}
}

// URL adds the secrets of the URL u that URL hides, as written and
// decoded: its password (or, in a URL without one, the user name) with
// the base64 basic-auth form Go sends for it, its Kuma push token, and
// the values of its secret query parameters, params naming more (whole
// names, compared without case).
func (s *Secrets) URL(u string, params ...string) {
	s.Add(urlSecrets(u, params)...)
}

// Header adds the value of a request header if IsSecretHeader(name), and
// the parts of it that may be quoted on their own: the credentials after
// an Authorization scheme ("Bearer abc": abc) and each cookie's value.
// Those are guessed at, so parts shorter than 4 bytes are left out: hiding
// every "1" of a message for a cookie a=1 would garble it and protect
// nothing.
func (s *Secrets) Header(name, value string) {
	if !IsSecretHeader(name) {
		return
	}
	s.Add(value)
	var parts []string
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization":
		_, cred, _ := strings.Cut(strings.TrimSpace(value), " ")
		parts = append(parts, cred)
	case "cookie":
		for _, kv := range strings.Split(value, ";") {
			_, v, _ := strings.Cut(kv, "=")
			parts = append(parts, v)
		}
	}
	for _, p := range parts {
		if p = strings.TrimSpace(p); len(p) >= minPartLen {
			s.Add(p)
		}
	}
}

// List returns the secrets gathered, in the order found.
func (s *Secrets) List() []string { return s.list }
