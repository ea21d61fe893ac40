package expr_test

import (
	"fmt"

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
