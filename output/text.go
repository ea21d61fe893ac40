package output

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// maxSummary bounds the text part of the status line in runes. Nagios
	// shows the first line in its overviews, and Uptime Kuma and mail
	// subjects cut it short anyway; the long output has the details.
	maxSummary = 400
	// maxLine bounds each line of the long output in runes.
	maxLine = 1000
)

// cleanText makes s safe as (part of) one line of plugin text. A "|" would
// start the perfdata (Nagios 4 even takes every later line as perfdata), so
// it becomes "¦"; line breaks and other control characters, which the cores
// split lines on or choke on, become spaces; invalid UTF-8 becomes U+FFFD.
// The result is trimmed of surrounding spaces and cut to max runes, ending
// in "…" when it was cut.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '|':
			return '¦'
		case isBreaking(r):
			return ' '
		}
		return r
	}, s)
	return Truncate(strings.TrimSpace(s), max)
}

// OneLine is s made safe as one line of plugin text, as cleanText does, with
// runs of white space collapsed and cut to the status line's length: for
// error messages, which may come wrapped or indented.
func OneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s, maxSummary)), " ")
}

// isBreaking reports whether r is a control character or a Unicode line or
// paragraph separator: anything that could end a line or garble a terminal.
func isBreaking(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// Truncate cuts s to at most max runes, the last one "…" when it was cut.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
