# bench/lib.sh — sourced by bench/compare.sh and bench/profile.sh: the Debian
# tools they need, the binaries built as they ship, and the fixtures served
# on 127.0.0.1.
PLUGINS=/usr/lib/nagios/plugins

# install_missing PKG...: installs the Debian packages with apt-get (none: no-op).
install_missing() {
  [ $# -gt 0 ] || return 0
  echo "installing $* with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# serve_fixtures: builds jsonprobe and the Go floor into a new $work, writes
# the fixtures to $work/fx and serves them; sets base (the URL), tls_base
# (the same over TLS, its certificate in $work/ca.pem) and port.
# Everything goes when the script exits.
serve_fixtures() {
  work=$(mktemp -d)
  server_pid=
  trap 'if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
  # perf and hyperfine catch Ctrl-C and exit 0: stop here rather than go on.
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Built as it ships, and timed as the linker wrote it. The state of a
  # binary in the page cache matters: a copy made with cp sits in 64 KiB
  # folios and starts 0.4-0.6 ms faster (measured 2026-11-29) than the same
  # bytes written by the linker or read back from disk, which sit in 4 KiB
  # pages, as check_http and its libraries do. Do not copy the binaries
  # before timing.
  make -s build BIN="$work/jsonprobe"
  # floor: a Go program that only GETs the document with net/http, built
  # alike: what process start and net/http cost here, whatever a plugin
  # then does.
  make -s build BIN="$work/floor" PKG=./bench/floor
  go build -o "$work/serve" ./bench/serve
  mkdir "$work/fx"
  go run ./bench/gen "$work/fx"

  "$work/serve" -ca "$work/ca.pem" "$work/fx" > "$work/url" &
  server_pid=$!
  for _ in $(seq 50); do [ "$(wc -l < "$work/url")" -ge 2 ] && break; sleep 0.1; done
  [ "$(wc -l < "$work/url")" -ge 2 ] || { echo "bench/serve did not start" >&2; exit 1; }
  base=$(sed -n 1p "$work/url")
  tls_base=$(sed -n 2p "$work/url")
  port=${base##*:}
}
