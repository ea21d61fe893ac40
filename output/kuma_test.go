package output

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/probe"
)

func TestKumaURL(t *testing.T) {
	rep := &probe.Report{State: probe.Warning, FetchTime: 1234567 * time.Nanosecond,
		Outcomes: []probe.Outcome{{State: probe.Warning, Summary: "goroutines=2156 > 2000"}}}
	tests := []struct {
		name, push, warningAs, want, wantErr string
	}{
		{name: "plain", push: "https://kuma.example/api/push/T0k",
			want: "https://kuma.example/api/push/T0k?msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=1.234&status=up"},
		{name: "UI query replaced", push: "https://kuma.example/api/push/T0k?status=up&msg=OK&ping=",
			want: "https://kuma.example/api/push/T0k?msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=1.234&status=up"},
		{name: "warning as down", push: "https://kuma.example/api/push/T0k", warningAs: "down",
			want: "https://kuma.example/api/push/T0k?msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=1.234&status=down"},
		{name: "trailing slash", push: "http://kuma:3001/api/push/T0k/",
			want: "http://kuma:3001/api/push/T0k?msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=1.234&status=up"},
		{name: "under a path prefix", push: "https://example.org/kuma/api/push/T0k",
			want: "https://example.org/kuma/api/push/T0k?msg=WARNING+-+goroutines%3D2156+%3E+2000&ping=1.234&status=up"},
		{name: "not http", push: "ftp://kuma/api/push/T0k", wantErr: "kuma url ftp://kuma/api/push/***: want http(s)://host/api/push/TOKEN"},
		{name: "not a push URL", push: "https://kuma/dashboard/3", wantErr: "kuma url https://kuma/dashboard/3: want a Push monitor URL ending in /api/push/TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KumaURL(tt.push, rep, tt.warningAs)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestKumaStatus(t *testing.T) {
	tests := []struct {
		state     probe.State
		warningAs string
		want      string
	}{
		{probe.OK, "", "up"}, {probe.OK, "down", "up"},
		{probe.Warning, "", "up"}, {probe.Warning, "up", "up"}, {probe.Warning, "down", "down"},
		{probe.Critical, "up", "down"}, {probe.Unknown, "up", "down"},
	}
	for _, tt := range tests {
		t.Run(tt.state.String()+"/"+tt.warningAs, func(t *testing.T) {
			assert.Equal(t, tt.want, kumaStatus(tt.state, tt.warningAs))
		})
	}
}

func TestKumaPingNeverZero(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.001"}, {500 * time.Nanosecond, "0.001"}, {time.Microsecond, "0.001"},
		{1500 * time.Microsecond, "1.5"}, {2 * time.Second, "2000"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			assert.Equal(t, tt.want, kumaPing(tt.d))
		})
	}
}

// TestKumaMsgBounded: a long, multi-line, pipe-laden summary becomes one
// line under 250 characters, state word first.
func TestKumaMsgBounded(t *testing.T) {
	long := strings.Repeat("svc|x=1\n", 200)
	rep := &probe.Report{State: probe.Critical, Outcomes: []probe.Outcome{{State: probe.Critical, Summary: long}}}
	msg := kumaMsg(rep)
	assert.True(t, strings.HasPrefix(msg, "CRITICAL - svc¦x=1 svc¦x=1"), msg)
	assert.LessOrEqual(t, utf8.RuneCountInString(msg), 250)
	assert.NotContains(t, msg, "\n")
	assert.True(t, strings.HasSuffix(msg, "…"))
}
