package health

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/netip"
	"strings"
)

// Option configures Handler and Register.
type Option func(*config)

// config is what the options set; the zero value serves the document to
// anyone, with the status "ok".
type config struct {
	status func(context.Context) error
	// restricted: WithAllowedNetworks was given, so a client outside
	// networks (which may be empty) is refused.
	restricted bool
	networks   []netip.Prefix
	proxies    []netip.Prefix
	bearer     []secret
	basic      []basicPair
}

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WithStatus sets the function that says whether the service is well: nil is
// healthy (the status "ok", 200), an error is not (the status is the error's
// text, 503 Service Unavailable). It runs on every request with the request's
// context, so keep it quick and bound what it waits for; its text is shown
// to whoever may read the document, so keep secrets out of it. An error whose
// text is empty or "ok" gives the status "error". Given more than once, the
// last one counts.
func WithStatus(fn func(ctx context.Context) error) Option {
	return func(c *config) { c.status = fn }
}

// WithAllowedNetworks serves only clients whose address is in one of the
// prefixes; any other gets 403 Forbidden. The address is the connection's
// (http.Request.RemoteAddr); X-Forwarded-For is read only from the proxies
// of WithTrustedProxies. Given more than once, the prefixes add up; given
// with none, no client is served.
func WithAllowedNetworks(prefixes ...netip.Prefix) Option {
	return func(c *config) {
		c.restricted = true
		c.networks = append(c.networks, prefixes...)
	}
}

// WithTrustedProxies names the reverse proxies whose X-Forwarded-For header
// is believed. When the connection comes from one of them, the client is
// the last address of the header that is not itself a trusted proxy (the
// proxy's own address when it sends no header); an address that does not
// parse is refused. It matters only with WithAllowedNetworks.
func WithTrustedProxies(prefixes ...netip.Prefix) Option {
	return func(c *config) { c.proxies = append(c.proxies, prefixes...) }
}

// WithBearerToken asks for "Authorization: Bearer TOKEN"; a request without
// it, or with another token, gets 401 Unauthorized with a WWW-Authenticate
// challenge. Given more than once, any of the tokens is accepted (for a
// rotation), as is the pair of WithBasicAuth. An empty token is accepted
// from no one: a token read from an unset variable closes the endpoint
// rather than opening it.
func WithBearerToken(token string) Option {
	return func(c *config) { c.bearer = append(c.bearer, newSecret(token)) }
}

// WithBasicAuth asks for HTTP basic authentication with user and password,
// as WithBearerToken asks for its token (either credential is accepted when
// both are set). An empty password is accepted from no one.
func WithBasicAuth(user, password string) Option {
	return func(c *config) {
		c.basic = append(c.basic, basicPair{user: newSecret(user), password: newSecret(password)})
	}
}

// secret is a credential kept as its SHA-256, so that comparing a guess
// with it takes the same time whatever the guess and its length.
type secret struct {
	sum   [sha256.Size]byte
	empty bool
}

func newSecret(s string) secret {
	return secret{sum: sha256.Sum256([]byte(s)), empty: s == ""}
}

// matches compares in constant time; an empty secret matches nothing.
func (s secret) matches(guess string) bool {
	sum := sha256.Sum256([]byte(guess))
	return subtle.ConstantTimeCompare(s.sum[:], sum[:]) == 1 && !s.empty
}

type basicPair struct{ user, password secret }

// protect answers what the options refuse (403, 401) and the methods other
// than GET and HEAD (405), and passes the rest to next.
func (c *config) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.restricted && !c.allowed(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		if !c.authorized(r) {
			if len(c.bearer) > 0 {
				w.Header().Add("WWW-Authenticate", `Bearer realm="health"`)
			}
			if len(c.basic) > 0 {
				w.Header().Add("WWW-Authenticate", `Basic realm="health", charset="UTF-8"`)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorized: no credential is asked for, or the request carries one of
// them.
func (c *config) authorized(r *http.Request) bool {
	if len(c.bearer) == 0 && len(c.basic) == 0 {
		return true
	}
	ok := false
	if scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " "); found && strings.EqualFold(scheme, "Bearer") {
		for _, s := range c.bearer {
			ok = s.matches(strings.TrimSpace(token)) || ok
		}
	}
	if user, password, found := r.BasicAuth(); found {
		for _, p := range c.basic {
			// Both halves are compared whatever the first gives.
			userOK, passwordOK := p.user.matches(user), p.password.matches(password)
			ok = userOK && passwordOK || ok
		}
	}
	return ok
}

// allowed: the client's address is in an allowed network.
func (c *config) allowed(r *http.Request) bool {
	client, ok := c.client(r)
	return ok && inAny(c.networks, client)
}

// client is the request's client address: the connection's, or, when that
// is a trusted proxy, the one X-Forwarded-For names. Proxies append the
// address they saw, so the header is read from its end, past the trusted
// proxies.
func (c *config) client(r *http.Request) (netip.Addr, bool) {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok || !inAny(c.proxies, peer) {
		return peer, ok
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		addr, ok := parseAddr(hops[i])
		if !ok || i == 0 || !inAny(c.proxies, addr) {
			return addr, ok
		}
	}
	return peer, true
}

// parseAddr reads "host:port" (RemoteAddr; some proxies forward it so too)
// or a bare address; an IPv4 address mapped into IPv6 is read as IPv4 and a
// zone is dropped, so that the prefixes match as they are written.
func parseAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	addr, err := netip.ParseAddr(strings.Trim(s, "[]"))
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		addr = ap.Addr()
	}
	return addr.Unmap().WithZone(""), true
}

func inAny(prefixes []netip.Prefix, addr netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
