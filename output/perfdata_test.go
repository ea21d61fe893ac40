package output

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/jsonprobe/jsonprobe/probe"
)

// The perfdata grammar of the monitoring-plugins guidelines, strictly:
// 'label'=value[UOM];[warn];[crit];[min];[max], a quoted label holding no
// "=" and its "'" doubled, plain decimals, ranges [@]start:end, and no
// trailing ";".
const (
	reNum      = `-?[0-9]+(?:\.[0-9]+)?`
	reLabel    = `(?:'(?:[^'=|\x00-\x1f\x7f]|'')+'|[A-Za-z0-9_.:/-]+)`
	reUOM      = `(?:s|ms|us|%|B|KB|MB|GB|TB|c)?`
	reRange    = `@?(?:(?:~|` + reNum + `):(?:` + reNum + `)?|` + reNum + `)`
	rePerfItem = reLabel + `=` + reNum + reUOM +
		`(?:;(?:` + reRange + `)?(?:;(?:` + reRange + `)?(?:;(?:` + reNum + `)?(?:;` + reNum + `)?)?)?)?`
)

var (
	perfItemRE   = regexp.MustCompile(`^` + rePerfItem + `$`)
	perfDataRE   = regexp.MustCompile(`^` + rePerfItem + `(?: ` + rePerfItem + `)*$`)
	statusLineRE = regexp.MustCompile(`^JSONPROBE (OK|WARNING|CRITICAL|UNKNOWN) - `)
)

// checkPerfData asserts that perf is valid perfdata: items that each match
// the grammar, separated by single spaces, none ending in ";".
func checkPerfData(t testing.TB, perf string) {
	t.Helper()
	if !perfDataRE.MatchString(perf) {
		t.Fatalf("perfdata does not match the guidelines' grammar: %q", perf)
	}
	if strings.Contains(perf, "; ") || strings.HasSuffix(perf, ";") {
		t.Fatalf("perfdata has a trailing empty field: %q", perf)
	}
}

