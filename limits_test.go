package main

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The limits the code keeps as it grows (docs/development.md, "Limits").

// trackedFiles are the repository's files that git tracks, ending in one
// of exts.
func trackedFiles(t *testing.T, exts ...string) []string {
	t.Helper()
	out, err := exec.Command("git", "ls-files").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v (the limits are checked in a checkout)", err)
	}
	var files []string
	for _, f := range strings.Fields(string(out)) {
		for _, e := range exts {
			if strings.HasSuffix(f, e) {
				files = append(files, f)
			}
		}
	}
	require.NotEmpty(t, files)
	return files
}

// TestFunctionsAreShort: no function of the code (tests aside) is over 60
// lines, from its func line to its closing brace; the JSON scanner, one
// state machine, is the exception.
func TestFunctionsAreShort(t *testing.T) {
	fset := token.NewFileSet()
	for _, f := range trackedFiles(t, ".go") {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || f == "probe/expr/valid.go" && fn.Name.Name == "scan" {
				continue
			}
			lines := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			assert.LessOrEqual(t, lines, 60, "%s: func %s", f, fn.Name.Name)
		}
	}
}

// TestEngineNamesNoFrontEnd: the engine (probe/) holds the engine only;
// no word of it, strings and comments included, names a front-end.
func TestEngineNamesNoFrontEnd(t *testing.T) {
	words := regexp.MustCompile(`(?i)\b(kuma|notify|notifications?|prometheus|actions?|on_change|exporter|webhooks?)\b`)
	for _, f := range trackedFiles(t, ".go") {
		if !strings.HasPrefix(f, "probe/") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		forLines(t, f, func(n int, line string) {
			assert.False(t, words.MatchString(line), "%s:%d names a front-end: %s", f, n, strings.TrimSpace(line))
		})
	}
}

// TestNoOutsideCitations: no file cites a document outside the
// repository (the product's contract is written into docs/).
func TestNoOutsideCitations(t *testing.T) {
	// Spelt in two, so that this line does not cite it either.
	spec := "SP" + "EC"
	cites := regexp.MustCompile(spec + `( |\.md)?§|` + spec + `\.md|\b` + spec + `'s\b|the ` + spec + `\b`)
	for _, f := range trackedFiles(t, ".go", ".md", ".txtar", ".sh", ".yaml", ".yml") {
		forLines(t, f, func(n int, line string) {
			assert.False(t, cites.MatchString(line), "%s:%d cites a document outside the repository: %s", f, n, strings.TrimSpace(line))
		})
	}
}

// TestReadmeIsAFrontDoor: README.md is at most 250 lines, and its first
// section is the quick start, with make demo and make test.
func TestReadmeIsAFrontDoor(t *testing.T) {
	b, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(b)
	assert.LessOrEqual(t, strings.Count(text, "\n"), 250)
	first := regexp.MustCompile(`(?m)^## .*$`).FindString(text)
	assert.Equal(t, "## Quick start", first)
	assert.Contains(t, text, "make demo")
	assert.Contains(t, text, "make test")
}

// forLines calls fn with each line of the file f and its number.
func forLines(t *testing.T, f string, fn func(n int, line string)) {
	t.Helper()
	file, err := os.Open(filepath.FromSlash(f))
	require.NoError(t, err)
	defer file.Close()
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		fn(n, sc.Text())
	}
	require.NoError(t, sc.Err())
}
