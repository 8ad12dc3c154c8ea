#!/usr/bin/env bash
# Build (or reuse) the lab's busybox initramfs for the unpacked kernel tree in $1.
# Prints the path of the cpio.gz. Cached by kernel version and the content of guest/init.
# The kernel is the lab series' (LAB_KERNEL, see kernel-series.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ktree=$1
kver=$("$here/kernel-version.sh")
cache=${LAB_CACHE:-/var/cache/iscsictl-lab}
mods=(virtio_pci 9pnet_virtio 9p overlay virtio_console)

die() { echo "lab initramfs: $*" >&2; exit 1; }
bb=$(command -v busybox) || die "busybox not found (run 'make deps')"
# grep reads the whole list: with -q it could exit first, and busybox would die of SIGPIPE
# (pipefail then fails the check at random).
busybox --list 2>/dev/null | grep -x switch_root >/dev/null || die "$bb is not a full busybox (install busybox-static)"
ldd "$bb" >/dev/null 2>&1 && die "$bb is dynamically linked (install busybox-static)"

key=$(cat "$here/guest/init" "$here/initramfs.sh" | sha256sum | cut -c1-16)
out=$cache/initramfs-$kver-$key.cpio.gz
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,modules,proc,sys,dev}
cp "$bb" "$tmp/bin/busybox"
install -m 0755 "$here/guest/init" "$tmp/init"
: >"$tmp/modules/order"
for m in "${mods[@]}"; do
	modprobe -d "$ktree" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
	[ -f "$ktree/$ko" ] && ko=$ktree/$ko
	# 6.12 ships modules xz-compressed; busybox insmod wants them plain.
	case "$ko" in
	*.ko.xz) b=$(basename "$ko" .xz); xz -dc "$ko" >"$tmp/modules/$b" ;;
	*) b=$(basename "$ko"); cp "$ko" "$tmp/modules/" ;;
	esac
	echo "$b" >>"$tmp/modules/order"
done
[ -s "$tmp/modules/order" ] || die "no modules resolved from $ktree"
rm -f "$cache"/initramfs-"$kver"-*.cpio.gz
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
