package health

import (
	"encoding/base64"
	"net/http"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

var (
	loopback = netip.MustParsePrefix("127.0.0.0/8")
	office   = netip.MustParsePrefix("10.1.0.0/16")
	v6       = netip.MustParsePrefix("2001:db8::/32")
	proxy    = netip.MustParsePrefix("10.9.9.9/32")
)

func TestWithAllowedNetworks(t *testing.T) {
	tests := []struct {
		name       string
		opts       []Option
		remoteAddr string
		headers    []string
		wantCode   int
	}{
		{"no option: anyone", nil, "203.0.113.7:5000", nil, http.StatusOK},
		{"loopback allowed", []Option{WithAllowedNetworks(loopback, office)}, "127.0.0.1:5000", nil, http.StatusOK},
		{"second network allowed", []Option{WithAllowedNetworks(loopback, office)}, "10.1.2.3:5000", nil, http.StatusOK},
		{"options add up", []Option{WithAllowedNetworks(loopback), WithAllowedNetworks(office)}, "10.1.2.3:5000", nil, http.StatusOK},
		{"outside", []Option{WithAllowedNetworks(loopback, office)}, "10.2.0.1:5000", nil, http.StatusForbidden},
		{"IPv6 allowed", []Option{WithAllowedNetworks(v6)}, "[2001:db8::1]:5000", nil, http.StatusOK},
		{"IPv6 with a zone", []Option{WithAllowedNetworks(v6)}, "[2001:db8::1%eth0]:5000", nil, http.StatusOK},
		{"IPv6 outside", []Option{WithAllowedNetworks(v6)}, "[2001:db9::1]:5000", nil, http.StatusForbidden},
		{"IPv4 mapped into IPv6", []Option{WithAllowedNetworks(loopback)}, "[::ffff:127.0.0.1]:5000", nil, http.StatusOK},
		{"no network given: no one", []Option{WithAllowedNetworks()}, "127.0.0.1:5000", nil, http.StatusForbidden},
		{"an address that does not parse", []Option{WithAllowedNetworks(loopback)}, "@", nil, http.StatusForbidden},
		{"X-Forwarded-For is not believed", []Option{WithAllowedNetworks(loopback)}, "203.0.113.7:5000", []string{"X-Forwarded-For: 127.0.0.1"}, http.StatusForbidden},
		{"nor from an untrusted proxy", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "203.0.113.7:5000", []string{"X-Forwarded-For: 10.1.2.3"}, http.StatusForbidden},
		{"a trusted proxy's client", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 10.1.2.3"}, http.StatusOK},
		{"a trusted proxy's client outside", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 203.0.113.7"}, http.StatusForbidden},
		{"the last hop counts, not one the client wrote", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 10.1.2.3, 203.0.113.7"}, http.StatusForbidden},
		{"past trusted hops", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 203.0.113.7, 10.1.2.3, 10.9.9.9"}, http.StatusOK},
		{"across header lines", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 10.1.2.3"}, http.StatusOK},
		{"a hop with a port", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 10.1.2.3:4711"}, http.StatusOK},
		{"a hop that does not parse", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 10.1.2.3, unknown"}, http.StatusForbidden},
		{"every hop trusted: the first", []Option{WithAllowedNetworks(office), WithTrustedProxies(proxy, office)}, "10.9.9.9:5000", []string{"X-Forwarded-For: 10.1.2.3, 10.9.9.9"}, http.StatusOK},
		{"the proxy's own request", []Option{WithAllowedNetworks(proxy), WithTrustedProxies(proxy)}, "10.9.9.9:5000", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, Handler(tt.opts...), http.MethodGet, Path, tt.remoteAddr, tt.headers...)
			assert.Equal(t, tt.wantCode, w.Code, w.Body.String())
		})
	}
}

func TestCredentials(t *testing.T) {
	basic := func(user, password string) string {
		return "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	}
	token, both := []Option{WithBearerToken("s3cret")}, []Option{WithBearerToken("s3cret"), WithBasicAuth("ops", "pa:ss")}
	tests := []struct {
		name       string
		opts       []Option
		headers    []string
		wantCode   int
		wantChalls []string
	}{
		{"no option: no credential", nil, nil, http.StatusOK, nil},
		{"right token", token, []string{"Authorization: Bearer s3cret"}, http.StatusOK, nil},
		{"scheme in any case", token, []string{"Authorization: bearer s3cret"}, http.StatusOK, nil},
		{"wrong token", token, []string{"Authorization: Bearer s3cre"}, http.StatusUnauthorized, []string{`Bearer realm="health"`}},
		{"longer token", token, []string{"Authorization: Bearer s3cret2"}, http.StatusUnauthorized, []string{`Bearer realm="health"`}},
		{"missing token", token, nil, http.StatusUnauthorized, []string{`Bearer realm="health"`}},
		{"token without its scheme", token, []string{"Authorization: s3cret"}, http.StatusUnauthorized, []string{`Bearer realm="health"`}},
		{"either of two tokens", []Option{WithBearerToken("old"), WithBearerToken("new")}, []string{"Authorization: Bearer old"}, http.StatusOK, nil},
		{"an empty token lets no one in", []Option{WithBearerToken("")}, []string{"Authorization: Bearer "}, http.StatusUnauthorized, []string{`Bearer realm="health"`}},
		{"right basic auth", both, []string{basic("ops", "pa:ss")}, http.StatusOK, nil},
		{"wrong password", both, []string{basic("ops", "pa:s")}, http.StatusUnauthorized, []string{`Bearer realm="health"`, `Basic realm="health", charset="UTF-8"`}},
		{"wrong user", both, []string{basic("dev", "pa:ss")}, http.StatusUnauthorized, []string{`Bearer realm="health"`, `Basic realm="health", charset="UTF-8"`}},
		{"the token where basic auth is also asked", both, []string{"Authorization: Bearer s3cret"}, http.StatusOK, nil},
		{"the token as a basic password", both, []string{basic("ops", "s3cret")}, http.StatusUnauthorized, []string{`Bearer realm="health"`, `Basic realm="health", charset="UTF-8"`}},
		{"an empty password lets no one in", []Option{WithBasicAuth("ops", "")}, []string{basic("ops", "")}, http.StatusUnauthorized, []string{`Basic realm="health", charset="UTF-8"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, Handler(tt.opts...), http.MethodGet, Path, "", tt.headers...)
			assert.Equal(t, tt.wantCode, w.Code, w.Body.String())
			assert.Equal(t, tt.wantChalls, w.Header().Values("WWW-Authenticate"))
			if tt.wantCode != http.StatusOK {
				assert.NotContains(t, w.Body.String(), "goroutines", "no document without the credential")
			}
		})
	}
}

// TestProtectionOrder: the network is checked before the credential, and
// both before the method, so that a client outside learns nothing more.
func TestProtectionOrder(t *testing.T) {
	h := Handler(WithAllowedNetworks(loopback), WithBearerToken("s3cret"))
	assert.Equal(t, http.StatusForbidden, get(t, h, http.MethodPost, Path, "203.0.113.7:5000", "Authorization: Bearer s3cret").Code)
	assert.Equal(t, http.StatusUnauthorized, get(t, h, http.MethodPost, Path, "127.0.0.1:5000").Code)
	assert.Equal(t, http.StatusMethodNotAllowed, get(t, h, http.MethodPost, Path, "127.0.0.1:5000", "Authorization: Bearer s3cret").Code)
	assert.Equal(t, http.StatusOK, get(t, h, http.MethodGet, Path, "127.0.0.1:5000", "Authorization: Bearer s3cret").Code)
}
