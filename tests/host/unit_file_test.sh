#!/usr/bin/env bash
# iscsictl.service is valid and ordered for _netdev mounts over multipath (host test):
#
#   tests/host/unit_file_test.sh [BIN [MANDIR]]     (defaults: build/iscsictl, build/man)
#
# - `systemd-analyze verify` of the unit (ExecStart pointed at BIN, its Documentation=
#   man pages found in MANDIR) exits 0 and prints nothing: no unknown key, no missing
#   command or man page, no ordering cycle with the host's iscsid, open-iscsi,
#   multipathd and network units (it reports cycles but still exits 0);
# - the config path of ConditionPathExists and ExecStart's -c is the binary's default
#   (`BIN --help`);
# - the ordering the boot and shutdown rely on: after iscsid, multipathd, open-iscsi and
#   network-online (so it stops before them), before remote-fs-pre.target (so _netdev
#   mounts wait for the first pass and are unmounted before it stops), out of the default
#   dependencies with Conflicts/Before shutdown.target, Type=notify, KillMode=process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(realpath "${1:-$repo/build/iscsictl}")
mandir=${2:-$repo/build/man}
unit=$repo/systemd/iscsictl.service
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL unit: $*"; fails=$((fails + 1)); }

for u in iscsid.service open-iscsi.service multipathd.service network-online.target remote-fs-pre.target; do
	[ -e "/lib/systemd/system/$u" ] || fail "$u is not installed on this host (make deps): the ordering cannot be verified"
done

mkdir -p "$tmp/man/man8" "$tmp/man/man5"
cp "$mandir/iscsictl.8" "$tmp/man/man8/"
cp "$mandir/iscsictl.json.5" "$tmp/man/man5/"
sed "s|/usr/local/sbin/iscsictl|$bin|" "$unit" >"$tmp/iscsictl.service"
rc=0
MANPATH=$tmp/man SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$tmp/iscsictl.service" >"$tmp/verify.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/verify.log" ]; then
	fail "systemd-analyze verify (exit $rc): $(head -n 5 "$tmp/verify.log")"
fi

# key VALUE-REGEX: some KEY= line of the unit has a word matching VALUE-REGEX.
key_has() {
	grep -E "^$1=" "$unit" | cut -d= -f2- | tr ' ' '\n' | grep -qxE -- "$2" ||
		fail "no $1=$2 in systemd/iscsictl.service"
}
default_conf=$("$bin" --help | sed -n 's/.*--config TEXT=\([^ ]*\).*/\1/p')
[ -n "$default_conf" ] || fail "no default config path in '$bin --help'"
key_has ConditionPathExists "$default_conf"
grep -qE "^ExecStart=[^ ]*iscsictl -c $default_conf daemon" "$unit" ||
	fail "ExecStart does not run the daemon on $default_conf"
for u in iscsid.service multipathd.service open-iscsi.service network-online.target; do
	key_has After "$u"
done
key_has Wants iscsid.service
key_has Wants network-online.target
key_has Before remote-fs-pre.target
key_has Before shutdown.target
key_has Conflicts shutdown.target
key_has DefaultDependencies no
key_has Type notify
key_has KillMode process
[ "$fails" -eq 0 ] || exit 1
echo "unit: systemd-analyze verify clean; config $default_conf; ordering checked"
