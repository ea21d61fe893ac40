// jsonprobe history: the summary of a log of -o json results or watch lines.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/jsonprobe/jsonprobe/output"
)

// history's usage line, its arguments and options, for the help and the
// man page.
const (
	historyUsage = "summarize a log of jsonprobe -o json results or jsonprobe watch lines: count, min, max, average, trend, change and trend per hour of each value"
	historyArgs  = "[--last DUR | --since DUR|TIME] [--sparkline] FILE"
)

// historyFlags are history's options.
func historyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "sparkline", Usage: "draw a sparkline of each metric (the default on a terminal)", DisableDefaultText: true},
		&cli.StringFlag{Name: "since", Usage: "only the runs since `DUR|TIME`: 1h (an hour before now), 2026-12-08T03:00:00Z, 2026-12-08 11:00:00 (local time)"},
		&cli.StringFlag{Name: "last", Usage: "only the runs in the `DUR` up to the newest one: 1h, 30m, 7d"},
	}
}

// history prints the per-metric summary of a log.
func (inv *invocation) history(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("history: give one FILE, written by jsonprobe -o json >> FILE or jsonprobe watch >> FILE")
	}
	window, err := historyWindow(c.String("since"), c.String("last"), time.Now())
	if err != nil {
		return usageError{err}
	}
	var data io.Reader = inv.stdin
	if name := c.Args().First(); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return usagef("history %q: %s", name, strings.TrimPrefix(err.Error(), "open "+name+": "))
		}
		defer f.Close()
		data = f
	}
	h, err := output.ReadHistoryWindow(data, window)
	if err != nil {
		return usageError{err}
	}
	switch {
	case h.Runs+h.Earlier == 0:
		return usagef("history %q: no jsonprobe JSON results or watch lines in %d lines", c.Args().First(), h.Lines)
	case h.Runs == 0:
		return usagef("history %q: no runs since %s: the newest of %d is at %s", c.Args().First(),
			h.From.Format(time.RFC3339), h.Earlier, h.Newest.Format(time.RFC3339))
	}
	if err := output.WriteHistory(inv.stdout, h, c.Bool("sparkline") || isTerminal(inv.stdout)); err != nil {
		fmt.Fprintf(inv.stderr, "jsonprobe: writing output: %v\n", err)
	}
	return nil
}

// historyWindow is the part of the log that --since and --last choose;
// --since DUR counts back from now.
func historyWindow(since, last string, now time.Time) (output.Window, error) {
	var w output.Window
	switch {
	case since != "" && last != "":
		return w, fmt.Errorf("--since %q and --last %q: give one of them", since, last)
	case last != "":
		d, err := historyDuration(last)
		if err != nil {
			return w, fmt.Errorf("--last %q: %w", last, err)
		}
		w.Last = d
	case since != "":
		d, err := historyDuration(since)
		if errors.Is(err, errNotPositive) {
			return w, fmt.Errorf("--since %q: %w", since, err)
		}
		if err == nil {
			w.Since = now.Add(-d)
			return w, nil
		}
		t, err := historyTime(since)
		if err != nil {
			return w, fmt.Errorf("--since %q: %w", since, err)
		}
		w.Since = t
	}
	return w, nil
}

var (
	errNotPositive = errors.New("must be greater than 0")
	errNoDuration  = errors.New("want a duration such as 30m, 1h or 7d")
	errNoTime      = errors.New("want a duration before now (30m, 1h, 7d) or a time (2026-12-08T03:00:00Z, 2026-12-08 11:00:00 in local time, 2026-12-08)")
)

// maxHistoryDays bounds the days of a duration, far inside what a
// time.Duration holds.
const maxHistoryDays = 100 * 366

// historyDuration reads a positive duration: Go's (90s, 30m, 1h30m), with
// whole days before it (7d, 1d12h).
func historyDuration(s string) (time.Duration, error) {
	days, rest, hasDays := 0, s, false
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		rest = s[i+1:]
		if err != nil || n > maxHistoryDays || n < -maxHistoryDays || rest != "" && (rest[0] < '0' || rest[0] > '9') {
			return 0, errNoDuration
		}
		days, hasDays = n, true
	}
	var d time.Duration
	if rest != "" || !hasDays {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, errNoDuration
		}
	}
	if d += time.Duration(days) * 24 * time.Hour; d <= 0 {
		return 0, errNotPositive
	}
	return d, nil
}

// historyTime reads a time: RFC 3339, or without a zone in local time, as
// the watch lines have it, or a date (its midnight, local time).
func historyTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errNoTime
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
