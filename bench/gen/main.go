// Command gen writes the fixtures of bench/compare.sh into a folder: the
// documents (health.json, 1mb.json, 10mb.json), and for 1, 100 and 1000
// checks a jsonprobe checks file (checks-N.yaml) and the equivalent jq
// program (checks-N.jq).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jsonprobe/jsonprobe/internal/fixture"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	files := map[string][]byte{
		"health.json": []byte(fixture.Health),
		"1mb.json":    fixture.Document(1 << 20),
		"10mb.json":   fixture.Document(10 << 20),
	}
	for _, n := range []int{1, 100, 1000} {
		var yaml, jq strings.Builder
		yaml.WriteString("checks:\n")
		var conds []string
		for _, c := range fixture.Checks(n) {
			fmt.Fprintf(&yaml, "  - critical: %s\n", c)
			conds = append(conds, "(."+c+")")
		}
		// jq -e exits 1 when the result is false: the same decision.
		jq.WriteString("[" + strings.Join(conds, ",") + "] | any | not\n")
		files[fmt.Sprintf("checks-%d.yaml", n)] = []byte(yaml.String())
		files[fmt.Sprintf("checks-%d.jq", n)] = []byte(jq.String())
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
