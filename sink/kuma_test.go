package sink

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/internal/kumatest"
	"github.com/jsonprobe/jsonprobe/probe"
)

// TestKumaPushStoresBeat pushes to the fake Kuma and reads back what it
// stored, with the message decoded as Kuma decodes it.
func TestKumaPushStoresBeat(t *testing.T) {
	kuma := kumatest.Start("tok")
	t.Cleanup(kuma.Close)
	rep := &probe.Report{State: probe.Critical, FetchTime: 3 * time.Millisecond,
		Outcomes: []probe.Outcome{{State: probe.Critical, Summary: `status="a&b=c #x" != "ok"`}}}
	require.NoError(t, KumaPush(context.Background(), rep, KumaOptions{URL: kuma.PushURL()}))
	beats := kuma.Beats()
	require.Len(t, beats, 1)
	assert.False(t, beats[0].Up)
	assert.Equal(t, `CRITICAL - status="a&b=c #x" != "ok"`, beats[0].Msg)
	require.NotNil(t, beats[0].Ping)
	assert.Equal(t, 3.0, *beats[0].Ping)
	q, err := url.ParseQuery(beats[0].RawQuery)
	require.NoError(t, err)
	assert.Len(t, q["status"], 1)
	assert.Len(t, q["msg"], 1)
}

// TestKumaPushInterrupted: a push whose context the caller canceled says
// so, rather than "timed out", and is not retried.
func TestKumaPushInterrupted(t *testing.T) {
	kuma := kumatest.Start("tok")
	t.Cleanup(kuma.Close)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := KumaPush(ctx, &probe.Report{State: probe.OK}, KumaOptions{URL: kuma.PushURL(), Backoff: time.Hour})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "failed after 1 attempt: interrupted")
	assert.Empty(t, kuma.Beats())
}
