package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCorpusFaults runs every expression and range of the expression
// language's fuzz corpus through the command: whatever the exit code, the
// output is a status line, never a panic.
func TestCorpusFaults(t *testing.T) {
	runFaults(t, corpusRows(t))
}

// fuzzCorpus reads the string values of every file of a go fuzz corpus
// directory; a directory that is not there gives nothing.
func fuzzCorpus(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	out := map[string][]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		require.Equal(t, "go test fuzz v1", lines[0], "%s/%s", dir, e.Name())
		var vals []string
		for _, l := range lines[1:] {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "string(") || !strings.HasSuffix(l, ")") {
				continue
			}
			s, err := strconv.Unquote(l[len("string(") : len(l)-1])
			require.NoError(t, err, "%s/%s: %s", dir, e.Name(), l)
			vals = append(vals, s)
		}
		out[e.Name()] = vals
	}
	return out
}

func corpusRows(t *testing.T) []faultRow {
	const smallDoc = `{"status":"ok","goroutines":1234,"x":5,"items":[1,2,3],"s":"text"}`
	var rows []faultRow
	add := func(name, doc string, extra ...string) {
		rows = append(rows, faultRow{name: name, anyCode: true, args: func(t *testing.T) []string {
			return append([]string{respond(t, 200, "application/json", doc), "-t", "2", "-v"}, extra...)
		}})
	}
	for _, dir := range []string{"FuzzParse", "FuzzEval", "FuzzPreload"} {
		for file, vals := range fuzzCorpus(t, filepath.Join("probe/expr/testdata/fuzz", dir)) {
			if len(vals) == 0 {
				continue
			}
			add(dir+"/"+file+" against a small document", smallDoc, "-c", vals[0])
			if len(vals) > 1 && vals[1] != "" { // FuzzEval and FuzzPreload: (expression, document)
				add(dir+"/"+file+" against its document", vals[1], "-c", vals[0])
			}
		}
	}
	for file, vals := range fuzzCorpus(t, filepath.Join("probe/expr/testdata/fuzz", "FuzzParseRange")) {
		if len(vals) > 0 {
			add("FuzzParseRange/"+file, smallDoc, "-m", "x;"+vals[0])
		}
	}
	require.NotEmpty(t, rows, "no fuzz corpus found")
	return rows
}
