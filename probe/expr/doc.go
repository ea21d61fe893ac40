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
//	memory.alloc_mb / memory.sys_mb > 0.9 // arithmetic
//	any(services.#.status) == "down"
//	exists(cache) && cache.hit_ratio < 0.5
//	version(rabbitmq_version) < "3.13"
//
// # Grammar
//
//	expr       = or
//	or         = and { "||" and }
//	and        = unary { "&&" unary }
//	unary      = "!" unary | "(" expr ")" | comparison
//	comparison = left [ op right ]
//	op         = "==" | "!=" | ">" | ">=" | "<" | "<=" | "=~" | "!~" | "contains"
//	left       = operand | sum
//	sum        = product { ("+" | "-") product }
//	product    = factor { ("*" | "/" | "%") factor }
//	factor     = operand | number | "(" sum ")"
//	operand    = path | "$" name | func "(" path [ "," window ] ")"
//	right      = value | rsum
//	value      = number | string | "true" | "false" | "null" | bareword | "$." path
//	rsum       = rproduct { ("+" | "-") rproduct }
//	rproduct   = rfactor { ("*" | "/" | "%") rfactor }
//	rfactor    = number | "$." path | "$" name | "(" rsum ")"
//	number     = decimal | duration | size
//
// A "(" at the start of a condition opens a condition ((a > 5) && b) unless
// an arithmetic or comparison operator follows its ")", which makes it
// arithmetic ((a - b) / c > 9); both may nest.
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
// sizes (3GiB, 512MiB, 1.5GB, 100kB, 10B) which are numbers of bytes,
// strings in double quotes (Go/JSON escapes) or single quotes (\' and \\),
// true, false, null, and barewords, which are strings (status == ok). To
// compare with another value in the document, write it as $.path; a probe
// fact may stand there too (a > $time).
//
// Sizes are case-sensitive: KiB, MiB, GiB and TiB are powers of 1024; kB
// (or KB), MB, GB and TB powers of 1000; B is a byte. There is no bare K, M
// or G (1m is a minute). A size prints as written; ParseBytes reads the same
// units for flags such as --max-body.
//
// # Arithmetic
//
// + - * / and % work on numbers (and numeric strings), durations and sizes,
// on either side of a comparison, with the usual precedence (* / % before
// + -, each left to right) and parentheses:
//
//	memory.alloc_mb / memory.sys_mb > 0.9
//	(disk.total - disk.free) / disk.total * 100 > 90
//	memory.alloc_mb > $.memory.sys_mb * 0.9
//	$time * 1000 > 500
//	growth(goroutines, 1h) * 2 > 40
//
// Write spaces around arithmetic operators: a path runs until white space,
// and gjson paths hold - * / + and % (a-b is the key "a-b", child* a
// wildcard). After ")", a $fact or a function call no space is needed. On
// the left, a bare word that reads as a number is a path when it stands
// alone (0 > 5 reads index 0 of a top-level array) and a number inside
// arithmetic; write $.0 or `0` for the path there. Arithmetic of literals
// alone (1 + 2 > 2) is allowed. On the right, arithmetic is made of numbers,
// durations, sizes, $.paths and $facts; other values stand alone.
//
// % is the remainder of truncated division, with the sign of the dividend
// (-7 % 3 is -1). Every value read must be a number: anything else is an
// *EvalError that names it ("memory.sys_mb: got string "abc", want
// number"). A division or remainder by zero, or a result that is infinite
// or NaN, is an ErrArith error ("memory.alloc_mb / memory.sys_mb: division
// by zero (memory.sys_mb is 0)"); a literal divisor of 0 is a syntax error.
// Results are float64.
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
//	            for the T, as Python prints it, with an offset without a
//	            colon, +0000, or with no zone, which means UTC), an ISO 8601
//	            date alone (2020-01-01, midnight UTC), an RFC 1123 HTTP-date
//	            (Sun, 06 Dec 2026 10:00:00 GMT, or with a numeric zone), Unix
//	            seconds, or Unix milliseconds (from 1e11 on); negative when
//	            the timestamp is in the future
//	version(p) OP v
//	            compares the version at p (3.12.13, v1.2, 3.13.0-rc1) with v,
//	            a version in quotes or bare, or a $.path, by ==, !=, <, <=,
//	            > or >=: dotted numbers component by component, a missing
//	            one counting as 0 (3.13 == 3.13.0); a pre-release suffix
//	            after "-" sorts before the release, two of them by their
//	            bytes; "+build" is ignored. The literal is checked when the
//	            expression is parsed; a value at p that is not a version is
//	            an error. version() takes no window and is not a number.
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
// When a plain dotted path (keys and indexes, no gjson syntax) is missing
// and a key on its way is a near miss of one the document has (1 edit, or 2
// for keys of 3 characters or more) or the start of only one key (3
// characters or more), the error says so:
// "memory.aloc_mb: not found (did you mean memory.alloc_mb?)". A missing
// path also says when it is jq's, with a leading dot (".goroutines: not
// found (did you mean goroutines? paths have no leading dot)"), and, where
// arithmetic may stand, when it is arithmetic without spaces whose pieces
// exist ("a/b: not found (arithmetic needs spaces: a / b)"). The search
// runs only for a missing path. An expression that is one operand and not a
// boolean says that a check needs a condition, and Parse names the
// comparison meant by the shell's -gt, -ge, -lt, -le, -eq and -ne.
//
// Expr.Trace returns the values an evaluation read (see Observation): for
// each comparison, its left side (the number computed, for arithmetic),
// then, marked Part, the values read inside it: arithmetic's paths, facts
// and functions, and the right side's $.paths and $facts.
//
// Parse reports syntax errors as a *SyntaxError with the column and what was
// expected: expression "goroutines >> 5000": unexpected ">" at column 13,
// expected a value. Expr.String prints the canonical form, which parses back
// to the same expression.
//
// # Ranges
//
// ParseRange reads Nagios threshold ranges ([@]start:end, ~ for minus
// infinity) as monitoring-plugins' C library reads them (an empty start is
// 0: :5.75 is 0:5.75), and Classify checks critical before warning.
// Expr.Range derives the equivalent range of a comparison with a number for
// perfdata: > N is ~:N, >= N is @N:, < N is N:, <= N is @~:N; its subject
// may be arithmetic (memory.alloc_mb / memory.sys_mb).
package expr
