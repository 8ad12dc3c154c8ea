#!/usr/bin/env bash
# `iscsictl status --format prometheus` passes `promtool check metrics` (host test, no
# root): the recorded sysfs trees of userspace/testdata/sysfs, each without a config and
# the software tree with one (wanted, missing and not-in-config sessions), and a text
# with hostile label values (quotes, backslash, newline in a target name).
#
#   tests/host/promtool_test.sh BIN
#
# promtool is the one of Debian's `prometheus` package, unpacked by `make deps` into
# .deps/prometheus (or on PATH). One line per failure; exit 1 if any.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:?usage: promtool_test.sh BIN}
promtool=$repo/.deps/prometheus/usr/bin/promtool
[ -x "$promtool" ] || promtool=$(command -v promtool || true)
[ -n "$promtool" ] || { echo "FAIL promtool: no promtool (make deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL promtool: $*"; fails=$((fails + 1)); }

# check NAME: promtool check metrics on $tmp/NAME.prom, which must hold SERIES.
check() {
	local name=$1 want=$2
	grep -q -- "$want" "$tmp/$name.prom" || fail "$name: no '$want' in the text"
	"$promtool" check metrics <"$tmp/$name.prom" >"$tmp/$name.out" 2>&1 ||
		fail "$name: $(tr '\n' ' ' <"$tmp/$name.out")"
}

fixtures=$repo/userspace/testdata/sysfs
n=0
for t in software software-nomodule qla4xxx; do
	"$bin" status --no-config --sysfs-root "$fixtures/$t" --format prometheus >"$tmp/$t.prom"
	check "$t" '^iscsictl_sessions_present{'
	n=$((n + 1))
done
cat >"$tmp/c.json" <<'JSON'
{"targets": [{"name": "iqn.2026-11.lab.target:status", "portal": {"address": "10.33.0.10"},
  "sessions": [{"iface": "ve0"}, {"iface": "ve7"}]}]}
JSON
"$bin" -c "$tmp/c.json" status --sysfs-root "$fixtures/software" --format prometheus \
	>"$tmp/config.prom"
check config '^iscsictl_sessions_wanted{'
n=$((n + 1))

# A hostile target name: the software tree with its first session's targetname replaced.
cp -r "$fixtures/software" "$tmp/hostile"
f=$(find "$tmp/hostile" -path '*iscsi_session/session*' -name targetname | sort | head -n1)
[ -n "$f" ] || fail "hostile: no targetname in the software tree"
if [ -n "$f" ]; then
	rm -f "$f"
	printf 'iqn.x:"} evil 1\n# TYPE evil counter\\\n' >"$f"
	"$bin" status --no-config --sysfs-root "$tmp/hostile" --format prometheus >"$tmp/hostile.prom"
	check hostile 'target="iqn.x:\\"} evil 1\\n# TYPE evil counter\\\\'
	grep -q '^evil' "$tmp/hostile.prom" && fail "hostile: a line starts with the injected name"
	n=$((n + 1))
fi
[ "$fails" -eq 0 ] || exit 1
echo "promtool: $n texts pass 'promtool check metrics' ($("$promtool" --version 2>&1 | head -n1))"
