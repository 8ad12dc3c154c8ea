#!/usr/bin/env bash
# Build kmod/ against the headers of every kernel series the lab knows (5.10, 6.1, 6.12),
# each in its own copy under build/kmod-kernels/<kver>/, with sparse (C=2). Fails when
# a build fails or when the compiler or sparse says anything about a kmod/ source.
# Logs: build/kmod-kernels/<kver>.log. KERNELS overrides the list.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=$repo/build/kmod-kernels
mkdir -p "$out"
rc=0
for k in ${KERNELS:-5.10 6.1 6.12}; do
	kver=$(LAB_KERNEL=$k "$here/lab/kernel-version.sh")
	kdir=$(LAB_KERNEL=$k "$here/lab/kernel-headers.sh")
	cc=()
	case "$kver" in 5.10.*) cc=(CC=gcc) ;; esac
	src=$out/$kver
	rm -rf "$src"
	mkdir -p "$src"
	for f in "$repo"/kmod/*.c; do
		case "$f" in *.mod.c) ;; *) cp "$f" "$src/" ;; esac
	done
	cp "$repo"/kmod/*.h "$repo"/kmod/Kbuild "$src/"
	cp -r "$repo/kmod/uapi" "$src/"
	log=$out/$kver.log
	t0=$(date +%s.%N)
	if ! make -C "$kdir" M="$src" "${cc[@]}" C=2 modules >"$log" 2>&1; then
		echo "kmod $k ($kver): BUILD FAILED, see $log"
		tail -n 20 "$log"
		rc=1
		continue
	fi
	secs=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	# Anything the compiler or sparse said about our sources (file:line: ...).
	if grep -E "^$src/[^ ]*:[0-9]+" "$log" >"$log.ours"; then
		echo "kmod $k ($kver): diagnostics from kmod/ sources:"
		cat "$log.ours"
		rc=1
	else
		echo "kmod $k ($kver): built and sparse-clean in ${secs}s ($(stat -c %s "$src/iscsi_iface_attrs.ko") bytes)"
	fi
done
exit $rc
