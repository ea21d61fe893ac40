package watch

import (
	"context"
	"errors"
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
	// Terminal is the terminal to draw on; nil for the pipe mode (one line
	// per probe), which JSON and Quiet choose too.
	Terminal *os.File
	// JSON writes each probe as the one-shot probe's -o json line instead
	// of its log line.
	JSON bool
	// Quiet writes no line for an OK probe; a JSON line is a record and is
	// written whatever the state, as the one-shot probe writes it.
	Quiet bool
	// Verbose shows each check's expression and what it found: the Nagios
	// long output after each probe's line, a line under each check's row
	// in the view.
	Verbose bool
	// Keys is the terminal the keys come from (stdin); nil when there is
	// none, and a signal is the only way out.
	Keys  *os.File
	Color bool
	// History prefills the rows: path → values, oldest first (the state
	// file's).
	History map[string][]float64
	Now     func() time.Time // time.Now when nil
}

// End is how a watch ended.
type End int

// The ends of a watch.
const (
	Quit        End = iota // the user quit (q, Ctrl-C in the view)
	Done                   // --for passed
	Interrupted            // the context ended first (a signal)
)

// errForPassed is the cause that ends the probes when For has passed: a
// cancellation, so that a probe in flight ends as interrupted, not as a
// timeout (which would be CRITICAL), and does not count.
var errForPassed = errors.New("the watch's --for passed")

// Run probes p's configured target every interval until ctx ends, the user
// quits (q, Ctrl-C) or For has passed, and draws each result. A probe that
// takes longer than the interval delays the next; two never overlap. It
// returns the last finished probe's state (Unknown before any) and how the
// watch ended.
func Run(ctx context.Context, p *probe.Probe, o Options) (last probe.State, end End, err error) {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if o.For > 0 {
		t := time.AfterFunc(o.For, func() { cancel(errForPassed) })
		defer t.Stop()
	}
	ended := func() End {
		if errors.Is(context.Cause(ctx), errForPassed) {
			return Done
		}
		return Interrupted
	}
	if o.Terminal == nil || o.JSON || o.Quiet {
		last, err := runPlain(ctx, p, o)
		return last, ended(), err
	}
	m := NewModel(p.Config().Redactor().URL(p.Config().Target), o.Interval, o.Now())
	m.Prefill(o.History)
	tv, err := openView(o)
	if err != nil {
		return probe.Unknown, Interrupted, err
	}
	defer tv.close()
	last, quit := tv.loop(ctx, p, m, o)
	if quit {
		return last, Quit, nil
	}
	return last, ended(), nil
}

// runPlain writes a line per probe: for a pipe, a file, --plain, -q and
// -o json. A probe that the end of the watch cut short is not written and
// does not count.
func runPlain(ctx context.Context, p *probe.Probe, o Options) (probe.State, error) {
	last := probe.Unknown
	for {
		rep := p.Run(ctx, "")
		if ctx.Err() != nil {
			return last, nil
		}
		last = rep.State
		if err := writeRun(o.Out, rep, o); err != nil {
			return last, err
		}
		select {
		case <-ctx.Done():
			return last, nil
		case <-time.After(time.Until(rep.Time.Add(o.Interval))):
		}
	}
}

// view is the terminal while the view runs: raw keys, the alternate
// screen, the cursor hidden; close puts everything back.
type view struct {
	fd      int // the terminal drawn on, for its size
	keyFD   int
	old     *term.State // the keys terminal's mode before raw; nil without keys
	out     io.Writer
	keys    chan byte // nil without keys
	resized chan os.Signal
}

func openView(o Options) (*view, error) {
	v := &view{fd: int(o.Terminal.Fd()), out: o.Out, resized: make(chan os.Signal, 1)}
	if o.Keys != nil {
		kfd := int(o.Keys.Fd())
		old, err := term.MakeRaw(kfd)
		if err != nil {
			return nil, fmt.Errorf("watch: the terminal: %w", err)
		}
		v.keyFD, v.old = kfd, old
		v.keys = make(chan byte, 16)
		go readKeys(o.Keys, v.keys)
	}
	signal.Notify(v.resized, syscall.SIGWINCH)
	// Alternate screen, cursor hidden, screen cleared.
	_, _ = io.WriteString(v.out, "\x1b[?1049h\x1b[?25l\x1b[2J")
	return v, nil
}

