#!/usr/bin/env bash
# The version of this checkout: the one --version prints, the .deb carries
# and the image is tagged with (its "+" written "-" where a tag forbids it),
# so that one build has one name everywhere.
#
#   packaging/version.sh                      # this checkout's
#   packaging/version.sh --of DESCRIBE COMMITS  # the mapping, for its tests
#
# From git describe: v1.2.0 → 1.2.0, v1.2.0-12-gabc123 → 1.2.0+12.gabc123
# (after 1.2.0, before 1.2.1), v1.3.0-rc1 → 1.3.0~rc1; without a tag the
# count of commits and the commit, 0.0.0+git345.abc123, so that a later
# commit is a later version; "+dirty" for a changed tree. No "-" (a native
# Debian package), and any character Debian does not take becomes ".".
set -euo pipefail
version_of() { # DESCRIBE COMMITS
	if [[ $1 =~ ^v?[0-9]+(\.[0-9]+)+ ]]; then
		# A tag has a dot (v1.2.0); a bare commit may start with a digit too.
		sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)/+\1.g\2/; s/-dirty$/+dirty/; s/-/~/g; s/[^A-Za-z0-9.+~]/./g' <<<"$1"
	else
		echo "0.0.0+git$2.$(sed -E 's/-dirty$/.dirty/; s/[^A-Za-z0-9.+~]/./g' <<<"$1")"
	fi
}
if [ "${1:-}" = --of ]; then
	version_of "$2" "$3"
	exit
fi
cd "$(dirname "$0")/.."
describe=$(git describe --tags --always --dirty 2>/dev/null) || { echo 0.0.0+unknown; exit; }
version_of "$describe" "$(git rev-list --count HEAD)"
