package redact

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain URL unchanged", "http://localhost:3000/api/monitor/health", "http://localhost:3000/api/monitor/health"},
		{"password hidden, user kept", "https://bob:hunter2@host/x", "https://bob:***@host/x"},
		{"user name only: a token, hidden whole", "http://ghp_TOKEN123@host/", "http://***@host/"},
		{"user name only, with a path", "https://bob@host/x", "https://***@host/x"},
		{"escaped user name only", "http://ghp%5FTOK@host:8080/", "http://***@host:8080/"},
		{"user name with an empty password", "https://tok-9:@host/", "https://***:@host/"},
		{"empty userinfo unchanged", "https://@host/", "https://@host/"},
		{"colon only unchanged", "https://:@host/", "https://:@host/"},
		{"unparseable user name only", "http://tok en@host/x", "http://***@host/x"},
		{"unparseable, colon and at sign in the path", "http://tok@host/a:b@c%zz", "http://***@host/a:b@c%zz"},
		{"unparseable, user name before a bad port", "http://tok@host:80x/a@b", "http://***@host:80x/a@b"},
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
		{
			"short secret names, whole",
			"http://h/cb?jwt=j1&sign=s1&code=c1&sid=d1&SID=d2&signature=s2",
			"http://h/cb?jwt=***&sign=***&code=***&sid=***&SID=***&signature=***",
		},
		{
			"short secret names within others stay",
			"http://h/?country_code=de&side=left&signup=1&decode=yes&sidebar=no&jwtish=x",
			"http://h/?country_code=de&side=left&signup=1&decode=yes&sidebar=no&jwtish=x",
		},
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
			assert.Equal(t, tt.want, URL(tt.in))
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
		{"JSON-escaped quote", []string{`pa"ss`}, `body {"pw":"pa\"ss"}`, `body {"pw":"***"}`},
		{"JSON-escaped backslash", []string{`pa\ss`}, `{"pw":"pa\\ss"}`, `{"pw":"***"}`},
		{"JSON-escaped control character", []string{"l1\nl2"}, `{"pw":"l1\nl2"}`, `{"pw":"***"}`},
		{"slash escaped by PHP", []string{"ab/cd+ef=="}, `{"auth":"Bearer ab\/cd+ef=="}`, `{"auth":"Bearer ***"}`},
		{"non-ASCII escaped by Python", []string{"pässwörd"}, `{"pw":"p\u00e4ssw\u00f6rd"}`, `{"pw":"***"}`},
		{"non-ASCII and slash escaped by PHP", []string{"ä/b"}, `"\u00e4\/b"`, `"***"`},
		{"HTML characters escaped by Go", []string{"a<b&c"}, `"a\u003cb\u0026c"`, `"***"`},
		{"line separator escaped by Go and PHP", []string{"a\u2028b/c"}, `["a\u2028b/c","a\u2028b\/c"]`, `["***","***"]`},
		{"non-ASCII beyond U+FFFF escaped by Python", []string{"tok😀"}, `"tok\ud83d\ude00"`, `"***"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, New(tt.secrets...).String(tt.in))
		})
	}

	t.Run("nil and zero Redactor", func(t *testing.T) {
		var nilR *Redactor
		assert.Equal(t, "x", nilR.String("x"))
		assert.Equal(t, "x", (&Redactor{}).String("x"))
	})
}

// redactorJSONTests are the rows of TestRedactorJSON and the seeds of
// FuzzRedactorJSON.
var redactorJSONTests = []struct {
	name    string
	secrets []string
	in      string
	want    string
}{
	{"no secret: raw returned as is", []string{"ab/cd"}, `{"a":"caf\u00e9 \/ x","n":[1,2.5e3,true,null]}`, `{"a":"caf\u00e9 \/ x","n":[1,2.5e3,true,null]}`},
	{"plain", []string{"ab/cd"}, `{"t":"ab/cd"}`, `{"t":"***"}`},
	{"slash escaped (PHP)", []string{"ab/cd+ef=="}, `{"auth":"Bearer ab\/cd+ef=="}`, `{"auth":"Bearer ***"}`},
	{"string literal on its own", []string{"ab/cd+ef=="}, `"Bearer ab\/cd+ef=="`, `"Bearer ***"`},
	{"ASCII as \\u", []string{"ab/cd"}, `["\u0061b/cd", "a\u0062\u002fcd"]`, `["***", "***"]`},
	{"upper-case hex", []string{"AB-12"}, `"x\u0041\u0042-12"`, `"x***"`},
	{"surrogate pair", []string{"tok😀en"}, `{"t":"tok\ud83d\ude00en"}`, `{"t":"***"}`},
	{"quote in the secret", []string{`pa"ss`}, `["pa\"ss","pa\u0022ss"]`, `["***","***"]`},
	{"backslash in the secret", []string{`pa\ss`}, `{"p":"x pa\\ss y","q":"pa\u005css"}`, `{"p":"x *** y","q":"***"}`},
	{"secret ending in a backslash", []string{`ab\`}, `["ab\\","xab\\y"]`, `["***","x***y"]`},
	{"an escape is not the secret's backslash", []string{`a\`}, `["a\"b"]`, `["a\"b"]`},
	{"control character in the secret", []string{"l1\nl2"}, `["l1\nl2","l1\u000al2"]`, `["***","***"]`},
	{"in a key", []string{"ab/cd"}, `{"ab\/cd":1}`, `{"***":1}`},
	{"other literals kept byte for byte", []string{"ab/cd"}, `{"a":"caf\u00e9 \/ x","t":"ab\/cd"}`, `{"a":"caf\u00e9 \/ x","t":"***"}`},
	{
		"redacted literal rewritten, non-printable kept escaped", []string{"ab/cd"},
		`"\u200b ab\/cd \u00e9 \n \u0001 \u007f"`, "\"\\u200b *** \u00e9 \\n \\u0001 \\u007f\"",
	},
	{"lone surrogate", []string{"ab/cd"}, `"\ud800 ab\/cd"`, "\"\ufffd ***\""},
	{"lone surrogate before an escape", []string{"ABC"}, `"\ud800\u0041BC"`, "\"\ufffd***\""},
	{"JSON inside a string", []string{"ab/cd"}, `{"body":"{\"token\":\"ab\\\/cd\"}"}`, `{"body":"{\"token\":\"***\"}"}`},
	{"number holding a secret", []string{"3456"}, `{"pin":123456,"n":12}`, `{"pin":"12***","n":12}`},
	{"secret across literals untouched", []string{`a","b`}, `["a","b"]`, `["a","b"]`},
	{"white space kept", []string{"ab/cd"}, " {\n\t\"t\" : \"ab\\/cd\" }\r\n", " {\n\t\"t\" : \"***\" }\r\n"},
	{"invalid escape: String", []string{"ab/cd"}, `"ab\/cd \x"`, `"*** \x"`},
	{"unterminated: String", []string{"ab/cd"}, `"ab/cd`, `"***`},
	{"unterminated after a backslash: String", []string{"ab/cd"}, `"ab/cd\`, `"***\`},
	{"not JSON: String", []string{"ab/cd"}, `Bearer ab\/cd`, `Bearer ***`},
	{"empty", []string{"ab/cd"}, ``, ``},
	{"no secrets", nil, `"ab\/cd"`, `"ab\/cd"`},
}

func TestRedactorJSON(t *testing.T) {
	for _, tt := range redactorJSONTests {
		t.Run(tt.name, func(t *testing.T) {
			got := New(tt.secrets...).JSON(tt.in)
			assert.Equal(t, tt.want, got)
			if json.Valid([]byte(tt.in)) {
				assert.True(t, json.Valid([]byte(got)), "valid JSON stays valid: %s", got)
			}
		})
	}

	t.Run("nil and zero Redactor", func(t *testing.T) {
		var nilR *Redactor
		assert.Equal(t, `"x"`, nilR.JSON(`"x"`))
		assert.Equal(t, `"x"`, (&Redactor{}).JSON(`"x"`))
	})
}

// FuzzRedactorJSON checks that Redactor.JSON never panics, keeps valid JSON
// valid, and leaves no secret in any string, key or number of it.
func FuzzRedactorJSON(f *testing.F) {
	for _, tt := range redactorJSONTests {
		for _, s := range tt.secrets {
			f.Add(s, tt.in)
		}
	}
	f.Fuzz(func(t *testing.T, secret, in string) {
		out := New(secret).JSON(in)
		if !json.Valid([]byte(in)) || !utf8.ValidString(in) {
			return
		}
		require.True(t, json.Valid([]byte(out)), "valid JSON stays valid: %q", out)
		if secret == "" || strings.Contains(secret, "*") || !utf8.ValidString(secret) {
			return // "***" may make a secret with a "*" anew
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber()
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err)
			switch v := tok.(type) {
			case string:
				assert.NotContains(t, v, secret)
			case json.Number:
				assert.NotContains(t, string(v), secret)
			}
		}
	})
}

// BenchmarkRedactorJSON redacts a value as small as most are and a
// 100 KiB document of escaped strings, one of them holding a secret.
func BenchmarkRedactorJSON(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`{"items":[`)
	for i := 0; doc.Len() < 100<<10; i++ {
		fmt.Fprintf(&doc, `{"id":%d,"path":"\/srv\/app\/%d","name":"caf\u00e9 %d"},`, i, i, i)
	}
	doc.WriteString(`{"auth":"Bearer ab\/cd+ef=="}]}`)
	r := New("ab/cd+ef==", "Bearer ab/cd+ef==")
	for _, bm := range []struct{ name, raw string }{
		{"small", `{"status":"UP","path":"\/health","n":3}`},
		{"100KiB", doc.String()},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.raw)))
			b.ReportAllocs()
			for b.Loop() {
				r.JSON(bm.raw)
			}
		})
	}
}

// TestURLHidesItsSecrets ties the two together: what URL leaves of a URL
// holds none of the secrets Secrets.URL finds in it.
func TestURLHidesItsSecrets(t *testing.T) {
	urls := []string{
		"https://bob:p%40ss@h/x?token=t%2B1&v=1",
		"https://bob:pa/ss@h/x?api_key=zz-9",
		"https://u:pw-1@kuma.example/api/push/AbC123?status=up&msg=OK&ping=",
		"http://ghp_TOKEN123@host/",
		"http://ghp%5FTOK@host/x?v=1",
		"http://tok-9:@host/",
		"http://tok en@host/x",
		"http://tok@host/a:b@c%zz",
	}
	for _, u := range urls {
		t.Run(u, func(t *testing.T) {
			red := URL(u)
			for _, s := range urlList(u) {
				assert.NotContains(t, red, s)
			}
		})
	}
}

// TestURLUserinfoSecretsMatchWire checks that Secrets.URL lists the basic-auth
// credentials Go really sends for a URL's userinfo.
func TestURLUserinfoSecretsMatchWire(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Authorization")
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, userinfo := range []string{"ghp_TOKEN123", "ghp%5FTOK", "tok-9:", "bob:p%40ss"} {
		t.Run(userinfo, func(t *testing.T) {
			u := "http://" + userinfo + "@" + host + "/"
			resp, err := http.Get(u)
			require.NoError(t, err)
			resp.Body.Close()
			auth := <-got
			cred, ok := strings.CutPrefix(auth, "Basic ")
			require.True(t, ok, "Authorization %q", auth)
			assert.Contains(t, urlList(u), cred)
		})
	}
}

// TestRedactorMessage: an error's text has the Redactor's secrets hidden,
// and every URL in it redacted by its form, where it may quote a URL whose
// secrets nobody told the Redactor (a redirect's Location).
func TestRedactorMessage(t *testing.T) {
	r := New("hunter2")
	tests := []struct{ name, in, want string }{
		{"no url", "password hunter2 refused", "password *** refused"},
		{"url ends a clause", "GET http://host/x?token=abc: connection refused", "GET http://host/x?token=***: connection refused"},
		{"redirect", "GET http://host/: redirected to https://u:pw@other/?sig=s1, then: timed out", "GET http://host/: redirected to https://u:***@other/?sig=***, then: timed out"},
		{"quoted", `open "ftp://bob:pw@h/f": no such file`, `open "ftp://bob:***@h/f": no such file`},
		{"two urls", "a http://x/?key=1 b https://y/?key=2", "a http://x/?key=*** b https://y/?key=***"},
		{"known secret in url", "GET http://bob:hunter2@h/", "GET http://bob:***@h/"},
		{"bare scheme mark", "see ://nothing", "see ://nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, r.Message(tt.in))
		})
	}
}

// urlList is what Secrets.URL finds in u.
func urlList(u string) []string {
	var s Secrets
	s.URL(u)
	return s.List()
}

func TestSecrets(t *testing.T) {
	tests := []struct {
		name string
		add  func(s *Secrets)
		want []string
	}{
		{"plain, trimmed", func(s *Secrets) { s.Add(" tok-1\n", "", "  ", "***", "tok-1") }, []string{"tok-1"}},
		{"basic auth", func(s *Secrets) { s.BasicAuth("alice:pa:ss") }, []string{"alice:pa:ss", "YWxpY2U6cGE6c3M=", "pa:ss"}},
		{"basic auth without password", func(s *Secrets) { s.BasicAuth("alice") }, []string{"alice", "YWxpY2U="}},
		{"no basic auth", func(s *Secrets) { s.BasicAuth("") }, nil},
		{"URL with a parameter named", func(s *Secrets) { s.URL("http://h/?Tenant=acme-1&v=2", "tENANT") }, []string{"acme-1"}},
		{"URL without it", func(s *Secrets) { s.URL("http://h/?Tenant=acme-1&v=2") }, nil},
		{"not a URL", func(s *Secrets) { s.URL("50% done?token=abc") }, nil},
		{"kuma push token", func(s *Secrets) { s.URL("https://kuma.example/api/push/AbC123?status=up&msg=OK&ping=") }, []string{"AbC123"}},
		{
			"kuma user name only", func(s *Secrets) { s.URL("https://kt-1@kuma.example/api/push/AbC%31") },
			[]string{"kt-1", "a3QtMTo=", "AbC%31", "AbC1"}, // base64 of "kt-1:", as Go sends it
		},
		{"authorization", func(s *Secrets) { s.Header("authorization", " Bearer xyz-1 ") }, []string{"Bearer xyz-1", "xyz-1"}},
		{"authorization, short credentials", func(s *Secrets) { s.Header("Authorization", "Token abc") }, []string{"Token abc"}},
		{"authorization without a scheme", func(s *Secrets) { s.Header("Authorization", "xyz-12") }, []string{"xyz-12"}},
		{"cookies", func(s *Secrets) { s.Header("Cookie", "a=1; sid=s3cr3t;flag") }, []string{"a=1; sid=s3cr3t;flag", "s3cr3t"}},
		{"secret by its name", func(s *Secrets) { s.Header("X-Api-Key", "k-42") }, []string{"k-42"}},
		{"not a secret header", func(s *Secrets) { s.Header("Accept", "application/json") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s Secrets
			tt.add(&s)
			assert.Equal(t, tt.want, s.List())
		})
	}
}

func TestIsSecretHeader(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "PROXY-AUTHORIZATION": true, "cookie": true,
		"X-Auth-Token": true, "X-Api-Key": true, "X-Session-Id": true,
		"Set-Cookie2": true, "Accept": false, "Host": false, "X-Code": false,
	} {
		assert.Equal(t, want, IsSecretHeader(name), name)
	}
}

// TestRedactorParams: the query parameters a user named are hidden in
// every URL the Redactor meets, whatever their case, and stay named in a
// Redactor that WithURL makes.
func TestRedactorParams(t *testing.T) {
	r := New("hunter2").WithParams("Tenant", "x-shard")
	assert.Equal(t, "http://h/?tenant=***&X-Shard=***&v=1", r.URL("http://h/?tenant=acme&X-Shard=7&v=1"))
	assert.Equal(t, "GET http://h/?TENANT=***: *** refused", r.Message("GET http://h/?TENANT=acme: hunter2 refused"))
	assert.Equal(t, "http://h/?tenant=acme", New().URL("http://h/?tenant=acme"), "not named")

	w := r.WithURL("http://h/?tenant=acme-1&token=tok-2")
	assert.Equal(t, "*** *** *** acme", w.String("hunter2 acme-1 tok-2 acme"))
	assert.Equal(t, "http://h/?tenant=***", w.URL("http://h/?tenant=other"))
	assert.Same(t, r, r.WithURL("http://h/?v=1"), "a URL without secrets adds none")

	var nilR *Redactor
	assert.Equal(t, "http://h/?tenant=***", nilR.WithParams("tenant").URL("http://h/?tenant=acme"))
	assert.Equal(t, "http://u:***@h/", nilR.URL("http://u:p@h/"))
	assert.Equal(t, "x ***", nilR.WithURL("http://h/?token=tok-2").String("x tok-2"))
}
