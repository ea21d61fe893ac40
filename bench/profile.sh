#!/usr/bin/env bash
# bench/profile.sh — where the time of one health check goes: jsonprobe beside
# the Go floor (bench/floor: a net/http GET and one line, built alike) and
# check_http, on the health document served from 127.0.0.1. Writes PROFILE.md:
#   1. perf stat: wall and CPU time, context switches, page faults and threads
#      started per run;
#   2. Go's init trace: the packages whose init runs before main, and what
#      each takes;
#   3. perf record: the CPU samples of each phase of the run, on the main
#      thread and on the runtime's other threads.
# It explains BENCHMARKS.md, it does not replace it: perf stat reports means,
# and perf record slows what it samples (its shares are scaled to the CPU
# time perf stat measured).
#
#   bash bench/profile.sh            # or: make profile
#   RUNS=400 bash bench/profile.sh   # runs per command and part (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-200}
ROUNDS=5
. bench/lib.sh

need=()
command -v perf >/dev/null || need+=(linux-perf)
[ -x "$PLUGINS/check_http" ] || need+=(monitoring-plugins-basic)
install_missing "${need[@]}"
serve_fixtures

url=$base/health.json
names=(jsonprobe floor check_http)
cmd_jsonprobe=("$work/jsonprobe" -u "$url" -c 'goroutines > 5000')
cmd_floor=("$work/floor" "$url")
cmd_check_http=("$PLUGINS/check_http" -H 127.0.0.1 -p "$port" -u /health.json -r '"goroutines":1234')

# with NAME [CMD...]: runs the command NAME, after CMD (perf, env) if given.
with() {
  local -n argv="cmd_$1"
  shift
  "$@" "${argv[@]}"
}

# 1. perf stat, in ROUNDS rounds in a new random order each round (this
# host drifts within minutes); the per-run means of the rounds are averaged.
# Threads started: Go starts its threads with clone, glibc with clone3.
events=duration_time,task-clock,context-switches,page-faults
perf stat -e syscalls:sys_enter_clone,syscalls:sys_enter_clone3 true 2>/dev/null &&
  events=$events,syscalls:sys_enter_clone,syscalls:sys_enter_clone3
per=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
: > "$work/stat.csv"
for _ in $(seq "$ROUNDS"); do
  for name in $(shuf -e "${names[@]}"); do
    with "$name" perf stat -x, -r "$per" -e "$events" -o "$work/one.csv" -- >/dev/null 2>&1 || true
    grep -qs ",task-clock," "$work/one.csv" || { echo "perf stat measured nothing for $name" >&2; exit 1; }
    awk -F, -v n="$name" '$3 != "" && $1 ~ /^[0-9.]+$/ { print n "," $3 "," $1 }' "$work/one.csv" >> "$work/stat.csv"
  done
done
# stat NAME EVENT: the mean over the rounds of EVENT's per-run mean.
stat() {
  awk -F, -v n="$1" -v e="$2" '$1 == n && $2 == e { s += $3; c++ } END { printf "%.6f\n", c ? s / c : 0 }' "$work/stat.csv"
}
{
  echo "| command | wall | CPU | CPUs busy | context switches | page faults | threads started |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for name in "${names[@]}"; do
    wall=$(stat "$name" duration_time) cpu=$(stat "$name" task-clock)
    threads=$(awk -v a="$(stat "$name" syscalls:sys_enter_clone)" -v b="$(stat "$name" syscalls:sys_enter_clone3)" 'BEGIN { printf "%.0f", a + b }')
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v cs="$(stat "$name" context-switches)" -v pf="$(stat "$name" page-faults)" -v t="$threads" \
      'BEGIN { printf "| %s | %.2f ms | %.2f ms | %.2f | %.0f | %.0f | %s |\n", n, w / 1e6, c, c / (w / 1e6), cs, pf, t }'
  done
} > "$work/stat.md"

# 2. Go's init trace: each package's init, in clock time (the trace's own
# output is not in it), averaged over the runs.
inittrace() {
  for _ in $(seq "$RUNS"); do
    with "$1" env GODEBUG=inittrace=1 2>&1 >/dev/null | grep '^init ' || true
  done
}
inittrace jsonprobe > "$work/init.jsonprobe"
inittrace floor > "$work/init.floor"
awk -v runs="$RUNS" '
  FNR == 1 { f++ }
  /^init / { t[f, $2] += $5; pk[$2] = 1; tot[f] += $5; np[f]++ }
  END {
    printf "| | jsonprobe | floor |\n| --- | ---: | ---: |\n"
    printf "| packages with init work | %d | %d |\n", np[1] / runs, np[2] / runs
    printf "| all package inits | %.3f ms | %.3f ms |\n", tot[1] / runs, tot[2] / runs
    n = 0
    for (p in pk) { key[++n] = p }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (t[1, key[j]] > t[1, key[i]]) { x = key[i]; key[i] = key[j]; key[j] = x }
    for (i = 1; i <= n && i <= 15; i++) printf "| %s | %.3f ms | %.3f ms |\n", key[i], t[1, key[i]] / runs, t[2, key[i]] / runs
  }' "$work/init.jsonprobe" "$work/init.floor" > "$work/init.md"

