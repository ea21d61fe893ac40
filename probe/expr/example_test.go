package expr_test

import (
	"fmt"
	"time"

	"github.com/jsonprobe/jsonprobe/probe/expr"
)

// health is the document a service's health endpoint returns.
const health = `{"status":"ok","goroutines":2156,"memory":{"alloc_mb":256,"total_alloc_mb":1024,"sys_mb":512,"num_gc":45},
"services":[{"name":"db","status":"up"},{"name":"cache","status":"down"}]}`

func Example() {
	env := &expr.Env{Doc: health, Time: expr.Fact(0.004)}
	for _, src := range []string{
		"goroutines > 2000",
		"goroutines > 5000",
		`status != "ok"`,
		"memory.alloc_mb > $.memory.sys_mb",
		`any(services.#.status) == down`,
		`services.#(status!="up")#.name contains cache`,
		"$time > 1s",
	} {
		fired, err := expr.MustParse(src).Eval(env)
		fmt.Println(src, "=>", fired, err)
	}
	// Output:
	// goroutines > 2000 => true <nil>
	// goroutines > 5000 => false <nil>
	// status != "ok" => false <nil>
	// memory.alloc_mb > $.memory.sys_mb => false <nil>
	// any(services.#.status) == down => true <nil>
	// services.#(status!="up")#.name contains cache => true <nil>
	// $time > 1s => false <nil>
}

// Errors are never silent: a missing path or a value of the wrong type is an
// error that names the path and what was found, never false.
func Example_errors() {
	env := &expr.Env{Doc: health}
	for _, src := range []string{
		"threads > 100",
		"memory > 4096",
		"status > 5",
		"exists(threads) && threads > 100",
		"$cert_days < 14",
	} {
		fired, err := expr.MustParse(src).Eval(env)
		fmt.Println(src, "=>", fired, err)
	}
	// Output:
	// threads > 100 => false threads: not found
	// memory > 4096 => false memory: got object, want number
	// status > 5 => false status: got string "ok", want number
	// exists(threads) && threads > 100 => false <nil>
	// $cert_days < 14 => false $cert_days: not available (the target is not https)
}

func ExampleParse_syntaxError() {
	_, err := expr.Parse("goroutines >> 5000")
	fmt.Println(err)
	// Output:
	// expression "goroutines >> 5000": unexpected ">" at column 13, expected a value
}

func ExampleExpr_String() {
	e := expr.MustParse(`$.status==ok&&(a>1||b<2)`)
	fmt.Println(e)
	// Output:
	// status == "ok" && (a > 1 || b < 2)
}

func ExampleExpr_Trace() {
	e := expr.MustParse("goroutines > 2000 && memory.alloc_mb > 3072")
	fired, obs, err := e.Trace(&expr.Env{Doc: health})
	fmt.Println(fired, err)
	for _, o := range obs {
		fmt.Printf("%s = %s\n", o.Subject, o.Value)
	}
	// Output:
	// false <nil>
	// goroutines = 2156
	// memory.alloc_mb = 256
}

func ExampleExpr_Range() {
	for _, src := range []string{"goroutines > 5000", "free_mb < 100", "errors >= 1", "$time > 1s"} {
		subject, r, _ := expr.MustParse(src).Range()
		fmt.Printf("%s: %s\n", subject, r)
	}
	// Output:
	// goroutines: ~:5000
	// free_mb: 100:
	// errors: @1:
	// $time: ~:1
}

