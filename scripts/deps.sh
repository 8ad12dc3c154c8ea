#!/usr/bin/env bash
# Install every Debian package the build, the tests, the packaging and the lab need, and
# valijson's headers. Idempotent and non-interactive (no stdin, no prompt): when all is
# there it prints nothing and needs no network. Otherwise one line per step, naming the
# packages; apt's and dpkg's output goes to build/deps.log (its tail is shown on failure).
#
# valijson is header-only, but Debian's libvalijson-dev depends on the development
# packages of every adapter (Qt5, Poco, MariaDB client, yaml-cpp, rapidjson, picojson,
# jsoncpp: about 110 packages) while iscsictl uses only the nlohmann one. Its .deb is
# fetched with `apt-get download` and unpacked with `dpkg -x` into .deps/valijson/ (not
# installed); userspace/CMakeLists.txt looks there, and `make deb` builds with it.
#
# promtool (`make pkg-check` checks `status --format prometheus` with `promtool check
# metrics`) ships in Debian's `prometheus` package, which would also install and start a
# server: its .deb is fetched the same way and only usr/bin/promtool is kept, in
# .deps/prometheus/.
#
#   scripts/deps.sh            what make test and make demo need
#   scripts/deps.sh upstream   also what kmod/upstream/build.sh needs (make e2e-upstream:
#                              modules_prepare of the 6.12 tree wants flex, bison, bc,
#                              libelf and openssl headers)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
log=$repo/build/deps.log

pkgs=(
	# build
	build-essential g++ make cmake pkg-config git
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libudev-dev libsystemd-dev
	nlohmann-json3-dev libcli11-dev libfmt-dev doctest-dev
	clang-format clang-tidy
	# fuzz targets (libFuzzer, issue 14)
	clang libclang-rt-14-dev
	# kernel module
	linux-headers-amd64 kmod dkms sparse
	# other kernel series (LAB_KERNEL=5.10|6.12): 6.12's kbuild runs pahole (BTF), 6.12's
	# modules are xz-compressed (the initramfs unpacks them)
	dwarves xz-utils
	# Debian packages, man pages, completion, unit checks (issue 18)
	debhelper dh-dkms lintian scdoc man-db bash-completion systemd
	# lab
	qemu-system-x86 busybox-static cpio open-iscsi iproute2 udev pciutils
	util-linux procps socat e2fsprogs psmisc strace multipath-tools
	# scenarios: jq reads JSON output, python3 runs tests/e2e/lib/nl_dump.py and test helpers
	jq python3
)
for group in "$@"; do
	case "$group" in
	upstream) pkgs+=(flex bison bc libelf-dev libssl-dev) ;;
	*) echo "deps: unknown group '$group'" >&2; exit 2 ;;
	esac
done
valijson_pkg=libvalijson-dev
valijson_dir=$repo/.deps/valijson
valijson_hdr=usr/include/valijson/validator.hpp
promtool_pkg=prometheus
promtool_dir=$repo/.deps/prometheus
promtool_bin=usr/bin/promtool

say() { echo "deps: $*"; }
die() {
	echo "deps: $*" >&2
	[ -s "$log" ] && tail -n 20 "$log" | sed 's/^/    | /' >&2
	exit 1
}

missing=()
while read -r p status; do
	[ "$status" = installed ] || missing+=("$p")
done < <(for p in "${pkgs[@]}"; do
	printf '%s %s\n' "$p" "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || echo absent)"
done)
need_valijson=0
[ -f "/$valijson_hdr" ] || [ -f "$valijson_dir/$valijson_hdr" ] || need_valijson=1
need_promtool=0
command -v promtool >/dev/null || [ -x "$promtool_dir/$promtool_bin" ] || need_promtool=1
[ ${#missing[@]} -eq 0 ] && [ "$need_valijson" = 0 ] && [ "$need_promtool" = 0 ] && exit 0

if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install)" >&2
	exit 1
fi
mkdir -p "$(dirname "$log")"
: >"$log"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o APT::Color=0
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

updated=0
apt_update() {
	[ "$updated" = 1 ] && return 0
	say "apt-get update"
	apt-get "${apt_opts[@]}" update </dev/null >>"$log" 2>&1 ||
		die "apt-get update failed: no network to the package mirror?"
	updated=1
}

if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	say "installing ${#missing[@]} packages: ${missing[*]}"
	# policy-rc.d keeps package scripts from starting iscsid, multipathd, udevd on the host.
	prc=/usr/sbin/policy-rc.d
	created_prc=0
	if [ ! -e "$prc" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$prc" && chmod 755 "$prc" && created_prc=1
	fi
	rc=0
	apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" </dev/null >>"$log" 2>&1 || rc=$?
	[ "$created_prc" = 1 ] && rm -f "$prc"
	[ "$rc" -eq 0 ] || die "apt-get install failed (exit $rc); see $log"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# unpack PKG DIR FILE [KEEP]: PKG's .deb (apt-get download) unpacked into DIR (dpkg -x, not
# installed), which must then hold FILE; with KEEP, only FILE is kept.
unpack() {
	local pkg=$1 dir=$2 file=$3 keep=${4:-} deb
	fetch() {
		(cd "$tmp" && apt-get "${apt_opts[@]}" -o APT::Sandbox::User=root download "$pkg" \
			</dev/null >>"$log" 2>&1)
	}
	if ! fetch; then
		# Lists too old for the mirror (or none): refresh them if we may, and retry.
		[ "$(id -u)" -eq 0 ] || die "apt-get download $pkg failed; run 'make deps' as root"
		apt_update
		fetch || die "apt-get download $pkg failed"
	fi
	deb=$(ls "$tmp/${pkg}"_*.deb)
	rm -rf "$dir" "$dir.new" "$tmp/x"
	mkdir -p "$(dirname "$dir")"
	dpkg-deb -x "$deb" "$tmp/x" || die "dpkg -x $deb failed"
	[ -f "$tmp/x/$file" ] || die "$deb holds no $file"
	if [ -n "$keep" ]; then
		mkdir -p "$dir.new/$(dirname "$file")"
		mv "$tmp/x/$file" "$dir.new/$file"
		rm -rf "$tmp/x"
	else
		mv "$tmp/x" "$dir.new"
	fi
	mv "$dir.new" "$dir"
	rm -f "$deb"
	say "$(basename "$deb"): ${keep:-files} unpacked into ${dir#"$repo"/} (dpkg -x, not installed)"
}
if [ "$need_valijson" = 1 ]; then
	unpack "$valijson_pkg" "$valijson_dir" "$valijson_hdr"
fi
if [ "$need_promtool" = 1 ]; then
	unpack "$promtool_pkg" "$promtool_dir" "$promtool_bin" promtool
fi
