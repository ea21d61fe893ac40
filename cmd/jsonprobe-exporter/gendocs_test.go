//go:build gendocs

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jsonprobe/jsonprobe/internal/doccheck"
)

// TestDocsMan: jsonprobe-exporter(1) has no warning and names every flag.
func TestDocsMan(t *testing.T) {
	d := exporterDocs()
	text, warnings, err := doccheck.CheckMan(d, t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.Empty(t, doccheck.Missing(d, text))
	text = doccheck.Flat(text)
	assert.Contains(t, text, "jsonprobe-exporter - a Prometheus exporter")
	assert.Contains(t, text, "/etc/default/jsonprobe-exporter")
}