func TestPerfData(t *testing.T) {
	tests := []struct {
		name  string
		items []probe.Perf
		want  string
	}{
		{"nothing", nil, ""},
		{"value only", []probe.Perf{{Label: "memory.sys_mb", Value: 512, UOM: "MB"}}, "memory.sys_mb=512MB"},
		{"thresholds", []probe.Perf{{Label: "goroutines", Value: 2156, Warn: mustRange("~:2000"), Crit: mustRange("~:5000")}},
			"goroutines=2156;~:2000;~:5000"},
		{"time", []probe.Perf{{Label: "time", Value: 0.004, UOM: "s", Warn: mustRange("~:1"), Crit: mustRange("~:5"), Min: "0"}},
			"time=0.004s;~:1;~:5;0"},
		{"size keeps empty middle fields", []probe.Perf{{Label: "size", Value: 112, UOM: "B", Min: "0"}},
			"size=112B;;;0"},
		{"max only", []probe.Perf{{Label: "pct", Value: 5, UOM: "%", Max: "100"}}, "pct=5%;;;;100"},
		{"order kept", []probe.Perf{{Label: "b", Value: 2}, {Label: "a", Value: 1}}, "b=2 a=1"},
		{"counter", []probe.Perf{{Label: "memory.num_gc", Value: 45, UOM: "c"}}, "memory.num_gc=45c"},
		{"space quoted", []probe.Perf{{Label: "disk free", Value: 1}}, "'disk free'=1"},
		{"quote doubled", []probe.Perf{{Label: "it's", Value: 1}}, "'it''s'=1"},
		{"equals replaced", []probe.Perf{{Label: "a=b", Value: 1}}, "a_b=1"},
		{"pipe replaced", []probe.Perf{{Label: "a|b", Value: 1}}, "a_b=1"},
		{"newline replaced", []probe.Perf{{Label: "a\nb", Value: 1}}, "a_b=1"},
		{"unicode quoted", []probe.Perf{{Label: "mémoire", Value: 1}}, "'mémoire'=1"},
		{"invalid utf-8 replaced", []probe.Perf{{Label: "a\xffb", Value: 1}}, "a_b=1"},
		{"empty label", []probe.Perf{{Label: "", Value: 1}}, "_=1"},
		{"gjson query quoted", []probe.Perf{{Label: `items.#(ok==false)#`, Value: 0}}, `'items.#(ok__false)#'=0`},
		{"bare punctuation", []probe.Perf{{Label: "a_b.c:d/e-f", Value: 1}}, "a_b.c:d/e-f=1"},
		{"nan dropped", []probe.Perf{{Label: "a", Value: math.NaN()}, {Label: "b", Value: 1}}, "b=1"},
		{"inf dropped", []probe.Perf{{Label: "a", Value: math.Inf(-1)}}, ""},
		{"no exponent big", []probe.Perf{{Label: "a", Value: 1e21}}, "a=1000000000000000000000"},
		{"no exponent small", []probe.Perf{{Label: "a", Value: 1.5e-7}}, "a=0.00000015"},
		{"negative", []probe.Perf{{Label: "a", Value: -0.25}}, "a=-0.25"},
		{"negative zero", []probe.Perf{{Label: "a", Value: math.Copysign(0, -1)}}, "a=0"},
		{"ranges canonical", []probe.Perf{{Label: "a", Value: 1, Warn: mustRange("0:10"), Crit: mustRange("+5:")}}, "a=1;10;5:"},
		{"inside range", []probe.Perf{{Label: "a", Value: 1, Warn: mustRange("@~:5"), Crit: mustRange("@-1:1")}}, "a=1;@~:5;@-1:1"},
		{"bad range dropped", []probe.Perf{{Label: "a", Value: 1, Warn: &probe.Range{Start: math.NaN()}, Crit: &probe.Range{Start: 5, End: 1}}}, "a=1"},
		{"infinite bound dropped", []probe.Perf{{Label: "a", Value: 1, Warn: &probe.Range{Start: math.Inf(1), End: math.Inf(1)}}}, "a=1"},
		{"bounds plain", []probe.Perf{{Label: "a", Value: 1, Min: "1e3", Max: " 2.50 "}}, "a=1;;;1000;2.5"},
		{"bad bounds dropped", []probe.Perf{{Label: "a", Value: 1, Min: "NaN", Max: "x"}}, "a=1"},
		{"bad uom dropped", []probe.Perf{{Label: "a", Value: 1, UOM: "M B"}}, "a=1"},
		{"icinga uom kept", []probe.Perf{{Label: "a", Value: 1, UOM: "KiB"}}, "a=1KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PerfData(tt.items)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestPerfDataGrammar checks the grammar check itself: it must accept the
// guidelines' own forms and reject what Nagios or Icinga would misread.
func TestPerfDataGrammar(t *testing.T) {
	tests := []struct {
		name string
		perf string
		ok   bool
	}{
		{"spec example", "goroutines=2156;~:2000;~:5000 memory.alloc_mb=256MB;~:3072;~:4096 memory.sys_mb=512MB memory.num_gc=45c time=0.004s;~:1;~:5;0 size=112B;;;0", true},
		{"quoted label", "'a b'=1", true},
		{"doubled quote", "'it''s'=1", true},
		{"inside range", "a=1;@10:20;@~:5", true},
		{"scientific", "a=1e5", false},
		{"comma decimal", "a=1,5s", false},
		{"unknown value", "a=U", false},
		{"no value", "a=", false},
		{"equals in label", "'a=b'=1", false},
		{"unquoted space", "a b=1", false},
		{"trailing semicolon", "a=1;", false},
		{"bad uom", "a=1oops", false},
		{"double space", "a=1  b=2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok := perfDataRE.MatchString(tt.perf) && !strings.HasSuffix(tt.perf, ";") && !strings.Contains(tt.perf, "; ")
			assert.Equal(t, tt.ok, ok)
		})
	}
}

// TestGoldenNagiosSyntax reads every Nagios golden file and checks what the
// cores rely on: perfdata after the first line's single "|" only, in the
// guidelines' grammar, and no "|" or CR anywhere else.
func TestGoldenNagiosSyntax(t *testing.T) {
	forEachGolden(t, "*.nagios.golden", func(t *testing.T, data []byte) { checkNagiosOutput(t, string(data)) })
}

// checkNagiosOutput asserts the plugin-output syntax of out.
func checkNagiosOutput(t testing.TB, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("output does not end in a newline: %q", out)
	}
	if strings.ContainsRune(out, '\r') {
		t.Fatalf("output holds a CR: %q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	first := lines[0]
	if !statusLineRE.MatchString(first) {
		t.Fatalf("bad status line: %q", first)
	}
	text, perf, hasPerf := strings.Cut(first, " | ")
	if strings.Contains(text, "|") || strings.Contains(perf, "|") {
		t.Fatalf("more than one | on the status line: %q", first)
	}
	if hasPerf {
		checkPerfData(t, perf)
	}
	for i, l := range lines[1:] {
		if strings.Contains(l, "|") {
			t.Fatalf("line %d holds a |: %q", i+2, l)
		}
	}
}

// mustRange is the range s parses to, nil for "".
func mustRange(s string) *probe.Range {
	r, err := probe.ParseRange(s)
	if err != nil {
		panic(err)
	}
	return r
}

// FuzzPerfData feeds arbitrary labels, values and threshold text: an item
// is either dropped (NaN, ±Inf) or valid perfdata whose label and value
// read back as what was given.
func FuzzPerfData(f *testing.F) {
	f.Add("goroutines", 2156.0, "~:2000", "0")
	f.Add("disk free", 12.5, "@10:20", "")
	f.Add("it's", -0.25, "10", "100")
	f.Add("a=b|c\n", 1e21, "1e3", "1e3")
	f.Add("mémoire", 1.5e-7, "~:", "NaN")
	f.Add("\xff'", math.NaN(), "", "")
	f.Add("", math.Inf(1), "+5:", "-0")
	f.Fuzz(func(t *testing.T, label string, value float64, warn, max string) {
		rg, _ := probe.ParseRange(warn) // nil when warn is not a range
		p := probe.Perf{Label: label, Value: value, UOM: "MB", Warn: rg, Crit: rg, Min: "0", Max: max}
		got := PerfData([]probe.Perf{p})
		if math.IsNaN(value) || math.IsInf(value, 0) {
			if got != "" {
				t.Fatalf("unprintable value %v written: %q", value, got)
			}
			return
		}
		if !perfItemRE.MatchString(got) || strings.HasSuffix(got, ";") {
			t.Fatalf("item does not match the grammar: %q", got)
		}
		// The label needs no "=" of its own, so the first "=" ends it. It
		// reads back as given unless it had to be sanitised.
		gotLabel, rest, _ := strings.Cut(got, "=")
		if strings.HasPrefix(gotLabel, "'") {
			gotLabel = strings.ReplaceAll(gotLabel[1:len(gotLabel)-1], "''", "'")
		}
		clean := label != "" && utf8.ValidString(label) &&
			!strings.ContainsFunc(label, func(r rune) bool { return r == '=' || r == '|' || isBreaking(r) })
		if clean && gotLabel != label {
			t.Fatalf("label %q read back as %q", label, gotLabel)
		}
		num, _, _ := strings.Cut(rest, ";")
		back, err := strconv.ParseFloat(strings.TrimSuffix(num, "MB"), 64)
		if err != nil || back != value {
			t.Fatalf("value %v read back as %q", value, num)
		}
	})
}
