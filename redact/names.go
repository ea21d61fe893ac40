package redact

import (
	"slices"
	"strings"
)

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
// (whole names, compared without case).
func isSecretName(name string, extra []string) bool {
	n := strings.ToLower(name)
	if slices.Contains(secretNames, n) || slices.ContainsFunc(extra, func(e string) bool { return strings.EqualFold(e, n) }) {
		return true
	}
	for _, p := range secretNameParts {
		if strings.Contains(n, p) {
			return true
		}
	}
	return false
}

// IsSecretHeader reports whether a request header called name carries a
// secret: Authorization, Proxy-Authorization, Cookie, or a name that
// would make a query parameter secret (X-Api-Key, X-Auth-Token, …),
// compared without case.
func IsSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie":
		return true
	}
	return isSecretName(name, nil)
}
