#!/usr/bin/env bash
# Fetch, verify and unpack Debian's linux-image matching linux-headers-amd64 into the
# lab cache (outside the repo). Prints the directory holding boot/ and lib/modules/.
# A damaged cache (bad checksum, missing vmlinuz, half-unpacked tree) is fetched again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${LAB_CACHE:-/var/cache/iscsictl-lab}
kver=$("$here/kernel-version.sh")
pkg=linux-image-$kver
dest=$cache/$kver
stamp=$dest/.unpacked

die() { echo "lab kernel: $*" >&2; exit 1; }

mkdir -p "$cache" || die "cannot create cache $cache"
exec 8>"$cache/.lock"
flock 8

# The checksum apt's index holds for the candidate (empty if the lists are missing).
want_sha() { apt-cache show "$pkg" 2>/dev/null | sed -n 's/^SHA256: //p' | head -n1; }

deb_ok() {
	local deb=$1 sha
	[ -s "$deb" ] || return 1
	sha=$(want_sha)
	if [ -n "$sha" ]; then
		[ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$sha" ] || return 1
	fi
	dpkg-deb --info "$deb" >/dev/null 2>&1
}

tree_ok() {
	[ -f "$stamp" ] && [ -s "$dest/boot/vmlinuz-$kver" ] &&
		[ -s "$dest/lib/modules/$kver/modules.dep" ] &&
		[ "$(cat "$stamp")" = "$(cat "$cache/$pkg.sha256" 2>/dev/null)" ]
}

if tree_ok; then
	echo "$dest"
	exit 0
fi

deb=$(ls "$cache"/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ] || ! deb_ok "$deb"; then
	[ -n "$deb" ] && echo "lab kernel: cached $(basename "$deb") is damaged; fetching again" >&2
	rm -f "$cache"/"${pkg}"_*.deb
	command -v apt-get >/dev/null || die "apt-get not found"
	if [ -z "$(want_sha)" ]; then
		apt-get update -qq >/dev/null 2>&1 || true
	fi
	(cd "$cache" && apt-get download "$pkg" >/dev/null 2>"$cache/download.err") ||
		die "cannot download $pkg (no network to the package mirror?): $(tail -n1 "$cache/download.err")"
	deb=$(ls "$cache"/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	[ -n "$deb" ] && deb_ok "$deb" || die "downloaded $pkg fails its checksum"
fi

rm -rf "$dest" "$dest.tmp"
mkdir -p "$dest.tmp"
dpkg-deb -x "$deb" "$dest.tmp" || die "cannot unpack $deb"
[ -s "$dest.tmp/boot/vmlinuz-$kver" ] || die "$deb holds no boot/vmlinuz-$kver"
depmod -b "$dest.tmp" "$kver" || die "depmod failed for $kver"
sha256sum "$deb" | cut -d' ' -f1 >"$cache/$pkg.sha256"
cp "$cache/$pkg.sha256" "$dest.tmp/.unpacked"
mv "$dest.tmp" "$dest"
echo "$dest"
