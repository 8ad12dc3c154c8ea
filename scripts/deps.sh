#!/usr/bin/env bash
# Install every Debian package the build, the unit tests and the lab need.
# Idempotent and non-interactive; does nothing (and needs no network) when all are present.
#   scripts/deps.sh            what make test and make demo need
#   scripts/deps.sh upstream   also what kmod/upstream/build.sh needs (make e2e-upstream:
#                              modules_prepare of the 6.12 tree wants flex, bison, bc,
#                              libelf and openssl headers)
set -euo pipefail

pkgs=(
	# build
	build-essential g++ make cmake pkg-config
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libudev-dev libsystemd-dev
	nlohmann-json3-dev libvalijson-dev libcli11-dev libfmt-dev doctest-dev
	clang-format clang-tidy
	# kernel module
	linux-headers-amd64 kmod dkms sparse
	# other kernel series (LAB_KERNEL=5.10|6.12): 6.12's kbuild runs pahole (BTF), 6.12's
	# modules are xz-compressed (the initramfs unpacks them)
	dwarves xz-utils
	# lab
	qemu-system-x86 busybox-static cpio kmod open-iscsi iproute2 udev pciutils
	util-linux procps socat e2fsprogs psmisc strace
	# scenarios: jq reads JSON output, python3 runs tests/e2e/lib/nl_dump.py and test helpers
	jq python3
)
for group in "$@"; do
	case "$group" in
	upstream) pkgs+=(flex bison bc libelf-dev libssl-dev) ;;
	*) echo "deps: unknown group '$group'" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run 'make deps' as root (apt-get install)" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
	echo "deps: apt-get update failed: no network to the package mirror?" >&2
	exit 1
fi
# policy-rc.d keeps package scripts from starting iscsid/udevd on the build host.
prc=/usr/sbin/policy-rc.d
created_prc=0
if [ ! -e "$prc" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$prc" && chmod 755 "$prc" && created_prc=1
fi
rc=0
apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
[ "$created_prc" = 1 ] && rm -f "$prc"
if [ "$rc" -ne 0 ]; then
	echo "deps: apt-get install failed (exit $rc) for: ${missing[*]}" >&2
	exit 1
fi
