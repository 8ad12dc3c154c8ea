#!/usr/bin/env bash
# Print the kernel ABI name the lab boots: the one linux-headers-amd64 depends on
# (e.g. 6.1.0-56-amd64). LAB_KVER overrides.
set -euo pipefail
if [ -n "${LAB_KVER:-}" ]; then echo "$LAB_KVER"; exit 0; fi
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || {
	echo "kernel-version: linux-headers-amd64 is not installed (run 'make deps')" >&2
	exit 1
}
v=$(printf '%s\n' "$dep" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1)
[ -n "$v" ] || { echo "kernel-version: cannot parse '$dep'" >&2; exit 1; }
echo "$v"
