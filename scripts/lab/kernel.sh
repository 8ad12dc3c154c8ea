#!/usr/bin/env bash
# Fetch, verify and unpack Debian's linux-image of the lab series (LAB_KERNEL, default 6.1)
# into the lab cache (outside the repo). Prints the directory holding boot/ and lib/modules/.
# A damaged cache (bad checksum, missing vmlinuz, half-unpacked tree) is fetched again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/kernel-series.sh"
cache=$KS_CACHE
kver=$(ks_kver)
pkg=linux-image-$kver
dest=$cache/$kver
stamp=$dest/.unpacked

mkdir -p "$cache" || ks_die "cannot create cache $cache"
exec 8>"$cache/.lock"
flock 8

tree_ok() {
	[ -f "$stamp" ] && [ -s "$dest/boot/vmlinuz-$kver" ] &&
		[ -s "$dest/lib/modules/$kver/modules.dep" ] &&
		[ "$(cat "$stamp")" = "$(cat "$cache/$pkg.sha256" 2>/dev/null)" ]
}

if tree_ok; then
	echo "$dest"
	exit 0
fi

deb=$(ks_fetch "$pkg" "$cache")
rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
dpkg-deb -x "$deb" "$dest.tmp" || ks_die "cannot unpack $deb"
[ -s "$dest.tmp/boot/vmlinuz-$kver" ] || ks_die "$deb holds no boot/vmlinuz-$kver"
depmod -b "$dest.tmp" "$kver" || ks_die "depmod failed for $kver"
sha256sum "$deb" | cut -d' ' -f1 >"$cache/$pkg.sha256"
cp "$cache/$pkg.sha256" "$dest.tmp/.unpacked"
mv "$dest.tmp" "$dest"
echo "$dest"
