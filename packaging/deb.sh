#!/usr/bin/env bash
# make deb: build/jsonprobe_<version>_<arch>.deb for each architecture given
# (default amd64 arm64), with nfpm (go tool nfpm) from packaging/nfpm.yaml.
# The binaries are built as make build builds them, static and stripped,
# with packaging/version.sh's version stamped in (--version); the man pages and completions
# are generated from the command definitions (make man, in build/man).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
TAGS=${TAGS:-urfave_cli_no_docs,netgo,osusergo}
# One version everywhere: the binaries' --version and the package's.
VERSION=${VERSION:-$(bash packaging/version.sh)}
DEB_VERSION=$VERSION
export DEB_VERSION
# Reproducible: file times and the changelog's date are the commit's.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
man=build/man
[ -s "$man/jsonprobe.1.gz" ] || { echo "deb.sh: $man is empty: run make man first" >&2; exit 1; }
rm -f build/jsonprobe_*.deb # make deb-test takes what is there
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(amd64 arm64)
for arch in "${arches[@]}"; do
	OUT=build/deb/stage
	rm -rf "$OUT" && mkdir -p "$OUT"
	chmod -R u+w "$OUT" 2>/dev/null || true
	for cmd in jsonprobe:. jsonprobe-exporter:./cmd/jsonprobe-exporter; do
		CGO_ENABLED=0 GOOS=linux GOARCH=$arch "$GO" build -trimpath -tags "$TAGS" \
			-ldflags "-s -w -X main.buildVersion=$VERSION" -o "$OUT/${cmd%%:*}" "${cmd#*:}"
	done
	cp "$man"/*.1.gz "$man"/jsonprobe.bash "$man"/_jsonprobe "$man"/*.fish "$OUT"/
	echo "$VERSION" >build/deb/VERSION # what --version says, for make deb-test
	# contrib and docs for /usr/share/doc (README.md links into docs/), their
	# times the commit's (the .deb is the same for the same commit).
	cp -R contrib "$OUT/contrib"
	cp -R docs "$OUT/docs"
	find "$OUT/contrib" "$OUT/docs" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	# The licence texts of the Go modules the binaries link, and Go's.
	mkdir -p "$OUT/licenses/go"
	cp "$("$GO" env GOROOT)/LICENSE" "$OUT/licenses/go/"
	GOOS=linux GOARCH=$arch "$GO" list -deps -tags "$TAGS" \
		-f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}' . ./cmd/jsonprobe-exporter |
		sort -u | while read -r path dir; do
			mkdir -p "$OUT/licenses/$path"
			found=
			for f in "$dir"/LICEN[CS]E* "$dir"/COPYING* "$dir"/NOTICE*; do
				[ -f "$f" ] && cp "$f" "$OUT/licenses/$path/" && found=1
			done
			[ -n "$found" ] || { echo "deb.sh: no licence file in $dir ($path)" >&2; exit 1; }
		done
	chmod -R u+w,a+rX "$OUT/licenses" # the module cache's files are read-only
	find "$OUT/licenses" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	{
		printf 'jsonprobe (%s) unstable; urgency=medium\n\n' "$DEB_VERSION"
		printf '  * Built from git %s with nfpm. What changed is in the git history\n' "$VERSION"
		printf '    and README.md (/usr/share/doc/jsonprobe/README.md).\n\n'
		printf ' -- jsonprobe maintainers <maintainers@users.noreply.r-seed-dab1527b.example>  %s\n' \
			"$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
	} | gzip -9n >"$OUT/changelog.gz"
	export ARCH=$arch
	"$GO" tool nfpm package -f packaging/nfpm.yaml -p deb -t build/ >/dev/null
	echo "build/jsonprobe_${DEB_VERSION}_${arch}.deb"
done
