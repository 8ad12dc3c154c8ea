#!/usr/bin/env bash
# Print a kbuild directory (KDIR) for the lab series' kernel (LAB_KERNEL, default 6.1).
# 6.1: the machine's installed headers (/lib/modules/KVER/build) when present. Other
# series (or 6.1 without installed headers): linux-headers-KVER, its -common package and
# linux-kbuild are fetched with the series' private apt lists and unpacked with
# dpkg-deb -x under the lab cache (nothing is installed), their absolute include of the
# -common Makefile pointed at the unpacked copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/kernel-series.sh"
cache=$KS_CACHE
kver=$(ks_kver)

if ! ks_private && [ -f "/lib/modules/$kver/build/Makefile" ]; then
	echo "/lib/modules/$kver/build"
	exit 0
fi

root=$cache/headers/$kver
kdir=$root/usr/src/linux-headers-$kver
mkdir -p "$cache"
exec 8>"$cache/.lock"
flock 8

# The three packages: linux-headers-KVER and what it depends on by name.
deps() {
	ks_apt_cache show "linux-headers-$kver" | sed -n 's/^Depends: //p' | head -n1 |
		tr ',' '\n' | sed -n 's/^ *\(linux-\(headers\|kbuild\)-[^ ]*\).*/\1/p'
}
pkgs=("linux-headers-$kver")
mapfile -t -O 1 pkgs < <(deps)
[ ${#pkgs[@]} -ge 3 ] || ks_die "linux-headers-$kver: expected -common and linux-kbuild deps, got: ${pkgs[*]}"

stamp_want=$(for p in "${pkgs[@]}"; do ks_want_sha "$p"; done | sha256sum | cut -c1-16)
if [ -f "$root/.unpacked" ] && [ "$(cat "$root/.unpacked")" = "$stamp_want" ] && [ -f "$kdir/Makefile" ]; then
	echo "$kdir"
	exit 0
fi

rm -rf "$root" "$root.tmp"
mkdir -p "$root.tmp"
for p in "${pkgs[@]}"; do
	deb=$(ks_fetch "$p" "$cache/debs")
	dpkg-deb -x "$deb" "$root.tmp" || ks_die "cannot unpack $deb"
done
mk=$root.tmp/usr/src/linux-headers-$kver/Makefile
[ -f "$mk" ] || ks_die "linux-headers-$kver holds no Makefile"
# "include /usr/src/linux-headers-X-common/Makefile" -> the unpacked copy.
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
echo "$stamp_want" >"$root.tmp/.unpacked"
mv "$root.tmp" "$root"
echo "$kdir"