# 3. perf record: CPU samples with call stacks over RUNS runs of each Go
# command, each sample put in the first phase its stack matches; shares are
# turned into ms per run with part 1's CPU time.
phases='
BEGIN { SIGNAL = "ensureSigM|signal_recv|watchSignalLoop|os/signal|interruptible" }
/^ *[0-9]+\/[0-9]+ / { if (n) emit(); split($1, id, "/"); mainth = id[1] == id[2]; per = $2; n = 1; st = ""; next }
NF > 1 { st = st ";" $2 }
END { if (n) emit(); for (k in tot) all += tot[k]; for (k in tot) printf "%s\t%.6f\n", k, tot[k] / all }
function emit(   ph) {
  n = 0
  if (mainth) {
    if (st ~ /doInit1|\.init(\.[0-9]+)?(;|$)/) ph = "main thread: package init"
    else if (st ~ /schedinit|rt0_go|execve|load_elf|exec_binprm/) ph = "main thread: exec and runtime start"
    else if (st ~ SIGNAL) ph = "main thread: signal handling (os/signal)"
    else if (st ~ /invocation\)\.config/) ph = "main thread: checks and HTTP client"
    else if (st ~ /probe\.Fetch|net\/http|internal\/poll|net\.\(/) ph = "main thread: HTTP request and response"
    else if (st ~ /probe\.|output\.|invocation\)\.render|fmt\.Print/) ph = "main thread: evaluate and report"
    else if (st ~ /urfave\/cli/) ph = "main thread: options (urfave/cli)"
    else if (st ~ /exit_group|do_exit/) ph = "main thread: exit"
    else if (st ~ /main\.main/) ph = "main thread: main, other"
    else if (st ~ /runtime\.main/) ph = "main thread: exec and runtime start"
    else ph = "main thread: scheduler, stack growth, page faults"
  } else {
    if (st ~ /sysmon/) ph = "other threads: sysmon"
    else if (st ~ SIGNAL) ph = "other threads: signal handling (os/signal)"
    else if (st ~ /net\/http|internal\/poll|net\.\(/) ph = "other threads: net/http goroutines"
    else if (st ~ /urfave\/cli|probe\.|output\.|invocation|main\.main/) ph = "other threads: main goroutine"
    else ph = "other threads: scheduler and thread start"
  }
  tot[ph] += per
}'
for name in jsonprobe floor; do
  perf record -q -F 10000 -g -o "$work/$name.data" -- \
    bash -c "$(declare -f with); $(declare -p "cmd_$name"); for _ in \$(seq $RUNS); do with $name >/dev/null 2>&1 || true; done" >/dev/null
  perf script -i "$work/$name.data" --comm "$name" -F pid,tid,period,ip,sym 2>/dev/null |
    awk "$phases" > "$work/phases.$name"
  [ -s "$work/phases.$name" ] || { echo "perf record sampled nothing of $name" >&2; exit 1; }
done
awk -F'\t' -v cj="$(stat jsonprobe task-clock)" -v cf="$(stat floor task-clock)" '
  FNR == 1 { f++ }
  { s[f, $1] = $2; ph[$1] = 1 }
  END {
    printf "| phase (CPU, ms per run) | jsonprobe | floor |\n| --- | ---: | ---: |\n"
    n = 0
    for (p in ph) key[++n] = p
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (key[j] < key[i]) { x = key[i]; key[i] = key[j]; key[j] = x }
    for (i = 1; i <= n; i++) printf "| %s | %.2f | %.2f |\n", key[i], s[1, key[i]] * cj, s[2, key[i]] * cf
    printf "| total (perf stat) | %.2f | %.2f |\n", cj, cf
  }' "$work/phases.jsonprobe" "$work/phases.floor" > "$work/phases.md"

{
  echo "# Profile of one health check"
  echo
  echo "Written by \`bash bench/profile.sh\` (also \`make profile\`) on $(date -u +%Y-%m-%d): jsonprobe"
  echo "(\`-c 'goroutines > 5000'\`), the Go floor (\`bench/floor\`: a \`net/http\` GET and one line,"
  echo "built like jsonprobe) and check_http (\`-r '\"goroutines\":1234'\`) on the health document"
  echo "served from 127.0.0.1. It explains [BENCHMARKS.md](BENCHMARKS.md) rather than replace it:"
  echo "perf stat gives means, not medians, and perf record slows what it samples."
  echo
  echo "- machine: $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
  echo "- $(go version), jsonprobe $(git rev-parse --short HEAD 2>/dev/null || echo '(no git)'), $(perf --version)"
  echo
  echo "## 1. Per run (perf stat, $((per * ROUNDS)) runs each in $ROUNDS rounds, means)"
  echo
  cat "$work/stat.md"
  echo
  echo "## 2. Package inits before main (GODEBUG=inittrace=1, $RUNS runs each, means; jsonprobe's 15 slowest)"
  echo
  cat "$work/init.md"
  echo
  echo "## 3. Where the CPU time goes (perf record -g, $RUNS runs each)"
  echo
  echo "Each sample counts for the first phase its call stack matches; the shares are scaled"
  echo "to the CPU time of part 1. The main thread carries the run from start to exit; the"
  echo "other threads are the Go runtime's (sysmon, idle threads looking for work) and"
  echo "those that run net/http's and os/signal's goroutines."
  echo
  cat "$work/phases.md"
} > PROFILE.md

cat "$work/stat.md"
echo
cat "$work/init.md"
echo
cat "$work/phases.md"
echo
echo "written to PROFILE.md"
