#!/usr/bin/env bash
# bench/exporter.sh — jsonprobe serve beside json_exporter, blackbox_exporter
# (Debian's prometheus-blackbox-exporter) and the floor (bench/floorserve: a
# handler that only fetches the target with keep-alive and answers one line),
# each on one core (taskset, GOMAXPROCS=1), scraped by bench/load on the
# other core from CONCURRENCY clients, all probing the same health document
# on 127.0.0.1 in each shape a service answers with:
#
#   length   a Content-Length (a file server)
#   chunked  no length, chunked (net/http streaming a body it did not buffer)
#   gzip     gzip-encoded, chunked (compression middleware)
#   https    TLS, chunked (bench/serve's self-signed certificate, trusted)
#
# Each exporter is started afresh for each shape, so its peak RSS is that
# shape's. Prints one table per shape (probes/s, ratio to the floor, p50,
# p99, peak RSS) and writes them, with the machine and versions, to
# BENCHMARKS-exporter.md; then scrapes jsonprobe serve from 64 clients for
# MEMORY_SECONDS on each shape and records its RSS every 10 s.
#
#   bash bench/exporter.sh                       # or: make bench
#   JSON_EXPORTER=/path/to/json_exporter JSON_EXPORTER_VERSION=4f61665 bash bench/exporter.sh
#   DURATION=30s CONCURRENCY=16 SHAPES="length chunked" bash bench/exporter.sh
#
# json_exporter is not served by the Go module proxy: build it from a
# checkout of prometheus-community/json_exporter outside this repository
# (go build -o /tmp/json_exporter .) and name it in JSON_EXPORTER; without
# it, its rows say so.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh

DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-16}
MEMORY_SECONDS=${MEMORY_SECONDS:-60}
SHAPES=${SHAPES:-length chunked gzip https}
OUT=${OUT:-BENCHMARKS-exporter.md}
[ "$(nproc)" -ge 2 ] || { echo "bench/exporter.sh needs 2 cores (one for the exporter, one for the load)" >&2; exit 1; }
command -v prometheus-blackbox-exporter >/dev/null || install_missing prometheus-blackbox-exporter

# Before this script writes its output into the tree.
version=$(git describe --always --dirty 2>/dev/null || echo '?')
serve_fixtures
go build -o "$work/load" ./bench/load
go build -o "$work/floorserve" ./bench/floorserve
ca=$work/ca.pem

# target SHAPE: the health document's URL in that shape.
target() {
  case $1 in
    length) echo "$base/health.json" ;;
    chunked) echo "$base/chunked/health.json" ;;
    gzip) echo "$base/gzip/health.json" ;;
    https) echo "$tls_base/chunked/health.json" ;;
  esac
}

cat > "$work/health.yaml" <<EOF
url: $base/health.json
ca_file: $ca
checks:
  - { name: status, critical: status != "ok" }
  - { name: goroutines, warning: goroutines > 2000, critical: goroutines > 5000 }
  - { name: memory, warning: memory.alloc_mb > 3072, critical: memory.alloc_mb > 4096, uom: MB }
EOF
cat > "$work/json_exporter.yml" <<EOF
modules:
  default:
    http_client_config: { tls_config: { ca_file: $ca } }
    metrics:
      - { name: oneapi_goroutines, path: '{ .goroutines }', help: Goroutines }
      - { name: oneapi_memory_mb, path: '{ .memory.alloc_mb }', help: Allocated memory }
EOF
# The closest blackbox_exporter comes: a 2xx answer whose body matches.
# It reads a gzip body only when told to, and then no other.
cat > "$work/blackbox.yml" <<EOF
modules:
  health:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [200]
      tls_config: { ca_file: $ca }
      fail_if_body_not_matches_regexp: ['"status":"ok"']
  health_gzip:
    prober: http
    timeout: 5s
    http:
      valid_status_codes: [200]
      compression: gzip
      fail_if_body_not_matches_regexp: ['"status":"ok"']
EOF

running=()
cleanup() {
  for p in "${running[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME PORT CMD...: the exporter on core 0, alone in its Go runtime;
# sets pid.
start() {
  local name=$1 port=$2
  shift 2
  GOMAXPROCS=1 taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  pid=$!
  running+=("$pid")
  for _ in $(seq 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/metrics" && return 0
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

rss_kb() { awk "/^$2:/ {print \$2}" "/proc/$1/status"; }

# exporter NAME SHAPE: its port, the answer every probe must hold, the
# probe URL without the target, and the command that starts it.
exporter() {
  case $1 in
    floor)
      port=19800 want='probe_success 1' url="http://127.0.0.1:$port/probe?target="
      cmd=("$work/floorserve" -ca "$ca" "127.0.0.1:$port") ;;
    jsonprobe)
      port=19844 want='jsonprobe_state 0' url="http://127.0.0.1:$port/probe?module=health&target="
      cmd=("$work/jsonprobe-exporter" --web.listen-address "127.0.0.1:$port" --log.level warn "$work/health.yaml") ;;
    json_exporter)
      port=19979 want='oneapi_goroutines 1234' url="http://127.0.0.1:$port/probe?module=default&target="
      cmd=("$JSON_EXPORTER" --config.file "$work/json_exporter.yml" --web.listen-address "127.0.0.1:$port" --log.level warn) ;;
    blackbox)
      local module=health
      [ "$2" = gzip ] && module=health_gzip
      port=19115 want='probe_success 1' url="http://127.0.0.1:$port/probe?module=$module&target="
      cmd=(prometheus-blackbox-exporter --config.file "$work/blackbox.yml" --web.listen-address "127.0.0.1:$port" --log.level warn) ;;
  esac
}

