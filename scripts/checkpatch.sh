#!/usr/bin/env bash
# checkpatch.pl --strict on kernel sources outside a kernel tree (kmod/ by default), or on
# patches (--patch FILE...). checkpatch.pl comes from Debian's linux-source-6.12 (the tree
# kmod/upstream/ is against), fetched with apt-get download through the 6.12 series' private
# lists (scripts/lab/kernel-series.sh; nothing is installed) and cached, with the data files
# it reads (spelling.txt, const_structs.checkpatch), in $LAB_CACHE/checkpatch/: a fresh
# machine downloads about 150 MB once, later runs take a few seconds.
#
#   scripts/checkpatch.sh [FILE...]          files (-f), default kmod/*.[ch] kmod/uapi/*.h
#                                            (not kbuild's generated *.mod.c)
#   scripts/checkpatch.sh --patch PATCH...   patches (kmod/upstream/*.patch)
#   scripts/checkpatch.sh --path             print the path of checkpatch.pl
#
# Outside a tree checkpatch cannot read include/ to learn the kernel's own identifiers,
# so it reports "Avoid CamelCase: <Scsi_Host>" (struct Scsi_Host): that one check is
# ignored for files; patches are also checked inside the full 6.12 tree by
# kmod/upstream/build.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
LAB_KERNEL=6.12
. "$here/lab/kernel-series.sh"
dir=$KS_CACHE/checkpatch/6.12
cp_pl=$dir/scripts/checkpatch.pl

if [ ! -x "$cp_pl" ]; then
	mkdir -p "$KS_CACHE"
	exec 8>"$KS_CACHE/.lock"
	flock 8
	if [ ! -x "$cp_pl" ]; then
		deb=$(ks_fetch linux-source-6.12 "$KS_CACHE/debs")
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" ./usr/src/linux-source-6.12.tar.xz ||
			ks_die "no linux-source-6.12.tar.xz in $deb"
		tar -xJf "$tmp/usr/src/linux-source-6.12.tar.xz" -C "$tmp" \
			linux-source-6.12/scripts/checkpatch.pl linux-source-6.12/scripts/spelling.txt \
			linux-source-6.12/scripts/const_structs.checkpatch ||
			ks_die "cannot extract checkpatch.pl"
		rm -rf "$dir"
		mkdir -p "$dir"
		mv "$tmp/linux-source-6.12/scripts" "$dir/"
	fi
	exec 8>&-
fi

mode=files
case "${1:-}" in
--path) echo "$cp_pl"; exit 0 ;;
--patch) mode=patch; shift ;;
esac
cd "$repo"
if [ "$mode" = files ]; then
	if [ $# -eq 0 ]; then
		for f in kmod/*.c kmod/*.h kmod/uapi/*.h; do
			case "$f" in *.mod.c) ;; *) set -- "$@" "$f" ;; esac
		done
	fi
	exec perl "$cp_pl" --strict --no-tree --no-summary --ignore CAMELCASE,FILE_PATH_CHANGES -f "$@"
fi
exec perl "$cp_pl" --strict --no-tree "$@"