// Arithmetic (+ - * / %, usual precedence, parentheses) works on either side
// of a comparison. Write spaces around the operators: a path runs until
// white space, and disk-free is a key.
func Example_arithmetic() {
	doc := `{"memory":{"alloc_mb":256,"sys_mb":512},"disk":{"total":100,"free":5},"disk-free":7}`
	env := &expr.Env{Doc: doc, Time: expr.Fact(0.6)}
	for _, src := range []string{
		"memory.alloc_mb / memory.sys_mb > 0.9",
		"(disk.total - disk.free) / disk.total * 100 > 90",
		"memory.alloc_mb > $.memory.sys_mb * 0.9",
		"$time * 1000 > 500",
		"disk-free - 1 > 5",
		"memory.alloc_mb / (disk.free - 5) > 1",
	} {
		fired, err := expr.MustParse(src).Eval(env)
		fmt.Println(src, "=>", fired, err)
	}
	// Output:
	// memory.alloc_mb / memory.sys_mb > 0.9 => false <nil>
	// (disk.total - disk.free) / disk.total * 100 > 90 => true <nil>
	// memory.alloc_mb > $.memory.sys_mb * 0.9 => false <nil>
	// $time * 1000 > 500 => true <nil>
	// disk-free - 1 > 5 => true <nil>
	// memory.alloc_mb / (disk.free - 5) > 1 => false memory.alloc_mb / (disk.free - 5): division by zero (disk.free - 5 is 0)
}

// Trace observes each comparison's left side first, then the values read
// inside it (Part): arithmetic's factors and the right side's $.paths.
func ExampleExpr_Trace_parts() {
	e := expr.MustParse("memory.alloc_mb / memory.sys_mb > 0.9 || memory.alloc_mb > $.memory.sys_mb")
	_, obs, _ := e.Trace(&expr.Env{Doc: health})
	for _, o := range obs {
		fmt.Printf("%-31s path=%-15q part=%-5v %s\n", o.Subject, o.Path, o.Part, o.Value)
	}
	// Output:
	// memory.alloc_mb / memory.sys_mb path=""              part=false 0.5
	// memory.alloc_mb                 path="memory.alloc_mb" part=true  256
	// memory.sys_mb                   path="memory.sys_mb" part=true  512
	// memory.alloc_mb                 path="memory.alloc_mb" part=false 256
	// $.memory.sys_mb                 path="memory.sys_mb" part=true  512
}

// Sizes are numbers of bytes: KiB, MiB, GiB and TiB are powers of 1024,
// kB, MB, GB and TB powers of 1000.
func Example_sizes() {
	env := &expr.Env{Doc: `{"disk":{"free_bytes":2684354560}}`}
	for _, src := range []string{"disk.free_bytes < 3GiB", "disk.free_bytes < 2.5GB", "disk.free_bytes / 1GiB > 2"} {
		fired, _ := expr.MustParse(src).Eval(env)
		fmt.Println(src, "=>", fired)
	}
	// Output:
	// disk.free_bytes < 3GiB => true
	// disk.free_bytes < 2.5GB => false
	// disk.free_bytes / 1GiB > 2 => true
}

func ExampleParseBytes() {
	for _, s := range []string{"16MiB", "1.5 GB", "100kB", "1048576", "1G", "3gb"} {
		n, ok := expr.ParseBytes(s)
		fmt.Println(s, expr.FormatNumber(n), ok)
	}
	// Output:
	// 16MiB 16777216 true
	// 1.5 GB 1500000000 true
	// 100kB 100000 true
	// 1048576 1048576 true
	// 1G 0 false
	// 3gb 0 false
}

// version() compares dotted versions component by component.
func Example_version() {
	env := &expr.Env{Doc: `{"rabbitmq_version":"3.12.13","beta":"4.0.0-rc.1","bad":"abc"}`}
	for _, src := range []string{
		`version(rabbitmq_version) < "3.13"`,
		`version(rabbitmq_version) < "3.9.0"`,
		`version(rabbitmq_version) == 3.12.13`,
		`version(beta) < "4.0"`,
		`version(bad) < "4.0"`,
	} {
		fired, err := expr.MustParse(src).Eval(env)
		fmt.Println(src, "=>", fired, err)
	}
	_, err := expr.Parse(`version(rabbitmq_version) < "3..1"`)
	fmt.Println(err)
	// Output:
	// version(rabbitmq_version) < "3.13" => true <nil>
	// version(rabbitmq_version) < "3.9.0" => false <nil>
	// version(rabbitmq_version) == 3.12.13 => true <nil>
	// version(beta) < "4.0" => true <nil>
	// version(bad) < "4.0" => false version(bad): got string "abc", want a version such as 3.12.1
	// expression "version(rabbitmq_version) < \"3..1\"": unexpected "\"3..1\"" at column 29, expected a version such as 3.12.1 after <
}

