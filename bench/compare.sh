#!/usr/bin/env bash
# bench/compare.sh — jsonprobe against the tools it replaces, whole processes,
# side by side in one run on this machine: `curl -s URL | jq` doing the same
# checks, and monitoring-plugins' check_http and check_curl matching one regex
# on the same endpoint. Fixtures are served from a local endpoint on
# 127.0.0.1. Prints a table (median wall time, ratio to jsonprobe, peak RSS)
# and writes it, with the machine and versions, to BENCHMARKS.md.
#
#   bash bench/compare.sh            # or: make bench
#   RUNS=30 bash bench/compare.sh    # more runs per command (default 20)
#   ROUNDS=10 bash bench/compare.sh  # in more rounds (default 5; see below)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-5}
. bench/lib.sh

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v jq >/dev/null || need+=(jq)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
[ -x "$PLUGINS/check_http" ] || need+=(monitoring-plugins-basic)
[ -x "$PLUGINS/check_curl" ] || need+=(monitoring-plugins-standard libcurl4 liburiparser1)
install_missing "${need[@]}"
serve_fixtures

# times_file NAME: where the wall times of NAME's runs are collected, in s.
times_file() { echo "$work/$(echo "$1" | tr '/|' '__').times"; }

# median_ms NAME: the median of NAME's collected wall times, in ms.
median_ms() {
  sort -g "$(times_file "$1")" |
    awk '{ t[NR] = $1 } END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.6f\n", m * 1000 }'
}

# peak_kb CMD: the largest max RSS in kB over 5 runs (bash -c, so the pipe
# of curl | jq counts as its largest process).
peak_kb() {
  local max=0 kb
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%M' -o "$work/rss" bash -c "$1" >/dev/null 2>&1 || true
    kb=$(tail -1 "$work/rss")
    [ "$kb" -gt "$max" ] && max=$kb
  done
  echo "$max"
}

# measure NAME CMD: adds the command to the list timed below.
names=()
cmds=()
measure() {
  names+=("$1")
  cmds+=("$2")
}

for doc in health 1mb 10mb; do
  url="$base/$doc.json"
  checks="1 100 1000"
  [ "$doc" = health ] && checks="1"
  for n in $checks; do
    if [ "$n" = 1 ] && [ "$doc" = health ]; then
      jp_args="-c 'goroutines > 5000'"
      jq_prog='(.goroutines > 5000) | not'
    else
      jp_args="-f $work/fx/checks-$n.yaml"
      jq_prog="$(cat "$work/fx/checks-$n.jq")"
    fi
    measure "$doc/$n/jsonprobe" "$work/jsonprobe -u $url $jp_args"
    measure "$doc/$n/curl|jq" "curl -s $url | jq -e '$jq_prog'"
  done
  if [ "$doc" = health ]; then measure "$doc/regex/floor" "$work/floor $url"; fi
  measure "$doc/regex/check_http" "$PLUGINS/check_http -H 127.0.0.1 -p $port -u /$doc.json -r '\"goroutines\":1234'"
  measure "$doc/regex/check_curl" "$PLUGINS/check_curl -H 127.0.0.1 -p $port -u /$doc.json -r '\"goroutines\":1234'"
done

# The shapes a service answers in, for jsonprobe alone: the health and 1 MB
# documents with a Content-Length, chunked, gzip-encoded (chunked) and over
# TLS (chunked): memory follows the document whatever the shape.
for doc in health 1mb; do
  for shape in length chunked gzip https; do
    case $shape in
      length) u="$base/$doc.json" ;;
      https) u="$tls_base/chunked/$doc.json" ;;
      *) u="$base/$shape/$doc.json" ;;
    esac
    measure "shape/$doc/$shape" "$work/jsonprobe --ca-file $work/ca.pem -u $u -c 'goroutines > 5000'"
  done
done

# Timed in ROUNDS rounds that each run every command RUNS/ROUNDS times, in
# a new random order each round, so that the machine's drift over the run
# touches every command alike, not the one that happened to run in a slow
# minute (this shared host's speed moves within minutes: jsonprobe's health
# median went from 4.4 to 6.2 ms between two batches on 2026-11-29).
# hyperfine ignores exit codes (-i: a check that fires exits non-zero by
# design) and subtracts the shell's own start-up; one warm-up run per
# command and round.
[ "$ROUNDS" -ge 1 ] || ROUNDS=1
per=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
[ "$per" -ge 2 ] || per=2
for _ in $(seq "$ROUNDS"); do
  for i in $(shuf -e "${!names[@]}"); do
    hyperfine --style none --warmup 1 --runs "$per" -i --export-json "$work/run.json" "${cmds[$i]}" >/dev/null 2>&1
    jq -r '.results[0].times[]' "$work/run.json" >> "$(times_file "${names[$i]}")"
  done
