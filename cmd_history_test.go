package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/output"
)

// TestHistoryWindow: --since takes a duration back from now or a time,
// --last a duration; a value that is neither is named in the error.
func TestHistoryWindow(t *testing.T) {
	now := time.Date(2026, 12, 8, 3, 50, 31, 0, time.UTC)
	local := func(s string) time.Time {
		lt, err := time.ParseInLocation("2006-01-02 15:04:05", s, time.Local)
		require.NoError(t, err)
		return lt
	}
	tests := []struct {
		name, since, last string
		want              output.Window
		err               string
	}{
		{name: "neither: the whole log"},
		{name: "last, a Go duration", last: "1h30m", want: output.Window{Last: 90 * time.Minute}},
		{name: "last, days", last: "7d", want: output.Window{Last: 7 * 24 * time.Hour}},
		{name: "last, days and hours", last: "1d12h", want: output.Window{Last: 36 * time.Hour}},
		{name: "since, a duration before now", since: "1h", want: output.Window{Since: now.Add(-time.Hour)}},
		{name: "since, days before now", since: "2d", want: output.Window{Since: now.Add(-48 * time.Hour)}},
		{name: "since, RFC 3339", since: "2026-12-08T03:00:00+08:00", want: output.Window{Since: time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)}},
		{name: "since, a watch line's time", since: "2026-12-08 03:00:00", want: output.Window{Since: local("2026-12-08 03:00:00")}},
		{name: "since, without a zone", since: "2026-12-08T03:00:00", want: output.Window{Since: local("2026-12-08 03:00:00")}},
		{name: "since, a date", since: "2026-12-08", want: output.Window{Since: local("2026-12-08 00:00:00")}},
		{name: "both", since: "1h", last: "1h", err: `--since "1h" and --last "1h": give one of them`},
		{name: "last, no duration", last: "1x", err: `--last "1x": want a duration such as 30m, 1h or 7d`},
		{name: "last, a time", last: "2026-12-08", err: `--last "2026-12-08": want a duration such as 30m, 1h or 7d`},
		{name: "last, decimal days", last: "1.5d", err: `--last "1.5d": want a duration such as 30m, 1h or 7d`},
		{name: "last, a sign after the days", last: "1d-1h", err: `--last "1d-1h": want a duration such as 30m, 1h or 7d`},
		{name: "last, too many days", last: "99999999d", err: `--last "99999999d": want a duration such as 30m, 1h or 7d`},
		{name: "last, zero", last: "0s", err: `--last "0s": must be greater than 0`},
		{name: "last, zero days", last: "0d", err: `--last "0d": must be greater than 0`},
		{name: "last, negative", last: "-1h", err: `--last "-1h": must be greater than 0`},
		{name: "since, negative", since: "-2d", err: `--since "-2d": must be greater than 0`},
		{name: "since, neither", since: "yesterday", err: `--since "yesterday": want a duration before now (30m, 1h, 7d) or a time (2026-12-08T03:00:00Z, 2026-12-08 11:00:00 in local time, 2026-12-08)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := historyWindow(tt.since, tt.last, now)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Last, got.Last)
			assert.True(t, tt.want.Since.Equal(got.Since), "since %s, want %s", got.Since, tt.want.Since)
		})
	}
}
