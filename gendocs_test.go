//go:build gendocs

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/internal/doccheck"
)

// TestDocsMan: jsonprobe(1), as man renders it 80 columns wide, has no
// warning and names every option and subcommand of the definition.
func TestDocsMan(t *testing.T) {
	d := jsonprobeDocs()
	text, warnings, err := doccheck.CheckMan(d, t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Empty(t, doccheck.Missing(d, text))
	text = doccheck.Flat(text)
	for _, want := range []string{"EXIT STATUS", "ENVIRONMENT", "JSONPROBE_NOTIFY_URL", "/usr/lib/nagios/plugins/check_jsonprobe", "include <plugins-contrib>", "EXAMPLES", "jsonprobe -u http://localhost:3000/api/monitor/health -w 'goroutines > 2000'"} {
		assert.Contains(t, text, want)
	}
}

// TestDocsBashCompletion: the completion function offers the options, the
// values of an option that has a list of them, and the subcommands.
func TestDocsBashCompletion(t *testing.T) {
	d := jsonprobeDocs()
	for line, want := range map[string][]string{
		"jsonprobe --o":             {"--output", "--on-change", "--on-error", "--on-missing"},
		"jsonprobe -o ":             {"nagios", "json", "kuma", "prometheus"},
		"jsonprobe --on-missing c":  {"critical"},
		"jsonprobe wa":              {"watch"},
		"jsonprobe watch --p":       {"--plain"},
		"jsonprobe watch --no":      {"--no-follow"},                // watch has no --notify: it sends nothing
		"jsonprobe watch --on":      {"--on-error", "--on-missing"}, // nor --on-change
		"jsonprobe watch --k":       {},                             // nor --kuma-*
		"jsonprobe watch --pr":      {},                             // nor --prom-file
		"jsonprobe watch -o ":       {"nagios", "json"},             // the formats watch writes
		"jsonprobe -u http://x -w ": {},                             // an expression: nothing to offer
		"jsonprobe --output=":       {"nagios", "json", "kuma", "prometheus"},
		"jsonprobe --output=j":      {"json"},
	} {
		got, err := doccheck.Complete(d, line)
		require.NoError(t, err)
		assert.Equal(t, want, got, line)
	}
	got, err := doccheck.Complete(d, "jsonprobe -")
	require.NoError(t, err)
	var flags []string
	for _, f := range d.App.VisibleFlags() {
		for _, n := range f.Names() {
			flags = append(flags, map[bool]string{true: "-", false: "--"}[len(n) == 1]+n)
		}
	}
	assert.ElementsMatch(t, flags, got, "every option of the root, short and long")
	assert.Contains(t, got, "--notify")
	assert.True(t, strings.HasPrefix(strings.Join(got, " "), "--url -u"), "in the help's order")

	// A file name with a space is one candidate.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "my checks.yaml"), nil, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.yaml"), nil, 0o600))
	got, err = doccheck.CompleteIn(d, dir, "jsonprobe -f my")
	require.NoError(t, err)
	assert.Equal(t, []string{"my checks.yaml"}, got)
	got, err = doccheck.CompleteIn(d, dir, "jsonprobe ")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"demo", "history", "watch", "serve", "my checks.yaml", "other.yaml"}, got, "the subcommands and the files (a TARGET)")
}

// TestDocsFishCompletion: fish offers the options, their values, files
// for a FILE, and completes check_jsonprobe as jsonprobe.
func TestDocsFishCompletion(t *testing.T) {
	d := jsonprobeDocs()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "my checks.yaml"), nil, 0o600))
	for line, want := range map[string][]string{
		"jsonprobe --o":            {"--on-change", "--on-error", "--on-missing", "--output"},
		"jsonprobe -o ":            {"json", "kuma", "nagios", "prometheus"},
		"jsonprobe -f my":          {"my checks.yaml"},
		"jsonprobe watch --p":      {"--plain"},
		"check_jsonprobe --on-m":   {"--on-missing"},
		"jsonprobe -w 'x > 1' -c ": {},
	} {
		got, err := doccheck.FishComplete(d, dir, line)
		require.NoError(t, err)
		assert.ElementsMatch(t, want, got, line)
	}
}
