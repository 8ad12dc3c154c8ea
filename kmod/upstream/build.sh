#!/usr/bin/env bash
# Build and check the upstream series kmod/upstream/000[1-9]*.patch:
#  1. Debian's linux-source-6.12 (apt-get download through the 6.12 series' private lists,
#     scripts/lab/kernel-series.sh) unpacked in $LAB_CACHE/src/, the series applied;
#  2. checkpatch.pl --strict on every patch, run inside that tree;
#  3. the touched objects built in the tree (Debian's 6.12 config, W=1);
#  4. the four transport modules (scsi_transport_iscsi, libiscsi, libiscsi_tcp, iscsi_tcp)
#     built out of tree from the patched sources against the lab's 6.12 headers, into
#     build/upstream-modules/<kver>/, for tests/e2e/kmod-upstream-attrs.sh.
# Needs flex, bison, bc, libelf-dev, libssl-dev (for modules_prepare): `make e2e-upstream`
# installs them first (scripts/deps.sh upstream). Not part of make test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export LAB_KERNEL=6.12
. "$repo/scripts/lab/kernel-series.sh"
src=$KS_CACHE/src
tree=$src/linux-source-6.12
kver=$(ks_kver)
kdir=$("$repo/scripts/lab/kernel-headers.sh")
patches=("$here"/000[1-9]*.patch)
log=$repo/build/upstream
mkdir -p "$log"

step() { echo "== $*"; }

if [ ! -f "$tree/Makefile" ]; then
	step "unpacking linux-source-6.12"
	deb=$(ks_fetch linux-source-6.12 "$KS_CACHE/debs")
	mkdir -p "$src/pkg"
	dpkg-deb -x "$deb" "$src/pkg"
	tar -xJf "$src/pkg/usr/src/linux-source-6.12.tar.xz" -C "$src"
fi

step "applying ${#patches[@]} patches"
for p in "${patches[@]}"; do
	if patch -d "$tree" -p1 -R --dry-run -s -f <"$p" >/dev/null 2>&1; then
		echo "already applied: $(basename "$p")"
	else
		patch -d "$tree" -p1 -s -N <"$p" || ks_die "$(basename "$p") does not apply"
	fi
done

step "checkpatch --strict in the tree"
(cd "$tree" && perl scripts/checkpatch.pl --strict "${patches[@]}") | tee "$log/checkpatch.log" |
	grep -E '^total:|^(ERROR|WARNING|CHECK)' || true
grep '^total:' "$log/checkpatch.log" | grep -qv '^total: 0 errors, 0 warnings, 0 checks' &&
	ks_die "checkpatch found problems: $log/checkpatch.log"

step "building the touched objects in the tree (W=1)"
if [ ! -f "$tree/.config" ]; then
	cp "$kdir/.config" "$tree/.config"
	make -C "$tree" -s olddefconfig
fi
[ -f "$tree/scripts/mod/modpost" ] || make -C "$tree" -s -j"$(nproc)" modules_prepare
objs=(drivers/scsi/scsi_transport_iscsi.o drivers/scsi/libiscsi.o drivers/scsi/libiscsi_tcp.o
	drivers/scsi/iscsi_tcp.o)
make -C "$tree" W=1 "${objs[@]}" >"$log/intree.log" 2>&1 || { tail -n 30 "$log/intree.log"; ks_die "in-tree build failed"; }
if grep -E 'drivers/scsi/[^ ]*: (warning|error):' "$log/intree.log"; then
	ks_die "the in-tree build warns: $log/intree.log"
fi
echo "in-tree: ${objs[*]} built without warnings"

step "out-of-tree transport modules for $kver"
out=$repo/build/upstream-modules/$kver
rm -rf "$out"
mkdir -p "$out/include/scsi"
for f in scsi_transport_iscsi.c libiscsi.c libiscsi_tcp.c iscsi_tcp.c iscsi_tcp.h; do
	cp "$tree/drivers/scsi/$f" "$out/"
done
cp "$tree/include/scsi/iscsi_if.h" "$out/include/scsi/"
cat >"$out/Kbuild" <<'KB'
# The patched iscsi_if.h before the kernel's own.
LINUXINCLUDE := -I$(src)/include $(LINUXINCLUDE)
obj-m += scsi_transport_iscsi.o libiscsi.o libiscsi_tcp.o iscsi_tcp.o
CFLAGS_scsi_transport_iscsi.o := -I$(srctree)/drivers/scsi
CFLAGS_libiscsi.o := -I$(srctree)/drivers/scsi
KB
make -C "$kdir" M="$out" modules >"$log/modules.log" 2>&1 || { tail -n 30 "$log/modules.log"; ks_die "out-of-tree build failed"; }
ls "$out"/*.ko
