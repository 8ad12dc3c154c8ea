#!/bin/bash
# `make demo`: in the lab, an EqualLogic-style array (one target per volume, two portals,
# the first portal also on port 3261) and a host with two e1000e NICs. The original
# request's example config (json-schema/examples/equallogic.json: one session per MAC,
# session 0 overridden to port 3261) is pointed at the lab's volumes; multipathd runs (the
# lab's LIO-fitting multipath.conf, tests/e2e/lib/mpath.sh), so `apply` waits for each new
# path in its map and says so; `status` shows each volume's map, its paths by NIC and the
# health line, `status --check` the monitoring line; then a logout and `reload`.
set -eu
. "$LAB_REPO/scripts/lab/lib/lab.sh"
fail() { echo "demo: $*" >&2; exit 1; }
. "$LAB_REPO/tests/e2e/lib/mpath.sh"
BIN=$LAB_REPO/build/iscsictl
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
CONF=/etc/iscsictl/iscsictl.json
mkdir -p /etc/iscsictl

echo "== array: 2 volumes (targets), portals $P1:3260, $P1:3261 and $P2:3260"
lab_targets_create 2 1 --size 32 --portal "$P1:3260" --portal "$P1:3261" --portal "$P2:3260"
echo "== host: e1000e NICs"
macs=()
for i in 0 1; do
	dev=$(lab_e1000e_up "$i" $((111 + i)))
	lab_wait_carrier "$dev"
	macs+=("$(cat "/sys/class/net/$dev/address")")
	printf '   %-8s %s  10.33.0.%d\n' "$dev" "${macs[$i]}" $((111 + i))
done
insmod "$LAB_REPO/build/kmod/$(uname -r)/iscsi_iface_attrs.ko"
echo "== multipathd (find_multipaths greedy, fast_io_fail_tmo 5, LIO-ORG: hardware_handler 0)"
mpath_start

# The example, once per volume and portal, with the lab's MACs (its replacement_timeout
# 120 and NOP-Outs off contradict multipathd's fast_io_fail_tmo 5: plan warns).
jq --arg a "${macs[0]}" --arg b "${macs[1]}" --arg p1 "$P1" --arg p2 "$P2" \
	--arg t0 "$LAB_IQN_PREFIX:t0" --arg t1 "$LAB_IQN_PREFIX:t1" '
	del(.["$schema"]) | .targets[0] as $t |
	.targets = [
		($t | .name = $t0 | .conn_defaults.address = $p1),
		($t | .name = $t0 | .conn_defaults.address = $p2 | .sessions = [{"iface": $a}, {"iface": $b}]),
		($t | .name = $t1 | .conn_defaults.address = $p1),
		($t | .name = $t1 | .conn_defaults.address = $p2 | .sessions = [{"iface": $a}, {"iface": $b}])] |
	.targets[] |= (.sessions |= map(if .iface == "00:0E:0C:C2:C1:63" then .iface = $a
		elif .iface == "00:0E:0C:C2:C3:BB" then .iface = $b else . end))' \
	"$LAB_REPO/json-schema/examples/equallogic.json" >"$CONF"
echo "== $CONF (the request's example; session 0 to port 3261)"
jq -c '.targets[] | {name, address: .conn_defaults.address, sessions}' "$CONF" | sed 's/^/   /'

echo
echo "== iscsictl plan"
"$BIN" plan | sed -n '1,12p'
echo "   ..."
echo
echo "== iscsictl apply"
t0=$(date +%s.%N)
"$BIN" apply
printf '   (%.1fs)\n' "$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')"
lab_wait_disks 8 30 || true
echo
echo "== iscsictl apply (again: nothing to do)"
"$BIN" apply
echo
echo "== iscsictl status (module loaded: the NIC of every connection comes from its socket)"
"$BIN" status >/tmp/demo-status.txt || true
sed -n '/^volume /,$p' /tmp/demo-status.txt | grep -q . || cat /tmp/demo-status.txt
echo "   (sessions: $(grep -c LOGGED_IN /tmp/demo-status.txt) LOGGED_IN; the volumes:)"
sed -n '/^volume /,$p' /tmp/demo-status.txt
echo
echo "== iscsictl status --check (monitoring-plugin line)"
"$BIN" status --check || true
echo
echo "== the request's spelling: iscsictl -m node -T $LAB_IQN_PREFIX:t1 -p $P2 -I ${macs[1]} --logout, then --reload"
"$BIN" -m node -T "$LAB_IQN_PREFIX:t1" -p "$P2" -I "${macs[1]}" --logout
"$BIN" -m node -T "$LAB_IQN_PREFIX:t1" -p "$P2" --reload
[ "$(lab_sessions_logged_in)" -eq 8 ]