// readKeys sends the keys pressed. A read of more than one byte is an
// escape sequence (a function or arrow key) or a paste, never a command,
// and is dropped. A read error ends the keys, not the view.
func readKeys(f *os.File, keys chan<- byte) {
	b := make([]byte, 64)
	for {
		n, err := f.Read(b)
		if err != nil {
			close(keys)
			return
		}
		if n == 1 {
			keys <- b[0]
		}
	}
}

// close restores the terminal: cursor shown, main screen, cooked mode.
func (v *view) close() {
	signal.Stop(v.resized)
	_, _ = io.WriteString(v.out, "\x1b[?25h\x1b[?1049l")
	if v.old != nil {
		_ = term.Restore(v.keyFD, v.old)
	}
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
		// Cleared first: clearing after a line that fills the width would
		// erase its last column on some terminals.
		b = append(b, "\x1b[2K"...)
		b = append(b, line...)
	}
	b = append(b, "\x1b[J"...)
	_, _ = v.out.Write(b)
}

// probed is a finished probe of the loop.
type probed struct{ rep *probe.Report }

// loop runs the view until ctx ends or the user quits: a probe at once,
// then one interval after each started, a redraw on each result, each
// second, each resize and each key.
func (v *view) loop(ctx context.Context, p *probe.Probe, m *Model, o Options) (last probe.State, quit bool) {
	last = probe.Unknown
	// Quitting cancels a probe in flight rather than wait for its timeout.
	probeCtx, cancelProbe := context.WithCancel(ctx)
	defer cancelProbe()
	l := &viewLoop{view: v, p: p, m: m, o: o, s: Screen{Color: o.Color, Verbose: o.Verbose}, results: make(chan probed, 1),
		probeCtx: probeCtx, cancelProbe: cancelProbe, next: time.NewTimer(0)} // the first probe now
	defer l.next.Stop()
	tick := time.NewTicker(time.Second) // the clock and "for …" in the header
	defer tick.Stop()
	l.redraw()
	for {
		select {
		case <-ctx.Done():
			if l.running {
				<-l.results // Run ends at once on a done context; it does not count
			}
			return last, false
		case <-l.next.C:
			if !l.running && !l.s.Paused {
				l.start()
			}
		case r := <-l.results:
			l.running = false
			if ctx.Err() != nil {
				return last, false // cut short by the end: it does not count
			}
			l.finished(r.rep)
			last = r.rep.State
		case <-tick.C:
			l.redraw()
		case <-l.resized:
			_, _ = io.WriteString(l.out, "\x1b[2J")
			l.redraw()
		case k, ok := <-l.keys:
			if l.key(k, ok) {
				return last, true
			}
		}
	}
}

// viewLoop is what the view's loop keeps between events: the screen's
// settings, the probe in flight and when the next one starts.
type viewLoop struct {
	*view
	p           *probe.Probe
	m           *Model
	o           Options
	s           Screen
	results     chan probed
	running     bool // a probe is in flight; its result comes on results
	probeCtx    context.Context
	cancelProbe context.CancelFunc
	next        *time.Timer
}

// start runs a probe in the background.
func (l *viewLoop) start() {
	l.running = true
	go func() { l.results <- probed{l.p.Run(l.probeCtx, "")} }()
}

// redraw draws the model as of now.
func (l *viewLoop) redraw() { l.s.Now = l.o.Now(); l.draw(l.m, l.s) }

// finished shows a probe's report and sets the next probe one interval
// after this one started; at once when it took longer.
func (l *viewLoop) finished(rep *probe.Report) {
	l.m.Update(rep)
	l.next.Reset(max(0, time.Until(rep.Time.Add(l.o.Interval))))
	l.redraw()
}

// key acts on a key pressed (ok is false when the keys ended) and redraws.
// It returns true to quit, once the probe in flight has ended.
func (l *viewLoop) key(k byte, ok bool) (quit bool) {
	switch {
	case !ok:
		l.keys = nil // no more keys; a signal ends the view
	case k == 'q' || k == 3 || k == 4: // Ctrl-C, Ctrl-D
		if l.running {
			l.cancelProbe()
			<-l.results
		}
		return true
	case k == 'p':
		l.s.Paused = !l.s.Paused
		if !l.s.Paused {
			l.next.Reset(0)
		}
	case k == 'r':
		if !l.running {
			l.start()
		}
	case k == '?':
		l.s.Help = !l.s.Help
	}
	l.redraw()
	return false
}
