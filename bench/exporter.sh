#!/usr/bin/env bash
# bench/exporter.sh — jsonprobe serve beside blackbox_exporter (Debian's
# prometheus-blackbox-exporter) and json_exporter, each on one core
# (taskset, GOMAXPROCS=1), scraped by bench/load on the other core from
# CONCURRENCY clients, all probing the same health document on 127.0.0.1.
# Prints a table (probes/s, p50, p99, peak RSS) and writes it, with the
# machine and versions, to BENCHMARKS-exporter.md; then scrapes jsonprobe
# serve from 64 clients for MEMORY_SECONDS and records its RSS every 10 s.
#
#   bash bench/exporter.sh                       # or: make bench
#   JSON_EXPORTER=/path/to/json_exporter JSON_EXPORTER_VERSION=4f61665 bash bench/exporter.sh
#   DURATION=30s CONCURRENCY=16 bash bench/exporter.sh
#
# json_exporter is not served by the Go module proxy: build it from a
# checkout of prometheus-community/json_exporter outside this repository
# (go build -o /tmp/json_exporter .) and name it in JSON_EXPORTER; without
# it, its row says so.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-64}
MEMORY_SECONDS=${MEMORY_SECONDS:-60}
OUT=${OUT:-BENCHMARKS-exporter.md}
[ "$(nproc)" -ge 2 ] || { echo "bench/exporter.sh needs 2 cores (one for the exporter, one for the load)" >&2; exit 1; }
command -v prometheus-blackbox-exporter >/dev/null || install_missing prometheus-blackbox-exporter

serve_fixtures
go build -o "$work/load" ./bench/load
health=$base/health.json

cat > "$work/health.yaml" <<EOF
url: $health
checks:
  - { name: status, critical: status != "ok" }
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - { name: memory, warning: memory.alloc_mb > 3072, critical: memory.alloc_mb > 4096, uom: MB }
EOF
cat > "$work/json_exporter.yml" <<'EOF'
modules:
  default:
    metrics:
      - { name: oneapi_goroutines, path: '{ .goroutines }', help: Goroutines }
      - { name: oneapi_memory_mb, path: '{ .memory.alloc_mb }', help: Allocated memory }
EOF
# The closest blackbox_exporter comes: a 2xx answer whose body matches.
cat > "$work/blackbox.yml" <<'EOF'
modules:
  health:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [200]
      fail_if_body_not_matches_regexp: ['"status":"ok"']
EOF

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

# start NAME PORT CMD...: the exporter on core 0, alone in its Go runtime.
start() {
  local name=$1 port=$2
  shift 2
  GOMAXPROCS=1 taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  pids+=($!)
  eval "${name}_pid=$!"
  for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/metrics" && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# measure NAME PID WANT URL: one load run on core 1; sets row.
measure() {
  local name=$1 pid=$2 want=$3 url=$4
  # A warm-up, then the run.
  taskset -c 1 "$work/load" -c "$CONCURRENCY" -d 2s -want "$want" "$url" > /dev/null
  local out
  out=$(taskset -c 1 "$work/load" -c "$CONCURRENCY" -d "$DURATION" -want "$want" "$url")
  echo "$name: $out" >&2
  local rps p50 p99
  rps=$(sed -n 's/.*probes\/s=\([0-9.]*\).*/\1/p' <<< "$out")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<< "$out")
  p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<< "$out")
  row="| $name | $rps | $p50 ms | $p99 ms | $(( $(rss_kb "$pid") / 1024 )) MB |"
}

rows=()
start jsonprobe 19844 "$work/jsonprobe-exporter" --web.listen-address 127.0.0.1:19844 --log.level warn "$work/health.yaml"
measure "jsonprobe serve" "$jsonprobe_pid" 'jsonprobe_state 0' "http://127.0.0.1:19844/probe?module=health&target=$health"
rows+=("$row")

if [ -n "${JSON_EXPORTER:-}" ] && [ -x "$JSON_EXPORTER" ]; then
  start json_exporter 19979 "$JSON_EXPORTER" --config.file "$work/json_exporter.yml" --web.listen-address 127.0.0.1:19979 --log.level warn
  measure "json_exporter${JSON_EXPORTER_VERSION:+ $JSON_EXPORTER_VERSION}" "$json_exporter_pid" 'oneapi_goroutines 1234' "http://127.0.0.1:19979/probe?module=default&target=$health"
  rows+=("$row")
else
  rows+=("| json_exporter | not run: set JSON_EXPORTER to its binary | | | |")
fi

start blackbox 19115 prometheus-blackbox-exporter --config.file "$work/blackbox.yml" --web.listen-address 127.0.0.1:19115 --log.level warn
measure "blackbox_exporter $(prometheus-blackbox-exporter --version 2>&1 | awk 'NR==1 {print $3}')" "$blackbox_pid" 'probe_success 1' "http://127.0.0.1:19115/probe?module=health&target=$health"
rows+=("$row")

# Memory under load: jsonprobe serve's RSS every 10 s while 64 clients scrape.
kill "$blackbox_pid" 2>/dev/null || true
taskset -c 1 "$work/load" -c 64 -d "${MEMORY_SECONDS}s" -want 'jsonprobe_state 0' "http://127.0.0.1:19844/probe?module=health&target=$health" > "$work/memload" &
load_pid=$!
samples=()
for _ in $(seq $(( MEMORY_SECONDS / 10 ))); do
  sleep 10
  samples+=("$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$jsonprobe_pid/status") / 1024 ))")
done
wait "$load_pid"
memline="$(cat "$work/memload"); RSS every 10 s: $(IFS=' '; echo "${samples[*]}") MB"
echo "memory: $memline" >&2

{
  echo "# Exporter benchmark"
  echo
  echo "bench/exporter.sh on $(date -u +%Y-%m-%d), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), jsonprobe $(git describe --always --dirty 2>/dev/null || echo '?')."
  echo "Each exporter on one core (taskset -c 0, GOMAXPROCS=1), bench/load on the other with $CONCURRENCY clients for $DURATION"
  echo "after a 2 s warm-up; every answer checked. The target is the health document on 127.0.0.1."
  echo
  echo "| exporter | probes/s | p50 | p99 | peak RSS |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "jsonprobe serve under 64 clients for ${MEMORY_SECONDS} s: $memline."
} > "$OUT"
cat "$OUT"
echo
echo "written to $OUT"
