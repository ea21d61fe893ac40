#!/usr/bin/env bash
# bench/profile.sh — where the time of one health check goes: jsonprobe beside
# the Go floor (bench/floor: a net/http GET and one line, built alike) and
# check_http, on the health document served from 127.0.0.1. Writes PROFILE.md:
#   1. perf stat: wall and CPU time, context switches, page faults and threads
#      started per run;
#   2. Go's init trace: the packages whose init runs before main, and what
#      each takes;
#   3. perf record: the CPU samples of each phase of the run, all threads.
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
    rm -f "$work/one.csv"
    with "$name" perf stat -x, -r "$per" -e "$events" -o "$work/one.csv" -- >/dev/null 2>"$work/perf.err" || true
    if grep -qs ',task-clock:u,' "$work/one.csv"; then
      echo "perf counts user time only here: run as root or with kernel.perf_event_paranoid <= 1" >&2
      exit 1
    fi
    grep -qs ',task-clock,' "$work/one.csv" || { echo "perf stat measured nothing for $name:" >&2; cat "$work/perf.err" >&2; exit 1; }
    awk -F, -v n="$name" '$3 != "" && $1 ~ /^[0-9.]+$/ { print n "," $3 "," $1 }' "$work/one.csv" >> "$work/stat.csv"
  done
done
# mean NAME EVENT: the mean over the rounds of EVENT's per-run mean.
mean() {
  awk -F, -v n="$1" -v e="$2" '$1 == n && $2 == e { s += $3; c++ } END { printf "%.6f\n", c ? s / c : 0 }' "$work/stat.csv"
}
{
  echo "| command | wall | CPU | CPUs busy | context switches | page faults | threads started |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for name in "${names[@]}"; do
    wall=$(mean "$name" duration_time) cpu=$(mean "$name" task-clock) threads=n/a
    case $events in *clone*)
      threads=$(awk -v a="$(mean "$name" syscalls:sys_enter_clone)" -v b="$(mean "$name" syscalls:sys_enter_clone3)" 'BEGIN { printf "%.0f", a + b }') ;;
    esac
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v cs="$(mean "$name" context-switches)" -v pf="$(mean "$name" page-faults)" -v t="$threads" \
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
# command, on all threads, each sample put in the first phase its stack
# matches (by what runs, not by thread: goroutines move between threads);
# shares are turned into ms per run with part 1's CPU time.
phases='
/^ *[0-9]+ *$/ { if (n) emit(); per = $1; n = 1; st = ""; next }
NF > 1 { st = st ";" $2 }
END { if (n) emit(); for (k in tot) all += tot[k]; for (k in tot) printf "%s\t%.6f\n", k, tot[k] / all }
function emit(   ph) {
  n = 0
  if (st ~ /exit_group|do_exit|exit_mmap/) ph = "exit"
  else if (st ~ /doInit1/ || st ~ /;[^;()]+\.init(\.[0-9]+)?(;|$)/) ph = "package init"
  else if (st ~ /schedinit|rt0_go|mstartm0|execve|load_elf|exec_binprm/) ph = "exec and runtime start"
  else if (st ~ /ensureSigM|signal_recv|watchSignalLoop|os\/signal|interruptible/) ph = "signal handling (os/signal)"
  else if (st ~ /sysmon/) ph = "sysmon (runtime monitor thread)"
  else if (st ~ /invocation\)\.config/) ph = "config: checks, HTTP client (net/http Transport setup)"
  else if (st ~ /probe\.Fetch|net\/http|internal\/poll|net\.\(/) ph = "HTTP request and response"
  else if (st ~ /probe\.|output\.|invocation\)\.render|fmt\.Print/) ph = "evaluate and report"
  else if (st ~ /urfave\/cli/) ph = "options (urfave/cli)"
  else if (st ~ /main\.main/) ph = "main, other"
  else if (st ~ /runtime\.main/) ph = "exec and runtime start"
  else ph = "scheduler, thread start, stack growth, page faults"
  tot[ph] += per
}'
for name in jsonprobe floor; do
  perf record -q -F 10000 -g -o "$work/$name.data" -- \
    bash -c "$(declare -f with); $(declare -p "cmd_$name"); for _ in \$(seq $RUNS); do with $name >/dev/null 2>&1 || true; done" >/dev/null
  perf script -i "$work/$name.data" --comm "$name" -F period,ip,sym 2>"$work/perf.err" > "$work/stacks.$name" ||
    { echo "perf script failed for $name:" >&2; cat "$work/perf.err" >&2; exit 1; }
  awk "$phases" "$work/stacks.$name" > "$work/phases.$name"
  [ -s "$work/phases.$name" ] || { echo "perf record sampled nothing of $name" >&2; exit 1; }
done
awk -F'\t' -v cj="$(mean jsonprobe task-clock)" -v cf="$(mean floor task-clock)" '
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
  echo "Samples of all threads; each counts for the first phase its call stack matches (by"
  echo "what runs, not by thread: goroutines move between threads), and the shares are scaled"
  echo "to the CPU time of part 1. The floor sets up its HTTP client inside its request."
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
