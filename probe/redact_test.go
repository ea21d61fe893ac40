package probe

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain URL unchanged", "http://localhost:3000/api/monitor/health", "http://localhost:3000/api/monitor/health"},
		{"password hidden, user kept", "https://bob:hunter2@host/x", "https://bob:***@host/x"},
		{"user only unchanged", "https://bob@host/x", "https://bob@host/x"},
		{"empty password unchanged", "https://bob:@host/", "https://bob:@host/"},
		{"escaped password", "https://bob:p%40ss@host/", "https://bob:***@host/"},
		{"password with a raw @", "https://bob:p@ss@host/", "https://bob:***@host/"},
		{"password with a raw slash", "https://bob:pa/ss@host/x", "https://bob:***@host/x"},
		{"password with a raw hash", "https://bob:pa#ss@host/x?token=t", "https://bob:***@host/x?token=***"},
		{"ipv6 host", "http://u:p@[::1]:8080/h", "http://u:***@[::1]:8080/h"},
		{"scheme-relative", "//u:p@h/x", "//u:***@h/x"},
		{"at sign in the path", "http://h/users/@me:x", "http://h/users/@me:x"},
		{
			"secret query parameters",
			"http://h/health?token=abc&v=1&api_key=k&Password=p&client_secret=s&authz=a&sig=z",
			"http://h/health?token=***&v=1&api_key=***&Password=***&client_secret=***&authz=***&sig=***",
		},
		{"escaped parameter name", "http://h/?access%5Ftoken=x&v=1", "http://h/?access%5Ftoken=***&v=1"},
		{"empty secret value unchanged", "http://h/?token=&v=1", "http://h/?token=&v=1"},
		{"other encoding kept", "http://h/a%20b?msg=a%20b+c&key=z", "http://h/a%20b?msg=a%20b+c&key=***"},
		{"design is not sig", "http://h/?design=blue", "http://h/?design=blue"},
		{"kuma push token", "https://kuma.example/api/push/AbC123?status=up&msg=OK&ping=", "https://kuma.example/api/push/***?status=up&msg=OK&ping="},
		{"kuma push token, trailing slash", "https://kuma.example/api/push/AbC123/", "https://kuma.example/api/push/***/"},
		{"kuma push path without token", "https://kuma.example/api/push/", "https://kuma.example/api/push/"},
		{"kuma under a prefix", "https://h/kuma/api/push/T0k?status=up", "https://h/kuma/api/push/***?status=up"},
		{"everything at once", "https://u:p@kuma/api/push/T?token=x#frag", "https://u:***@kuma/api/push/***?token=***#frag"},
		{"fragment kept", "http://h/#section", "http://h/#section"},
		{"file path", "/var/lib/health.json", "/var/lib/health.json"},
		{"relative file path", "testdata/health.json", "testdata/health.json"},
		{"stdin", "-", "-"},
		{"empty", "", ""},
		{"not a URL", "50% done", "50% done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, RedactURL(tt.in))
		})
	}
}

func TestRedactor(t *testing.T) {
	tests := []struct {
		name    string
		secrets []string
		in      string
		want    string
	}{
		{"no secrets", nil, "token abc", "token abc"},
		{"empty secrets ignored", []string{"", ""}, "abc", "abc"},
		{"every occurrence", []string{"hunter2"}, "pw hunter2, again hunter2", "pw ***, again ***"},
		{"longest first", []string{"hunter2", "hunter2!!"}, "pw hunter2!! and hunter2", "pw *** and ***"},
		{"longest first whatever the order", []string{"hunter2!!", "hunter2"}, "hunter2!!", "***"},
		{"duplicates", []string{"abc", "abc"}, "abcabc", "******"},
		{"several", []string{"tok-1", "pass-2"}, "tok-1:pass-2", "***:***"},
		{"overlapping, leftmost wins", []string{"abc", "bcd"}, "abcd", "***d"},
		{"case matters", []string{"Secret"}, "secret Secret", "secret ***"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, NewRedactor(tt.secrets...).String(tt.in))
		})
	}

	t.Run("nil and zero Redactor", func(t *testing.T) {
		var nilR *Redactor
		assert.Equal(t, "x", nilR.String("x"))
		assert.Equal(t, "x", (&Redactor{}).String("x"))
	})
}

func TestConfigSecrets(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{name: "none", cfg: Config{Target: "http://h/health", Headers: []Header{{"Accept", "application/json"}}}},
		{name: "bearer token", cfg: Config{BearerToken: "tok-123"}, want: []string{"tok-123"}},
		{name: "basic auth", cfg: Config{BasicAuth: "alice:pa:ss"}, want: []string{"alice:pa:ss", b64("alice:pa:ss"), "pa:ss"}},
		{name: "basic auth without password", cfg: Config{BasicAuth: "alice"}, want: []string{"alice", b64("alice")}},
		{
			name: "target password and query",
			cfg:  Config{Target: "https://bob:p%40ss@h/x?token=t%2B1&v=1&msg=hi"},
			want: []string{"p%40ss", "p@ss", "Ym9iOnBAc3M=", "t%2B1", "t+1"}, // base64 of bob:p@ss, as sent in Authorization
		},
		{
			name: "unparseable target password",
			cfg:  Config{Target: "https://bob:pa/ss@h/x"},
			want: []string{"pa/ss"},
		},
		{
			name: "kuma push token",
			cfg:  Config{Kuma: Kuma{URL: "https://kuma.example/api/push/AbC123?status=up&msg=OK&ping="}},
			want: []string{"AbC123"},
		},
		{
			name: "secret headers",
			cfg: Config{Headers: []Header{
				{"Authorization", "Bearer xyz-1"},
				{"proxy-authorization", "Basic Zm9vOmJhcg=="},
				{"Cookie", "a=1; sid=s3cr3t"},
				{"X-Api-Key", "k-42"},
				{"X-Auth-Token", "t-43"},
				{"X-SECRET-Thing", "s-44"},
				{"Accept", "application/json"},
				{"Host", "example.test"},
			}},
			want: []string{
				"Bearer xyz-1", "xyz-1",
				"Basic Zm9vOmJhcg==", "Zm9vOmJhcg==",
				"a=1; sid=s3cr3t", "s3cr3t",
				"k-42", "t-43", "s-44",
			},
		},
		{
			name: "no duplicates",
			cfg:  Config{BearerToken: "same-1", Headers: []Header{{"X-Token", "same-1"}}},
			want: []string{"same-1"},
		},
		{
			name: "already redacted URL adds nothing",
			cfg:  Config{Target: "https://bob:***@h/?token=***"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ElementsMatch(t, tt.want, tt.cfg.Secrets())
		})
	}
}

// TestRedactURLHidesConfigSecrets ties the two together: what RedactURL
// leaves of a URL holds none of the secrets Secrets finds in it.
func TestRedactURLHidesConfigSecrets(t *testing.T) {
	urls := []string{
		"https://bob:p%40ss@h/x?token=t%2B1&v=1",
		"https://bob:pa/ss@h/x?api_key=zz-9",
		"https://u:pw-1@kuma.example/api/push/AbC123?status=up&msg=OK&ping=",
	}
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			red := RedactURL(u)
			for _, s := range (&Config{Target: u}).Secrets() {
				assert.NotContains(t, red, s)
			}
		})
	}
}
