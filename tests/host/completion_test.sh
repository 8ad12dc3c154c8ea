#!/usr/bin/env bash
# The bash completion loads and completes (host test, no root):
#
#   tests/host/completion_test.sh BIN
#
# In a fresh bash with bash-completion and bash-completion/iscsictl sourced: `complete -p`
# names the function; Tab after `iscsictl` offers exactly the subcommands of `BIN --help`
# and `iscsictl ap` gives `apply`; `apply --` offers apply's options; `login -I` offers
# every NIC of the host (/sys/class/net but lo) and its MAC, and a NIC of a recorded tree
# by name prefix and by MAC prefix (after a colon, as bash splits words there); `-T` offers
# the target names of the config given with -c; `-m` offers session and node; `status
# --format` offers text, json and prometheus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=$(cd "$(dirname "${1:?usage: completion_test.sh BIN}")" && pwd)/$(basename "$1")
[ -r /usr/share/bash-completion/bash_completion ] ||
	{ echo "FAIL completion: bash-completion is not installed (make deps)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/sys/class/net/enp7s0" "$tmp/sys/class/net/lo"
echo 52:54:00:0c:00:07 >"$tmp/sys/class/net/enp7s0/address"
echo 00:00:00:00:00:00 >"$tmp/sys/class/net/lo/address"
cat >"$tmp/conf.json" <<'JSON'
{"targets": [
  {"name": "iqn.2001-05.com.equallogic:vol1", "portal": {"address": "10.33.0.10"},
   "sessions": [{"iface": {"match": {"name": "enp*"}}}]},
  {"name": "iqn.2001-05.com.equallogic:vol2", "portal": {"address": "10.33.0.11"}}]}
JSON
"$bin" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p' | sort >"$tmp/subs"

bash --norc --noprofile -s "$bin" "$repo/bash-completion/iscsictl" "$tmp" <<'SH'
set -u
bin=$1 script=$2 tmp=$3
. /usr/share/bash-completion/bash_completion
. "$script"
fails=0
fail() { echo "FAIL completion: $*"; fails=$((fails + 1)); }

spec=$(complete -p iscsictl 2>&1) || true
[ "$spec" = "complete -F _iscsictl iscsictl" ] || fail "complete -p iscsictl: '$spec'"

# complete LINE: COMPREPLY for the end of LINE (words split as bash does for completion).
complete_line() {
	# The build tree's binary stands for `iscsictl` (the completion runs words[0] --help).
	COMP_LINE=$bin${1#iscsictl}
	COMP_POINT=${#COMP_LINE}
	local IFS=$' \t\n'
	read -r -a COMP_WORDS <<<"$COMP_LINE"
	[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_iscsictl iscsictl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
# has LINE WORD...: the completions of LINE include every WORD.
has() {
	local line=$1 w got
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$got" || fail "'$line<Tab>' lacks '$w' (got: $(echo $got))"
	done
}

got=$(complete_line "iscsictl ")
[ "$got" = "$(cat "$tmp/subs")" ] || fail "subcommands: '$(echo $got)' != --help's '$(echo $(cat "$tmp/subs"))'"
[ "$(complete_line "iscsictl ap")" = apply ] || fail "'iscsictl ap<Tab>' is not 'apply'"
has "iscsictl -c /x.json da" daemon
has "iscsictl apply --" --force --jobs
has "iscsictl daemon --" --removed-nic-grace --debounce-ms --quiet-events
has "iscsictl --" --config --version --help
has "iscsictl -m " session node
has "iscsictl -m node " --login -T -I
has "iscsictl status --" --format --json
has "iscsictl daemon --" --textfile
has "iscsictl status --format " text json prometheus
[ "$(complete_line "iscsictl status --format p")" = prometheus ] || fail "'status --format p<Tab>' is not prometheus"

# The host's own NICs, by name and by MAC.
n=0
for d in /sys/class/net/*; do
	[ "${d##*/}" = lo ] && continue
	n=$((n + 1))
	mac=$(cat "$d/address")
	want=("${d##*/}")
	[ "$mac" = 00:00:00:00:00:00 ] || want+=("$mac")
	has "iscsictl login -I " "${want[@]}"
done
echo "completion: $n NICs of this host checked"
# A recorded tree: name prefix, MAC prefix (bash splits the word at ':'), upper case.
export _ISCSICTL_SYSFS=$tmp/sys
[ "$(complete_line "iscsictl login -I enp")" = enp7s0 ] || fail "'-I enp<Tab>' is not enp7s0"
has "iscsictl -m node -I " enp7s0 52:54:00:0c:00:07 default
got=$(complete_line "iscsictl login -I 52:54:00:0c")
[ "$got" = "0c:00:07" ] || fail "'-I 52:54:00:0c<Tab>' gives '$got', not the rest of the MAC"
complete_line "iscsictl login -I lo" | grep -qx lo && fail "'-I lo<Tab>' offers the loopback"
unset _ISCSICTL_SYSFS

# The config's targets and portals.
has "iscsictl -c $tmp/conf.json login -T " iqn.2001-05.com.equallogic:vol1 iqn.2001-05.com.equallogic:vol2
has "iscsictl -c $tmp/conf.json -m node -T iqn.2001-05.com.equallogic:vol1 -p " 10.33.0.10 10.33.0.11
complete_line "iscsictl -c $tmp/conf.json login -T " | grep -q 'enp\*' && fail "-T offers an iface rule's name glob"
exit $((fails > 0))
SH
echo "completion: ok"
