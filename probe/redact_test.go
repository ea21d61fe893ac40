package probe

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/jsonprobe/jsonprobe/probe/expr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// b64Secret is s in the base64 form basic auth sends.
func b64Secret(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// configSecretsTests are the rows of TestConfigSecrets.
var configSecretsTests = []struct {
	name string
	cfg  Config
	want []string
}{
	{name: "none", cfg: Config{Target: "http://h/health", Headers: []Header{{"Accept", "application/json"}}}},
	{name: "bearer token", cfg: Config{BearerToken: "tok-123"}, want: []string{"tok-123"}},
	{name: "basic auth", cfg: Config{BasicAuth: "alice:pa:ss"}, want: []string{"alice:pa:ss", b64Secret("alice:pa:ss"), "pa:ss"}},
	{name: "basic auth without password", cfg: Config{BasicAuth: "alice"}, want: []string{"alice", b64Secret("alice")}},
	{
		name: "target password and query",
		cfg:  Config{Target: "https://bob:p%40ss@h/x?token=t%2B1&v=1&msg=hi"},
		want: []string{"p%40ss", "p@ss", "Ym9iOnBAc3M=", "t%2B1", "t+1"}, // base64 of bob:p@ss, as sent in Authorization
	},
	{
		name: "target user name only: a token",
		cfg:  Config{Target: "http://ghp_TOKEN123@host/"},
		want: []string{"ghp_TOKEN123", b64Secret("ghp_TOKEN123:")}, // Go sends "user:" as basic auth
	},
	{
		name: "escaped target user name only",
		cfg:  Config{Target: "http://ghp%5FTOK@host/"},
		want: []string{"ghp%5FTOK", "ghp_TOK", b64Secret("ghp_TOK:")},
	},
	{
		name: "target user name with an empty password",
		cfg:  Config{Target: "http://tok-9:@host/"},
		want: []string{"tok-9", b64Secret("tok-9:")},
	},
	{
		name: "unparseable target user name only",
		cfg:  Config{Target: "http://tok en@host/x"},
		want: []string{"tok en"},
	},
	{
		name: "unparseable target password",
		cfg:  Config{Target: "https://bob:pa/ss@h/x"},
		want: []string{"pa/ss"},
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
	{
		name: "already redacted user name adds nothing",
		cfg:  Config{Target: "https://***@h/"},
	},
}

func TestConfigSecrets(t *testing.T) {
	for _, tt := range configSecretsTests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ElementsMatch(t, tt.want, tt.cfg.Secrets())
		})
	}
}

// TestRedactorJSONAtMaxDepth: a document as deeply nested as the probe
// accepts has its literals redacted however they are escaped, not only
// where String finds a secret.
func TestRedactorJSONAtMaxDepth(t *testing.T) {
	opening, closing := strings.Repeat("[", expr.MaxDepth), strings.Repeat("]", expr.MaxDepth)
	doc := opening + `"a\u0062/cd"` + closing
	require.NoError(t, expr.Validate(doc))
	assert.Equal(t, opening+`"***"`+closing, (&Config{BearerToken: "ab/cd"}).Redactor().JSON(doc))
}
