// Package expr is jsonprobe's expression language: conditions over a JSON
// document, written with gjson paths, that decide whether a check fires. It
// also holds Nagios threshold ranges. It does no I/O: the caller passes the
// document and the probe facts in an Env.
//
// An expression is true when the check should fire:
//
//	goroutines > 5000                     // critical if more than 5000
//	status != "ok"
//	memory.alloc_mb > $.memory.sys_mb     // compare two values in the document
//	any(services.#.status) == "down"
//	exists(cache) && cache.hit_ratio < 0.5
//
// # Grammar
//
//	expr       = or
//	or         = and { "||" and }
//	and        = unary { "&&" unary }
//	unary      = "!" unary | "(" expr ")" | comparison
//	comparison = operand [ op value ]
//	op         = "==" | "!=" | ">" | ">=" | "<" | "<=" | "=~" | "!~" | "contains"
//	operand    = path | "$" name | func "(" path ")"
//	value      = number | duration | string | "true" | "false" | "null" | bareword | "$." path
//
// # Paths
//
// A path is a gjson path (https://github.com/tidwall/gjson/blob/master/SYNTAX.md):
// goroutines, memory.alloc_mb, items.#, services.#(status!="up")#.name,
// children|@reverse|0, fav\.movie, @this. It runs until white space, a
// comparison or logical operator, ")" or "," outside brackets and quoted
// strings, so the operators inside a query such as #(last=="Murphy") are
// part of the path. A leading "$." is accepted and dropped ($.goroutines is
// goroutines). A path with a space, or one that would otherwise be misread,
// is written in backticks: `my key`.count (a doubled backtick stands for one).
//
// # Values
//
// On the right of an operator: numbers (0.9, -3, 1e3), durations in Go
// syntax plus days (500ms, 5s, 1h30m, 2d) which are numbers of seconds,
// strings in double quotes (Go/JSON escapes) or single quotes (\' and \\),
// true, false, null, and barewords, which are strings (status == ok). To
// compare with another value in the document, write it as $.path.
//
// # Probe facts
//
// $status (HTTP status code), $time (seconds to fetch), $size (body bytes) and
// $cert_days (days until the earliest certificate expiry, https only). A fact
// that the probe does not have is an ErrMissing error, not zero.
//
// # Functions
//
//	exists(p)   true when p is in the document (even as null); never an error
//	len(p)      elements of an array, keys of an object, characters of a string
//	min(p) max(p) sum(p) avg(p)
//	            over an array of numbers; sum of [] is 0, the others of [] an error
//	any(p) OP v true when some element of the array p satisfies OP v
//	all(p) OP v true when every element does (all of [] is true, any of [] false)
//	age(p)      seconds since the timestamp at p: RFC 3339 (also with a space
//	            for the T, as Python prints it; no zone means UTC), or Unix
//	            seconds, or Unix milliseconds (from 1e11 on); negative when
//	            the timestamp is in the future
//
// # Semantics
//
// Numbers compare as float64 with all their decimals (0.9 > 0.5 is true);
// integers written out in full compare exactly by their digits when either is
// beyond 2^53. A JSON string that holds a number ("1234") compares as that
// number. == on two strings is exact; true, false and null compare as in
// JSON, and anything may be compared with null. < <= > >= on two strings
// that are not both numbers compare them byte by byte. =~ and !~ match RE2
// regular expressions (compiled when the expression is parsed) against a
// string, or a number's digits. contains is a substring test on strings and
// a membership test (with ==) on arrays. An operand on its own must be a
// boolean.
//
// Errors are never silent: a missing path, a null where a value is needed, a
// value of the wrong type ("abc" > 5, true == 1) or an array or object where
// a single value is needed makes Eval return an *EvalError that names the
// operand and what was found there ("memory: got object, want number").
// Nothing is read as 0, "" or false. && and || evaluate left to right and stop
// when the result is known, so exists(p) && p > 5 never reports p missing; an
// error in an operand that is evaluated makes the whole expression an error.
//
// Parse reports syntax errors as a *SyntaxError with the column and what was
// expected: expression "goroutines >> 5000": unexpected ">" at column 13,
// expected a value. Expr.String prints the canonical form, which parses back
// to the same expression.
//
// # Ranges
//
// ParseRange reads Nagios threshold ranges ([@]start:end, ~ for minus
// infinity) as the monitoring-plugins guidelines define them, and Classify
// checks critical before warning. Expr.Range derives the equivalent range of a
// plain numeric comparison for perfdata: > N is ~:N, >= N is @N:, < N is N:,
// <= N is @~:N.
package expr
