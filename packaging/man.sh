#!/usr/bin/env bash
# make man: the man pages of jsonprobe and jsonprobe-exporter and the bash,
# zsh and fish completions, generated from the command definitions (never
# written by hand), into build/man. The commands are built with the
# gendocs tag and without urfave_cli_no_docs, which keeps urfave/cli's
# man-page generator out of the binaries that ship.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=build/man
mkdir -p "$out" build/gendocs
"$GO" build -tags gendocs,netgo,osusergo -o build/gendocs/jsonprobe .
"$GO" build -tags gendocs,netgo,osusergo -o build/gendocs/jsonprobe-exporter ./cmd/jsonprobe-exporter
for cmd in jsonprobe jsonprobe-exporter; do
	build/gendocs/$cmd man >"$out/$cmd.1"
	gzip -9n <"$out/$cmd.1" >"$out/$cmd.1.gz"
done
build/gendocs/jsonprobe bash >"$out/jsonprobe.bash"
build/gendocs/jsonprobe zsh >"$out/_jsonprobe"
build/gendocs/jsonprobe fish >"$out/jsonprobe.fish"
ls "$out"
