package expr_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// TestAgeFormats covers the timestamp forms age() reads besides RFC 3339
// and Unix time (see TestEvalFunctions): each is 60 seconds before now.
func TestAgeFormats(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 1, 0, 0, time.UTC)
	rows := []struct {
		name string
		ts   string
		want float64 // seconds
	}{
		{name: "offset without colon", ts: "2026-12-06T10:00:00+0000", want: 60},
		{name: "offset without colon, fraction, negative", ts: "2026-12-06T03:00:00.5-0700", want: 59.5},
		{name: "offset without colon, space for T", ts: "2026-12-06 11:00:00+0100", want: 60},
		{name: "Z with space for T", ts: "2026-12-06 10:00:00Z", want: 60},
		{name: "date only is midnight UTC", ts: "2026-12-06", want: 10*3600 + 60},
		{name: "RFC 1123 HTTP-date", ts: "Sun, 06 Dec 2026 10:00:00 GMT", want: 60},
		{name: "RFC 1123 in UTC", ts: "Sun, 06 Dec 2026 10:00:00 UTC", want: 60},
		{name: "RFC 1123 with numeric zone", ts: "Sun, 06 Dec 2026 12:00:00 +0200", want: 60},
		{name: "RFC 3339 still", ts: "2026-12-06T10:00:00Z", want: 60},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			env := &expr.Env{Doc: fmt.Sprintf(`{"ts":%q}`, row.ts), Now: now}
			_, obs, err := expr.MustParse("age(ts) > 0").Trace(env)
			require.NoError(t, err)
			require.Len(t, obs, 1)
			assert.Equal(t, row.want, obs[0].Value.Num)
		})
	}
	const want = "timestamp (RFC 3339 or ISO 8601 date, RFC 1123, Unix seconds or milliseconds)"
	for _, bad := range []string{
		"Sun, 06 Dec 2026 10:00:00 PST", // a zone name Go would read as UTC
		"2026-12-06T10:00",              // no seconds
		"06/12/2026",
		"2026-12-06T10:00:00+00",
		"2026-13-01",
	} {
		t.Run("rejects "+bad, func(t *testing.T) {
			env := &expr.Env{Doc: fmt.Sprintf(`{"ts":%q}`, bad), Now: now}
			_, err := expr.MustParse("age(ts) > 0").Eval(env)
			assert.EqualError(t, err, fmt.Sprintf("ts: got string %q, want %s", bad, want))
		})
	}
}

// TestAgeNagiosHTTPJSON replays the timestamps of nagios-http-json's
// test_key_time (github.com/drewkerrigan/nagios-http-json,
// test/test_check_http_json.py, at commit 7db72cb): the Python 3.11
// branch writes str(datetime.now(timezone.utc)), shifted by 31 minutes,
// 2h1m and 1d1m into the past and 2h1m into the future, as
// "2026-12-06 10:00:00.123456+00:00"; the older branch writes the date-only
// "2020-01-01" (its README's example is "2020-01-01 10:10:00.000000+00:00").
// Its --key_time thresholds, and the state each test expects, translate to
// expressions that fire when the plugin reports WARNING or CRITICAL:
//
//	TIME   fires when age > TIME        age(timestamp) > TIME
//	@TIME  fires when not age > TIME    age(timestamp) <= TIME
//	-TIME  fires when age < -TIME       age(timestamp) < -TIME
//	@-TIME fires when not age < -TIME   age(timestamp) >= -TIME
func TestAgeNagiosHTTPJSON(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 123456000, time.UTC)
	python := func(d time.Duration) string {
		return now.Add(d).Format("2006-01-02 15:04:05.000000-07:00") // Python's str(datetime)
	}
	thresholds := []string{"30m", "1h", "3h", "2d"}
	forms := func(th string) []string {
		return []string{"age(timestamp) > " + th, "age(timestamp) <= " + th, "age(timestamp) < -" + th, "age(timestamp) >= -" + th}
	}
	// fires lists, per timestamp, whether each of TIME, @TIME, -TIME and
	// @-TIME fires for 30m, 1h, 3h and 2d, as test_key_time expects.
	rows := []struct {
		name  string
		ts    string
		fires [4][4]bool // [threshold][form]
	}{
		{name: "now", ts: python(0), fires: [4][4]bool{
			{false, true, false, true}, {false, true, false, true}, {false, true, false, true}, {false, true, false, true}}},
		{name: "31 minutes ago", ts: python(-31 * time.Minute), fires: [4][4]bool{
			{true, false, false, true}, {false, true, false, true}, {false, true, false, true}, {false, true, false, true}}},
		{name: "2h1m ago", ts: python(-2*time.Hour - time.Minute), fires: [4][4]bool{
			{true, false, false, true}, {true, false, false, true}, {false, true, false, true}, {false, true, false, true}}},
		{name: "1d1m ago", ts: python(-24*time.Hour - time.Minute), fires: [4][4]bool{
			{true, false, false, true}, {true, false, false, true}, {true, false, false, true}, {false, true, false, true}}},
		{name: "2h1m ahead", ts: python(2*time.Hour + time.Minute), fires: [4][4]bool{
			{false, true, true, false}, {false, true, true, false}, {false, true, false, true}, {false, true, false, true}}},
		{name: "date only 2020-01-01", ts: "2020-01-01", fires: [4][4]bool{
			{true, false, false, true}, {true, false, false, true}, {true, false, false, true}, {true, false, false, true}}},
		{name: "README example", ts: "2020-01-01 10:10:00.000000+00:00", fires: [4][4]bool{
			{true, false, false, true}, {true, false, false, true}, {true, false, false, true}, {true, false, false, true}}},
	}
	for _, row := range rows {
		env := &expr.Env{Doc: fmt.Sprintf(`{"timestamp":%q}`, row.ts), Now: now}
		for i, th := range thresholds {
			for j, src := range forms(th) {
				t.Run(row.name+"/"+src, func(t *testing.T) {
					fired, err := expr.MustParse(src).Eval(env)
					require.NoError(t, err)
					assert.Equal(t, row.fires[i][j], fired)
				})
			}
		}
	}
}
