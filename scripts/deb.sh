#!/usr/bin/env bash
# Build the Debian packages (iscsictl, iscsi-iface-attrs-dkms) with debhelper and check
# them with lintian:
#
#   scripts/deb.sh [OUTDIR]        (make deb; OUTDIR defaults to build/deb)
#
# The package's inputs in the working tree (tracked and untracked, not ignored files of
# debian/, userspace/, kmod/, json-schema/, systemd/, udev-rules/, bash-completion/,
# docs/, README.md, Makefile) are copied to
# OUTDIR/src/iscsictl-VERSION and built there with dpkg-buildpackage, so debian/'s build
# products stay out of the tree and the packages land in OUTDIR. VERSION is
# debian/changelog's, plus +git.N.HASH (N commits) when HEAD is not the tagged release,
# so a build of a newer commit upgrades an older one. A build whose inputs did not change
# is not repeated. One line per step; the full output is in OUTDIR/build.log and
# OUTDIR/lintian.log. Exit status: 0 built and no lintian error, 1 otherwise.
#
# Environment: DEB_CXXFLAGS_APPEND (dpkg-buildflags; make test: -g1), DEB_BUILD_OPTIONS
# (default "parallel=$(nproc) nocheck": `make test` runs
# the unit tests itself; drop nocheck to run them in the package build too).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${1:-$repo/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc) nocheck}

die() { echo "deb: $*" >&2; exit 1; }
for t in dpkg-buildpackage dh dh_dkms lintian scdoc cmake; do
	command -v "$t" >/dev/null || die "$t not found: run 'make deps'"
done

cd "$repo"
# What the packages are built from (tests/, scripts/ and the lab are not).
inputs=(debian userspace kmod json-schema systemd udev-rules bash-completion docs README.md Makefile)
base=$(dpkg-parsechangelog -S Version)
version=$base
if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
	if ! git describe --tags --exact-match --match "v$base" >/dev/null 2>&1; then
		version="$base+git.$(git rev-list --count HEAD).$(git rev-parse --short=8 HEAD)"
	fi
	files() { git ls-files -z --cached --others --exclude-standard -- "${inputs[@]}"; }
else
	files() { find "${inputs[@]}" \( -type f -o -type l \) -print0; }
fi

# valijson's headers: the installed libvalijson-dev, or the copy `make deps` unpacked.
profile=()
valijson_inc=
if ! dpkg-query -W -f='${db:Status-Status}' libvalijson-dev 2>/dev/null | grep -qx installed; then
	valijson_inc=$repo/.deps/valijson/usr/include
	[ -f "$valijson_inc/valijson/validator.hpp" ] ||
		die "valijson headers not found (neither libvalijson-dev nor $valijson_inc): run 'make deps'"
	profile=(-Ppkg.iscsictl.valijson-headers)
fi

# The build's inputs: the tree (contents, modes, symbolic links), the version, the options.
mkdir -p "$out/.tmp"
files | tar -c --null -T - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
	-f "$out/.tmp/tree.tar"
stamp=$( {
	echo "$version $DEB_BUILD_OPTIONS ${profile[*]} ${DEB_CXXFLAGS_APPEND:-}"
	sha256sum <"$out/.tmp/tree.tar"
} | sha256sum | cut -d' ' -f1)
debs=("$out/iscsictl_${version}_"*.deb "$out/iscsi-iface-attrs-dkms_${version}_all.deb")
if [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ] && [ -s "${debs[0]}" ] && [ -s "${debs[1]}" ]; then
	rm -rf "$out/.tmp"
	echo "deb: $version up to date in ${out#"$repo"/}"
	exit 0
fi

src=$out/src/iscsictl-$version
echo "deb: copying the tree to ${src#"$repo"/}"
rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo "$out/.stamp" "$out"/*.log
mkdir -p "$src"
tar -x -m -C "$src" -f "$out/.tmp/tree.tar" # -m: files dated now, not 1970
rm -rf "$out/.tmp"
sed -i "1s/^\([^ ]*\) ([^)]*)/\1 ($version)/" "$src/debian/changelog"

echo "deb: dpkg-buildpackage -b ($DEB_BUILD_OPTIONS${profile:+, ${profile[*]#-P}}), log ${out#"$repo"/}/build.log"
t0=$(date +%s)
if ! (cd "$src" && VALIJSON_INCLUDE_DIR=$valijson_inc dpkg-buildpackage -b -us -uc "${profile[@]}") \
	>"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" | sed 's/^/    | /' >&2
	die "dpkg-buildpackage failed; see ${out#"$repo"/}/build.log"
fi
mv "$out/src/"*.deb "$out/src/"*.changes "$out/src/"*.buildinfo "$out/"
changes=$(ls "$out"/iscsictl_"${version}"_*.changes)

echo "deb: lintian, log ${out#"$repo"/}/lintian.log"
lrc=0
lintian --fail-on error --display-info --tag-display-limit 0 "$changes" >"$out/lintian.log" 2>&1 || lrc=$?
# One line per tag and package with its count: E (error), W (warning), I (info).
sed -n 's/^\([EWI]\): \([^ ]*\): \([^ ]*\).*/\1 \2 \3/p' "$out/lintian.log" | sort | uniq -c |
	sed 's/^ */    /'
[ "$lrc" -eq 0 ] || die "lintian found errors (exit $lrc); see ${out#"$repo"/}/lintian.log"

echo "$stamp" >"$out/.stamp"
for d in "$out"/*.deb; do
	echo "deb: ${d#"$repo"/} ($(du -k "$d" | cut -f1) KiB) in $(($(date +%s) - t0)) s"
done
