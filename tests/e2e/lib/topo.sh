# Topologies of the e2e scenarios (part of tests/e2e/lib/e2e.sh): one helper per shape of
# lab, so every scenario that needs a shape builds it the same way. Target options are
# lab_target_create's (--luns N, --attr K=V, --chap U:P, ...). lab_reset (the runner, after
# every scenario) takes all of it down again.
#
#   topo_target_2p [OPTS] IQN        IQN listening on both portals, $P1:3260 and $P2:3260
#   topo_veths [N]                   N (default 2) veth NICs ve0, ve1, ... at 10.33.0.101, .102, ...
#                                    ve<i> has the MAC ${TOPO_MACS[i]}
#   topo_two_path [OPTS] IQN         the two-path target: topo_target_2p + topo_veths 2
#   topo_two_path_iscsiadm [OPTS] IQN  the same for plain open-iscsi: iface records if-ve0 and
#                                    if-ve1 bound to their NIC, SendTargets through both (4 node
#                                    records: 2 NICs x 2 portals), ready for lab_login_all
#   topo_four_nics [OPTS] IQN        the two-path target, ve0 and ve1, and the two boot-time
#                                    e1000e NICs at .103 and .104 with carrier (their netdevs in
#                                    E0 and E1); iface records if-ve0 if-ve1 if-$E0 if-$E1
# Each prints one line with the time it took (setup cost is part of every scenario's time).

TOPO_MACS=(02:00:00:00:01:00 02:00:00:00:01:01 02:00:00:00:01:02 02:00:00:00:01:03)

_topo_t0() { read -r TOPO_T0 _ </proc/uptime; }
_topo_done() {
	local t _
	read -r t _ </proc/uptime
	echo "topo: $1 ready in $(awk -v a="$TOPO_T0" -v b="$t" 'BEGIN { printf "%.1f", b - a }')s"
}

topo_target_2p() { lab_target_create --portal "$P1:3260" --portal "$P2:3260" "$@"; }

topo_veths() {
	local n=${1:-2} i
	for ((i = 0; i < n; i++)); do
		lab_veth_add "ve$i" "${TOPO_MACS[$i]}" $((101 + i)) || return 1
	done
}

topo_two_path() {
	_topo_t0
	topo_target_2p "$@" || fail "topo: target $*"
	topo_veths 2 || fail "topo: veth NICs"
	_topo_done "two-path target, ve0 ve1"
}

topo_two_path_iscsiadm() {
	_topo_t0
	topo_target_2p "$@" || fail "topo: target $*"
	topo_veths 2 || fail "topo: veth NICs"
	lab_iface_bind if-ve0 ve0 && lab_iface_bind if-ve1 ve1 || fail "topo: iface records"
	lab_discover "$P1" if-ve0 if-ve1 || fail "topo: discovery"
	_topo_done "two-path target, ve0 ve1, 4 node records"
}

topo_four_nics() {
	local d
	_topo_t0
	topo_target_2p "$@" || fail "topo: target $*"
	topo_veths 2 || fail "topo: veth NICs"
	E0=$(lab_e1000e_up 0 103) || fail "topo: e1000e 0"
	E1=$(lab_e1000e_up 1 104) || fail "topo: e1000e 1"
	lab_wait_carrier "$E0" || fail "topo: no carrier on $E0"
	lab_wait_carrier "$E1" || fail "topo: no carrier on $E1"
	for d in ve0 ve1 "$E0" "$E1"; do
		lab_iface_bind "if-$d" "$d" || fail "topo: iface record if-$d"
	done
	_topo_done "two-path target, ve0 ve1 $E0 $E1, 4 iface records"
}
