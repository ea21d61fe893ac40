package output

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jsonprobe/jsonprobe/probe"
	"github.com/jsonprobe/jsonprobe/redact"
)

// maxKumaMsg bounds the msg parameter in runes; Kuma shows it in a table
// row and in notifications.
const maxKumaMsg = 240

// KumaURL builds the push URL for r. The trailing slash that Kuma answers
// with its web page instead of storing the beat is dropped.
func KumaURL(push string, r *probe.Report, warningAs string) (string, error) {
	u, err := url.Parse(push)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("kuma url %s: want http(s)://host/api/push/TOKEN", redact.URL(push))
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if !strings.Contains(u.Path, "/api/push/") {
		return "", fmt.Errorf("kuma url %s: want a Push monitor URL ending in /api/push/TOKEN", redact.URL(push))
	}
	q := url.Values{}
	q.Set("status", kumaStatus(r.State, warningAs))
	q.Set("msg", kumaMsg(r))
	q.Set("ping", kumaPing(r.FetchTime))
	u.RawQuery = q.Encode()
	u.Fragment = ""
	return u.String(), nil
}

func kumaStatus(s probe.State, warningAs string) string {
	switch {
	case s == probe.OK:
		return "up"
	case s == probe.Warning && warningAs != "down":
		return "up"
	}
	return "down"
}

// kumaMsg is the state word then the summary, on one line, bounded.
func kumaMsg(r *probe.Report) string {
	return cleanText(r.State.String()+" - "+r.Summary(), maxKumaMsg)
}

// kumaPing is the fetch time in milliseconds with microsecond precision;
// never 0, which Kuma stores as no ping at all.
func kumaPing(d time.Duration) string {
	ms := float64(d.Microseconds()) / 1000
	if ms < 0.001 {
		ms = 0.001
	}
	return strconv.FormatFloat(ms, 'f', -1, 64)
}
