// Package output renders a probe.Report for the programs that read it:
// Nagios plugin output (a status line with perfdata, then long output) for
// Nagios and Icinga, and one JSON object per line for logs and history.
//
// Renderers write to an io.Writer and never decide anything: the state, the
// summary and the order of the checks come from the Report. What they own is
// the syntax of each format, so that no string from the probed document, a
// check name or an error message can break it: the Nagios text never holds a
// "|" (it would start the perfdata) nor a line break, perfdata items follow
// the monitoring-plugins guidelines to the letter, and the JSON is always
// valid, one line, with its keys in a fixed order.
package output
