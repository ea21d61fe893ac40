#!/usr/bin/env bash
# make deb-test: the .deb as an operator gets it, on this machine (root,
# Debian): lintian, dpkg -i, what it installed (man pages without warnings,
# bash completion, the systemd unit, the exporter as the unit starts it),
# the integration tests against the installed files (JSONPROBE_INSTALLED=1:
# the real Nagios 4 and Icinga 2 cores on check_jsonprobe and
# plugins-contrib.d, nothing from the repository), then dpkg -r (only the
# conffiles stay) and dpkg -P (nothing stays). Each step says what failed.
set -euo pipefail
cd "$(dirname "$0")/.."
# Every package given goes through lintian; the one of this machine's
# architecture is installed.
[ $# -gt 0 ] || { echo "usage: packaging/test.sh build/jsonprobe_VERSION_ARCH.deb..." >&2; exit 2; }
deb=
for d in "$@"; do
	[ -f "$d" ] || { echo "test.sh: no package $d: run make deb first" >&2; exit 1; }
	[[ $d == *_$(dpkg --print-architecture).deb ]] && deb=$d
done
[ -n "$deb" ] || { echo "test.sh: no package for $(dpkg --print-architecture) among $*" >&2; exit 1; }
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

need=()
for c in curl:curl lintian:lintian bash-completion:/usr/share/bash-completion/bash_completion zsh:zsh fish:fish man-db:man systemd:systemd-analyze; do
	pkg=${c%%:*} probe=${c#*:}
	if [[ $probe == /* ]]; then [ -e "$probe" ] || need+=("$pkg"); else command -v "$probe" >/dev/null || need+=("$pkg"); fi
done
if [ ${#need[@]} -gt 0 ]; then
	step "apt-get install ${need[*]}"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

step "git describe → Debian version"
while read -r from commits want; do
	got=$(bash packaging/version.sh --of "$from" "$commits")
	[ "$got" = "$want" ] || fail "version of $from: $got, want $want"
done <<'VERSIONS'
v1.2.0 0 1.2.0
v1.2.0-3-gabc1234 0 1.2.0+3.gabc1234
v1.2.0-3-gabc1234-dirty 0 1.2.0+3.gabc1234+dirty
v1.3.0-rc1 0 1.3.0~rc1
v1.3.0_beta 0 1.3.0.beta
1.4.0 0 1.4.0
08ca365 120 0.0.0+git120.08ca365
abc1234-dirty 121 0.0.0+git121.abc1234.dirty
VERSIONS
dpkg --compare-versions 1.2.0+3.gabc1234 gt 1.2.0 && dpkg --compare-versions 1.2.0+3.gabc1234 lt 1.2.1 &&
	dpkg --compare-versions 1.3.0~rc1 lt 1.3.0 && dpkg --compare-versions 0.0.0+git120.fff lt 0.0.0+git121.000 &&
	dpkg --compare-versions 0.0.0+git121.000 lt 0.1.0 || fail "version order"

for d in "$@"; do
	step "lintian $d"
	# Errors fail; warnings and infos are printed (the accepted ones are
	# overridden in packaging/lintian-overrides, each with its reason).
	lintian --fail-on error --pedantic -I "$d" 2>&1 | grep -v 'running with root privileges' || true
	lintian --fail-on error "$d" >/dev/null 2>&1 || fail "lintian reports errors in $d"
done

dpkg -P jsonprobe >/dev/null 2>&1 || true
step "dpkg -i $deb"
dpkg -i "$deb" >/dev/null
mapfile -t listed < <(dpkg-deb -c "$deb" | awk '{print substr($6, 2)}' | sed 's:/$::' | grep -v '^$')
conffiles=(/etc/default/jsonprobe-exporter /etc/jsonprobe/checks.example.yaml)
for f in /usr/bin/jsonprobe /usr/bin/jsonprobe-exporter /usr/lib/nagios/plugins/check_jsonprobe \
	/usr/share/icinga2/include/plugins-contrib.d/jsonprobe.conf /usr/share/man/man1/jsonprobe.1.gz \
	/usr/share/man/man1/jsonprobe-exporter.1.gz /usr/share/bash-completion/completions/jsonprobe \
	/usr/share/zsh/vendor-completions/_jsonprobe /usr/share/fish/vendor_completions.d/jsonprobe.fish \
	/lib/systemd/system/jsonprobe-exporter.service /usr/share/doc/jsonprobe/copyright \
	/usr/share/doc/jsonprobe/changelog.gz /usr/share/doc/jsonprobe/README.md /usr/share/doc/jsonprobe/docs/README.md \
	/usr/share/doc/jsonprobe/contrib/nagios/jsonprobe.cfg "${conffiles[@]}"; do
	[ -e "$f" ] || fail "$f is not installed"
done
[ "$(readlink -f /usr/lib/nagios/plugins/check_jsonprobe)" = /usr/bin/jsonprobe ] || fail "check_jsonprobe is not jsonprobe"
diff <(printf '%s\n' "${conffiles[@]}") <(sort /var/lib/dpkg/info/jsonprobe.conffiles) || fail "conffiles differ"
stamped=$(cat build/deb/VERSION)
version=$(/usr/lib/nagios/plugins/check_jsonprobe --version)
echo "$version"
[ "$version" = "jsonprobe version $stamped" ] || fail "--version: $version, want $stamped"
/usr/bin/jsonprobe-exporter --version | grep -qF "version $stamped" || fail "exporter --version"
for f in go/LICENSE github.com/tidwall/gjson/LICENSE github.com/prometheus/client_golang/LICENSE github.com/prometheus/client_golang/NOTICE; do
	[ -s "/usr/share/doc/jsonprobe/licenses/$f" ] || fail "no /usr/share/doc/jsonprobe/licenses/$f"
done

step "man --warnings"
for page in jsonprobe jsonprobe-exporter; do
	out=$(MANWIDTH=80 man --warnings -l "/usr/share/man/man1/$page.1.gz" 2>&1 >/dev/null)
	[ -z "$out" ] || fail "man --warnings $page: $out"
	MANWIDTH=80 man "$page" | grep -q "EXIT STATUS\|ENVIRONMENT" || fail "man $page does not find the installed page"
done

step "bash completion (bash-completion's loader)"
complete_line() {
	bash --norc --noprofile -c '
		source /usr/share/bash-completion/bash_completion
		read -ra COMP_WORDS <<< "$1"; [[ $1 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$1; COMP_POINT=${#1}
		_completion_loader "${COMP_WORDS[0]}"
		spec=$(complete -p "${COMP_WORDS[0]}") || exit 1
		fn=${spec#*-F }; fn=${fn%% *}
		cd "$(mktemp -d)" && $fn jsonprobe "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1"
}
got=$(complete_line "jsonprobe --o" | sort | tr '\n' ' ')
[ "$got" = "--on-change --on-error --on-missing --output " ] || fail "jsonprobe --o<TAB>: $got"
got=$(complete_line "jsonprobe -")
for want in -u --url -w -c -f --config -o --output --state --notify --help --version; do
	grep -qx -- "$want" <<<"$got" || fail "jsonprobe -<TAB> lacks $want: $(tr '\n' ' ' <<<"$got")"
done
echo "jsonprobe -<TAB>: $(wc -l <<<"$got") candidates; jsonprobe --o<TAB>: --on-change --on-error --on-missing --output"
got=$(complete_line "check_jsonprobe --on-m" | tr '\n' ' ')
[ "$got" = "--on-missing " ] || fail "check_jsonprobe --on-m<TAB>: $got"
for cmd in jsonprobe check_jsonprobe; do
	# A fresh home: fish's own configuration loads vendor_completions.d;
	# fish loads a command's completions when the command is on PATH.
	got=$(HOME=$(mktemp -d) PATH=$PATH:/usr/lib/nagios/plugins fish -c "complete -C'$cmd --on-m'" | cut -f1 | tr '\n' ' ')
	[ "$got" = "--on-missing " ] || fail "fish: $cmd --on-m<TAB>: $got"
done
zsh -n /usr/share/zsh/vendor-completions/_jsonprobe || fail "zsh completion"
fish --no-execute /usr/share/fish/vendor_completions.d/jsonprobe.fish || fail "fish completion"

step "systemd-analyze verify"
out=$(systemd-analyze verify /lib/systemd/system/jsonprobe-exporter.service 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify: $out"
state=$(systemctl is-enabled jsonprobe-exporter.service 2>&1 || true)
[ "$state" = disabled ] || fail "the unit is not disabled after install: $state"
# Enabled by the admin, it stays enabled when the package is installed
# again (an upgrade); purge removes the link.
systemctl enable jsonprobe-exporter.service 2>/dev/null
dpkg -i "$deb" >/dev/null
state=$(systemctl is-enabled jsonprobe-exporter.service 2>&1 || true)
[ "$state" = enabled ] || fail "the unit enabled before an upgrade is $state after it"

step "the exporter as the unit starts it"
(
	set -a; . /etc/default/jsonprobe-exporter; set +a
	# shellcheck disable=SC2086 # split as systemd splits $VAR
	exec /usr/bin/jsonprobe-exporter ${JSONPROBE_EXPORTER_ARGS/--web.listen-address=:9844/--web.listen-address=127.0.0.1:19844}
) >/tmp/jsonprobe-exporter.log 2>&1 &
pid=$!
ok=
for _ in $(seq 50); do
	if curl -fsS http://127.0.0.1:19844/-/healthy >/dev/null 2>&1; then ok=1; break; fi
	sleep 0.1
done
kill -TERM "$pid"; wait "$pid" || true
[ -n "$ok" ] || fail "the exporter did not answer /-/healthy: $(cat /tmp/jsonprobe-exporter.log)"

step "make integration on the installed files (JSONPROBE_INSTALLED=1)"
JSONPROBE_INSTALLED=1 make -s integration

step "dpkg -r jsonprobe"
echo "# changed by deb-test" >>/etc/jsonprobe/checks.example.yaml
dpkg -r jsonprobe >/dev/null
dpkg -s jsonprobe 2>/dev/null | grep -q '^Status: deinstall ok config-files' || fail "status after dpkg -r: $(dpkg -s jsonprobe 2>&1 | grep Status)"
for f in "${listed[@]}"; do
	[[ " ${conffiles[*]} " == *" $f "* ]] && continue
	# Folders that hold others' files too (/usr/bin, /etc) stay.
	[ -d "$f" ] && continue
	[ ! -e "$f" ] && [ ! -L "$f" ] || fail "dpkg -r left $f"
done
for f in /usr/share/doc/jsonprobe /usr/share/icinga2/include/plugins-contrib.d/jsonprobe.conf /usr/lib/nagios/plugins/check_jsonprobe; do
	[ ! -e "$f" ] && [ ! -L "$f" ] || fail "dpkg -r left $f"
done
for f in "${conffiles[@]}"; do [ -e "$f" ] || fail "dpkg -r removed the conffile $f"; done
grep -q "changed by deb-test" /etc/jsonprobe/checks.example.yaml || fail "the changed conffile was not kept"
echo "left: ${conffiles[*]}"

step "dpkg -P jsonprobe"
dpkg -P jsonprobe >/dev/null
! dpkg -s jsonprobe >/dev/null 2>&1 || fail "still known to dpkg after -P"
for f in "${conffiles[@]}" /etc/jsonprobe /etc/systemd/system/jsonprobe-exporter.service \
	/etc/systemd/system/multi-user.target.wants/jsonprobe-exporter.service; do
	[ ! -e "$f" ] && [ ! -L "$f" ] || fail "dpkg -P left $f"
done
if ls /var/lib/systemd/deb-systemd-helper-*/*jsonprobe* /var/lib/systemd/deb-systemd-helper-*/*/*jsonprobe* >/dev/null 2>&1; then
	fail "dpkg -P left deb-systemd-helper's records: $(ls /var/lib/systemd/deb-systemd-helper-*/*jsonprobe* /var/lib/systemd/deb-systemd-helper-*/*/*jsonprobe* 2>/dev/null)"
fi
for d in /usr/share/doc/jsonprobe /usr/share/icinga2/include/plugins-contrib.d/jsonprobe.conf; do
	[ ! -e "$d" ] || fail "dpkg -P left $d"
done
echo "deb-test: ok"