label() {
  case $1 in
    floor) echo "floor: fetch only (bench/floorserve)" ;;
    jsonprobe) echo "jsonprobe serve" ;;
    json_exporter) echo "json_exporter${JSON_EXPORTER_VERSION:+ $JSON_EXPORTER_VERSION}" ;;
    blackbox) echo "blackbox_exporter $(prometheus-blackbox-exporter --version 2>&1 | awk 'NR==1 {print $3}')" ;;
  esac
}

# measure NAME SHAPE: one load run on core 1 against a fresh exporter; sets
# row and rps. A shape the exporter cannot read gives a row that says so.
measure() {
  local name=$1 shape=$2
  exporter "$name" "$shape"
  start "$name" "$port" "${cmd[@]}"
  local probe="$url$(target "$shape")" out
  if ! out=$(taskset -c 1 "$work/load" -c "$CONCURRENCY" -d 2s -want "$want" "$probe"); then
    rps=
    row="| $(label "$name") | cannot read it (no \`$want\` in its answer) | | | | |"
    stop "$pid"
    return
  fi
  out=$(taskset -c 1 "$work/load" -c "$CONCURRENCY" -d "$DURATION" -want "$want" "$probe") || true
  echo "$shape $name: $out" >&2
  local p50 p99
  rps=$(sed -n 's/.*probes\/s=\([0-9.]*\).*/\1/p' <<< "$out")
  p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<< "$out")
  p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<< "$out")
  local ratio
  ratio=$(awk -v a="$rps" -v b="${floor_rps:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b }')
  row="| $(label "$name") | $rps | $ratio | $p50 ms | $p99 ms | $(( $(rss_kb "$pid" VmHWM) / 1024 )) MB |"
  stop "$pid"
}

# memory SHAPE: jsonprobe serve's RSS every 10 s while 64 clients scrape.
memory() {
  local shape=$1
  exporter jsonprobe "$shape"
  start jsonprobe "$port" "${cmd[@]}"
  taskset -c 1 "$work/load" -c 64 -d "${MEMORY_SECONDS}s" -want "$want" "$url$(target "$shape")" > "$work/memload" &
  local load_pid=$! samples=()
  for _ in $(seq $(( MEMORY_SECONDS / 10 ))); do
    sleep 10
    samples+=("$(( $(rss_kb "$pid" VmRSS) / 1024 ))")
  done
  wait "$load_pid" || true
  memline="$(cat "$work/memload"); RSS every 10 s: $(IFS=' '; echo "${samples[*]}") MB, peak $(( $(rss_kb "$pid" VmHWM) / 1024 )) MB"
  echo "memory $shape: $memline" >&2
  stop "$pid"
}

names=(floor jsonprobe json_exporter blackbox)
tables=()
for shape in $SHAPES; do
  rows=()
  floor_rps=
  for name in "${names[@]}"; do
    if [ "$name" = json_exporter ] && ! { [ -n "${JSON_EXPORTER:-}" ] && [ -x "$JSON_EXPORTER" ]; }; then
      rows+=("| json_exporter | not run: set JSON_EXPORTER to its binary | | | | |")
      continue
    fi
    measure "$name" "$shape"
    [ "$name" = floor ] && floor_rps=$rps
    [ "$name" = jsonprobe ] && eval "jsonprobe_rps_$shape=\$rps"
    rows+=("$row")
  done
  memory "$shape"
  tables+=("## $shape: $(target "$shape" | sed "s|$base|http://127.0.0.1:PORT|; s|$tls_base|https://127.0.0.1:PORT|")" ""
    "| exporter | probes/s | of the floor | p50 | p99 | peak RSS |"
    "| --- | ---: | ---: | ---: | ---: | ---: |"
    "${rows[@]}" ""
    "jsonprobe serve under 64 clients for ${MEMORY_SECONDS} s: $memline." "")
done

{
  echo "# Exporter benchmark"
  echo
  echo "bench/exporter.sh on $(date -u +%Y-%m-%d), $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), jsonprobe $version."
  echo "Each exporter on one core (taskset -c 0, GOMAXPROCS=1), started afresh for each shape; bench/load on the other"
  echo "core with $CONCURRENCY clients for $DURATION after a 2 s warm-up; every answer checked. The target is the"
  echo "guide's health document ($(wc -c < "$work/fx/health.json") bytes) served by bench/serve on 127.0.0.1. The floor"
  echo "(bench/floorserve) only fetches the target with a keep-alive client and answers one line:"
  echo "\"of the floor\" is how close each exporter comes to what net/http allows for the shape."
  echo
  printf '%s\n' "${tables[@]}"
  if [ -n "${jsonprobe_rps_length:-}" ]; then
    echo "jsonprobe serve, each shape against Content-Length:$(for s in $SHAPES; do
      v=$(eval echo "\${jsonprobe_rps_$s:-}"); [ -n "$v" ] && awk -v s="$s" -v a="$v" -v b="$jsonprobe_rps_length" 'BEGIN { printf " %s %.2f×", s, a / b }'; done)."
  fi
} > "$OUT"
cat "$OUT"
echo
echo "written to $OUT"
