package watch

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/jsonprobe/jsonprobe/probe"
)

// Options configure a watch.
type Options struct {
	Interval time.Duration // between probe starts (default 5s)
	For      time.Duration // stop after this long; 0: until the user quits
	Out      io.Writer     // the view, or the log lines
	// Terminal is the terminal to draw on and read keys from; nil for the
	// pipe mode (one line per probe).
	Terminal *os.File
	Color    bool
	// History prefills the rows: path → values, oldest first (the state
	// file's).
	History map[string][]float64
	Now     func() time.Time // time.Now when nil
}

// Run probes p's configured target every interval until ctx ends, the user
// quits (q, Ctrl-C) or For has passed, and draws each result. A probe that
// takes longer than the interval delays the next; two never overlap. It
// returns the last probe's state (Unknown before any) and whether the user
// quit.
func Run(ctx context.Context, p *probe.Probe, o Options) (last probe.State, quit bool, err error) {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.For > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.For)
		defer cancel()
	}
	m := NewModel(probe.RedactURL(p.Config().Target), o.Interval, o.Now())
	m.Prefill(o.History)
	if o.Terminal == nil {
		return runPlain(ctx, p, o)
	}
	tv, err := openView(o)
	if err != nil {
		return probe.Unknown, false, err
	}
	defer tv.close()
	return tv.loop(ctx, p, m, o)
}

// runPlain writes a line per probe: for a pipe, a file, --plain.
func runPlain(ctx context.Context, p *probe.Probe, o Options) (probe.State, bool, error) {
	last := probe.Unknown
	for {
		rep := p.Run(ctx, "")
		if ctx.Err() != nil && rep.State == probe.Unknown && rep.Err != nil {
			return last, false, nil // ended mid-probe: that probe does not count
		}
		last = rep.State
		if _, err := fmt.Fprintln(o.Out, Line(rep)); err != nil {
			return last, false, err
		}
		select {
		case <-ctx.Done():
			return last, false, nil
		case <-time.After(time.Until(rep.Time.Add(o.Interval))):
		}
	}
}

// view is the terminal while the view runs: raw keys, the alternate
// screen, the cursor hidden; close puts everything back.
type view struct {
	fd      int
	old     *term.State
	out     io.Writer
	keys    chan byte
	resized chan os.Signal
}

func openView(o Options) (*view, error) {
	fd := int(o.Terminal.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, fmt.Errorf("watch: the terminal: %w", err)
	}
	v := &view{fd: fd, old: old, out: o.Out, keys: make(chan byte, 16), resized: make(chan os.Signal, 1)}
	signal.Notify(v.resized, syscall.SIGWINCH)
	// Alternate screen, cursor hidden, screen cleared.
	_, _ = io.WriteString(v.out, "\x1b[?1049h\x1b[?25l\x1b[2J")
	go func() {
		b := make([]byte, 1)
		for {
			n, err := o.Terminal.Read(b)
			if err != nil {
				close(v.keys)
				return
			}
			if n == 1 {
				v.keys <- b[0]
			}
		}
	}()
	return v, nil
}

// close restores the terminal: cursor shown, main screen, cooked mode.
func (v *view) close() {
	signal.Stop(v.resized)
	_, _ = io.WriteString(v.out, "\x1b[?25h\x1b[?1049l")
	_ = term.Restore(v.fd, v.old)
}

func (v *view) size() (int, int) {
	w, h, err := term.GetSize(v.fd)
	if err != nil || w <= 0 || h <= 0 {
		return 80, 24
	}
	return w, h
}

// draw writes a frame over the last: each line cleared to its end, the
// rest of the screen cleared below.
func (v *view) draw(m *Model, s Screen) {
	s.Width, s.Height = v.size()
	var b []byte
	b = append(b, "\x1b[H"...)
	for i, line := range Render(m, s) {
		if i > 0 {
			b = append(b, "\r\n"...)
		}
		b = append(b, line...)
		b = append(b, "\x1b[K"...)
	}
	b = append(b, "\x1b[J"...)
	_, _ = v.out.Write(b)
}

// probed is a finished probe of the loop.
type probed struct{ rep *probe.Report }

func (v *view) loop(ctx context.Context, p *probe.Probe, m *Model, o Options) (probe.State, bool, error) {
	var s Screen
	last := probe.Unknown
	results := make(chan probed, 1)
	running := false
	// Quitting cancels a probe in flight rather than wait for its timeout.
	probeCtx, cancelProbe := context.WithCancel(ctx)
	defer cancelProbe()
	start := func() {
		running = true
		go func() { results <- probed{p.Run(probeCtx, "")} }()
	}
	next := time.NewTimer(0) // the first probe now
	defer next.Stop()
	tick := time.NewTicker(time.Second) // the clock and "for …" in the header
	defer tick.Stop()
	redraw := func() { s.Now = o.Now(); v.draw(m, s) }
	redraw()
	for {
		select {
		case <-ctx.Done():
			if running {
				<-results // Run ends at once on a done context
			}
			return last, false, nil
		case <-next.C:
			if !running && !s.Paused {
				start()
			}
		case r := <-results:
			running = false
			m.Update(r.rep)
			last = r.rep.State
			// The next probe one interval after this one started; at once
			// when it took longer.
			next.Reset(max(0, time.Until(r.rep.Time.Add(o.Interval))))
			redraw()
		case <-tick.C:
			redraw()
		case <-v.resized:
			_, _ = io.WriteString(v.out, "\x1b[2J")
			redraw()
		case k, ok := <-v.keys:
			switch {
			case !ok:
				return last, true, nil
			case k == 'q' || k == 'Q' || k == 3 || k == 4: // Ctrl-C, Ctrl-D
				if running {
					cancelProbe()
					<-results
				}
				return last, true, nil
			case k == 'p' || k == 'P':
				s.Paused = !s.Paused
				if !s.Paused {
					next.Reset(0)
				}
			case k == 'r' || k == 'R':
				if !running {
					start()
				}
			case k == '?':
				s.Help = !s.Help
			}
			redraw()
		}
	}
}