done
: > "$work/results.tsv"
for i in "${!names[@]}"; do
  printf '%s\t%s\t%s\n' "${names[$i]}" "$(median_ms "${names[$i]}")" "$(peak_kb "${cmds[$i]}")" >> "$work/results.tsv"
done

# The table: one row per document and check count; check_http and
# check_curl match one regex whatever the check count.
{
  echo "| document | checks | tool | median wall | × jsonprobe | peak RSS |"
  echo "| --- | ---: | --- | ---: | ---: | ---: |"
  awk -F'\t' '
    /^shape\// { next }
    { split($1, k, "/"); doc = k[1]; n = k[2]; tool = k[3]; ms[$1] = $2; kb[$1] = $3
      if (!(doc in seen)) { seen[doc] = 1; docs[++nd] = doc }
      if (n != "regex" && !((doc, n) in seenN)) { seenN[doc, n] = 1; ns[doc] = ns[doc] " " n } }
    END {
      for (d = 1; d <= nd; d++) {
        doc = docs[d]; split(substr(ns[doc], 2), list, " ")
        for (i = 1; i in list; i++) {
          n = list[i]; jp = ms[doc "/" n "/jsonprobe"]
          row(doc, n, "jsonprobe", doc "/" n "/jsonprobe", jp)
          row(doc, n, "curl -s \\| jq", doc "/" n "/curl|jq", jp)
          if (n == 1) {
            if ((doc "/regex/floor") in ms) row(doc, n, "Go floor: net/http GET only", doc "/regex/floor", jp)
            row(doc, n, "check_http -r (one regex)", doc "/regex/check_http", jp)
            row(doc, n, "check_curl -r (one regex)", doc "/regex/check_curl", jp)
          }
        }
      }
    }
    function row(doc, n, tool, key, jp) {
      printf "| %s | %s | %s | %.2f ms | %.2f | %.1f MB |\n", doc, n, tool, ms[key], ms[key] / jp, kb[key] / 1024
    }' "$work/results.tsv"
  echo
  echo "jsonprobe alone on each shape a service answers in (\`-c 'goroutines > 5000'\`; https chunked, its"
  echo "certificate trusted with \`--ca-file\`):"
  echo
  echo "| document | shape | median wall | × length | peak RSS |"
  echo "| --- | --- | ---: | ---: | ---: |"
  awk -F'\t' '
    /^shape\// { split($1, k, "/"); ms[k[2], k[3]] = $2; kb[k[2], k[3]] = $3; if (!(k[2] in seen)) { seen[k[2]] = 1; docs[++nd] = k[2] } }
    END {
      for (d = 1; d <= nd; d++) {
        split("length chunked gzip https", shapes, " ")
        for (i = 1; i <= 4; i++)
          printf "| %s | %s | %.2f ms | %.2f | %.1f MB |\n", docs[d], shapes[i], ms[docs[d], shapes[i]], ms[docs[d], shapes[i]] / ms[docs[d], "length"], kb[docs[d], shapes[i]] / 1024
      }
    }' "$work/results.tsv"
} > "$work/table.md"

{
  echo "# Benchmarks"
  echo
  echo "Measured by \`bash bench/compare.sh\` (also run by \`make bench\`) on $(date -u +%Y-%m-%d), in one run:"
  echo "each command $((per * ROUNDS)) times with hyperfine, in $ROUNDS rounds that each run every"
  echo "command $per times after one warm-up run, in a new random order each round, so that the"
  echo "machine's drift touches all alike (median wall time over all runs; the shell's own"
  echo "start-up is subtracted by hyperfine), peak RSS the largest of 5 runs of"
  echo "\`/usr/bin/time -f %M\`. Documents are served by \`bench/serve\` on 127.0.0.1; the 1 MB"
  echo "and 10 MB documents (\`internal/fixture\`) put every checked path after the bulk of"
  echo "the document. jsonprobe and \`curl | jq\` evaluate the same N conditions;"
  echo "check_http and check_curl match one regex (\`\"goroutines\":1234\`), all they can do."
  echo "The Go floor (\`bench/floor\`, built like jsonprobe) only GETs the health document"
  echo "with net/http and prints one line: Go's process start and net/http, without any check."
  echo "Where the time of the health check goes: [PROFILE.md](PROFILE.md) (\`make profile\`)."
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
  echo "- $(go version)"
  echo "- jsonprobe $(git rev-parse --short HEAD 2>/dev/null || echo '(no git)')"
  echo "- $(hyperfine --version), $(jq --version), $(curl --version | head -1 | cut -d' ' -f1-2)"
  echo "- $("$PLUGINS/check_http" -V | head -1)"
  echo "- $("$PLUGINS/check_curl" -V | head -1)"
  echo
  cat "$work/table.md"
} > BENCHMARKS.md

cat "$work/table.md"
echo
echo "written to BENCHMARKS.md"