// age() reads RFC 3339, ISO 8601 dates, offsets without a colon, RFC 1123
// HTTP-dates and Unix time.
func Example_age() {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, ts := range []string{
		`"2026-12-06T09:59:00Z"`,
		`"2026-12-06 09:59:00.000000+00:00"`,
		`"2026-12-06T10:59:00+0100"`,
		`"2026-12-05"`,
		`"Sun, 06 Dec 2026 09:59:00 GMT"`,
		`1796551140`,
	} {
		_, obs, _ := expr.MustParse("age(ts) > 1h").Trace(&expr.Env{Doc: `{"ts":` + ts + `}`, Now: now})
		fmt.Println(ts, obs[0].Value)
	}
	// Output:
	// "2026-12-06T09:59:00Z" 60
	// "2026-12-06 09:59:00.000000+00:00" 60
	// "2026-12-06T10:59:00+0100" 60
	// "2026-12-05" 122400
	// "Sun, 06 Dec 2026 09:59:00 GMT" 60
	// 1796551140 60
}

// A missing path that is a near miss of one in the document says so.
func Example_didYouMean() {
	env := &expr.Env{Doc: health}
	for _, src := range []string{"gorutines > 5000", "memory.aloc_mb > 3072", "memory.alloc_mb > $.memory.sys_nb", "threads > 100"} {
		_, err := expr.MustParse(src).Eval(env)
		fmt.Println(err)
	}
	// Output:
	// gorutines: not found (did you mean goroutines?)
	// memory.aloc_mb: not found (did you mean memory.alloc_mb?)
	// $.memory.sys_nb: not found (did you mean $.memory.sys_mb?)
	// threads: not found
}

// Expressions typed as in jq, or in a shell, say what was meant.
func Example_jqHabits() {
	env := &expr.Env{Doc: health}
	for _, src := range []string{".goroutines > 2000", "memory.alloc > 3072", "memory.alloc_mb/memory.sys_mb > 0.9", "goroutines"} {
		_, err := expr.MustParse(src).Eval(env)
		fmt.Println(err)
	}
	_, err := expr.Parse("goroutines -gt 5000")
	fmt.Println(err)
	// Output:
	// .goroutines: not found (did you mean goroutines? paths have no leading dot)
	// memory.alloc: not found (did you mean memory.alloc_mb?)
	// memory.alloc_mb/memory.sys_mb: not found (arithmetic needs spaces: memory.alloc_mb / memory.sys_mb)
	// goroutines: got number 2156, want boolean (a check needs a condition such as goroutines > 2156; in a shell, quote it)
	// expression "goroutines -gt 5000": unexpected "-gt" at column 12, expected a comparison operator (-gt is the shell's; write >)
}

func ExampleExpr_SubjectPath() {
	for _, src := range []string{"$.memory.alloc_mb > 3072", "memory.alloc_mb / memory.sys_mb > 0.9", "len(items) > 3", "$time > 1s"} {
		e := expr.MustParse(src)
		path, ok := e.SubjectPath()
		fmt.Printf("%s: subject %q, path %q %v\n", src, e.Subject(), path, ok)
	}
	// Output:
	// $.memory.alloc_mb > 3072: subject "memory.alloc_mb", path "memory.alloc_mb" true
	// memory.alloc_mb / memory.sys_mb > 0.9: subject "memory.alloc_mb / memory.sys_mb", path "" false
	// len(items) > 3: subject "len(items)", path "" false
	// $time > 1s: subject "$time", path "" false
}

// Range also derives the threshold of an arithmetic left side.
func ExampleExpr_Range_arithmetic() {
	subject, r, ok := expr.MustParse("memory.alloc_mb / memory.sys_mb > 0.9").Range()
	fmt.Println(subject, r, ok)
	// Output:
	// memory.alloc_mb / memory.sys_mb ~:0.9 true
}
