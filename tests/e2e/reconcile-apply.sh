# lab-timeout: 420
# iscsictl plan/apply/reload/login/logout (issue 6) with the original request's example
# config: two e1000e NICs by MAC, session 0 overridden to port 3261 (LIO listens on 3260 and
# 3261). apply makes exactly one session per MAC, each on its NIC (the module's `iface`), with
# the configured parameters negotiated; apply again does nothing and runs no iscsiadm; an
# edit shows exactly its difference in `plan`; reload after dropping one MAC and adding
# another changes only those sessions and never a session made by hand; login/logout -I touch
# one session; the last path of a mounted disk is not logged out without --force.
IQN=$LAB_IQN_PREFIX:equallogic
MAC_A=${LAB_E1000E_MACS[0]}
MAC_B=${LAB_E1000E_MACS[1]}
MAC_C=02:00:00:00:06:03
IF_A=$(ictl_iface_of_mac "$MAC_A")
IF_B=$(ictl_iface_of_mac "$MAC_B")
IF_C=$(ictl_iface_of_mac "$MAC_C")

step "target on $P1:3260 and $P1:3261 (InitialR2T=No), NICs, a session made by hand"
lab_target_create --luns 1 --portal "$P1:3260" --portal "$P1:3261" --attr InitialR2T=No "$IQN"
NIC_A=$(lab_e1000e_up 0 101)
NIC_B=$(lab_e1000e_up 1 102)
lab_wait_carrier "$NIC_A"
lab_wait_carrier "$NIC_B"
lab_veth_add ve3 "$MAC_C" 103
lab_veth_add ve9 02:00:00:00:06:09 109
lab_iface_bind if-ve9 ve9
lab_node_new "$IQN" "$P1:3260" if-ve9
iscsiadm -m node -T "$IQN" -p "$P1:3260,1" -I if-ve9 --login >/dev/null || fail "manual login"
FOREIGN=$(ictl_sid if-ve9)
kmod_load

# config MACS...: the request's example (json-schema/examples/equallogic.json) with the lab's
# target, portal and MACs; the first MAC's session goes to port 3261.
config() {
	local first=$1 rest='[]'
	shift
	[ $# -eq 0 ] || rest=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	jq --arg iqn "$IQN" --arg p "$P1" --arg a "$first" --argjson rest "$rest" \
		--argjson mbl "${MBL:-131072}" '
		.targets[0].name = $iqn | .targets[0].conn_defaults.address = $p |
		.targets[0].session_defaults.iscsi.FirstBurstLength = 32768 |
		.targets[0].session_defaults.iscsi.MaxBurstLength = $mbl |
		.targets[0].session_defaults.timeo.replacement_timeout = 20 |
		.targets[0].conn_defaults.iscsi.HeaderDigest = "CRC32C" |
		.targets[0].conn_defaults.timeo.login_timeout = 5 |
		.targets[0].sessions = [{"iface": $a, "conns": [{"port": 3261}]}] + [$rest[] | {"iface": .}] |
		del(.["$schema"])' "$LAB_REPO/json-schema/examples/equallogic.json" >"$CONF.tmp" &&
		mv "$CONF.tmp" "$CONF"
}
config "$MAC_A" "$MAC_B"

# sids [LIST]: the sids in LIST (default: of every session), sorted, on one line.
sids() {
	if [ $# -gt 0 ]; then echo $1 | xargs -n1 | sort -n | xargs; else ictl_sessions | awk '{ print $1 }' | xargs; fi
}

step "plan: 2 iface records, 2 node records, 2 logins"
ictl_expect 0 plan --json
assert_eq "planned actions" "write-iface write-node write-iface write-node login login" \
	"$(jq -r '[.actions[].action] | join(" ")' "$ICTL_DIR/last.log")"

step "apply"
ictl_expect 0 apply
ictl_sessions
ictl_no_duplicates
SID_A=$(ictl_sid "$IF_A")
SID_B=$(ictl_sid "$IF_B")
[ -n "$SID_A" ] && [ -n "$SID_B" ] || fail "no session per MAC"
assert_eq "sessions" 3 "$(ictl_sessions | wc -l)"
assert_eq "session A port" 3261 "$(cat "$(kmod_conn_of "$SID_A")/persistent_port")"
assert_eq "session B port" 3260 "$(cat "$(kmod_conn_of "$SID_B")/persistent_port")"
assert_eq "session A NIC (module)" "$NIC_A $MAC_A" \
	"$(cat "$(kmod_conn_of "$SID_A")/iface") $(cat "$(kmod_conn_of "$SID_A")/iface_hwaddress")"
assert_eq "session B NIC (module)" "$NIC_B $MAC_B" \
	"$(cat "$(kmod_conn_of "$SID_B")/iface") $(cat "$(kmod_conn_of "$SID_B")/iface_hwaddress")"
# header_digest/data_digest read 1 for CRC32C, 0 for None.
for sid in $SID_A $SID_B; do
	s=/sys/class/iscsi_session/session$sid
	c=$(kmod_conn_of "$sid")
	assert_eq "session $sid negotiated" \
		"first_burst=32768 max_burst=131072 initial_r2t=0 immediate_data=1 recovery_tmo=20 max_recv=65536 hdgst=1 ddgst=0 erl=0" \
		"first_burst=$(cat "$s/first_burst_len") max_burst=$(cat "$s/max_burst_len") initial_r2t=$(cat "$s/initial_r2t") immediate_data=$(cat "$s/immediate_data") recovery_tmo=$(cat "$s/recovery_tmo") max_recv=$(cat "$c/max_recv_dlength") hdgst=$(cat "$c/header_digest") ddgst=$(cat "$c/data_digest") erl=$(cat "$s/erl")"
done
for f in /etc/iscsi/ifaces/$IF_A /etc/iscsi/nodes/$IQN/$P1,3261,1/$IF_A /etc/iscsi/nodes/$IQN/$P1,3260,1/$IF_B; do
	assert_eq "mode of $f" 600 "$(stat -c %a "$f")"
done

step "apply again: nothing to do, no iscsiadm started"
SPY=$(ictl_spy)
ictl_expect 0 apply --iscsiadm "$SPY"
ictl_log_has "converged, nothing to do"
assert_eq "iscsiadm calls" "" "$(cat "$ICTL_DIR/spy.log")"

step "an edit (MaxBurstLength) shows exactly its difference"
MBL=262144 config "$MAC_A" "$MAC_B"
ictl_expect 0 plan --json
assert_eq "planned" "write-node:$IF_A:node.session.iscsi.MaxBurstLength write-node:$IF_B:node.session.iscsi.MaxBurstLength" \
	"$(jq -r '[.actions[] | "\(.action):\(.iface):\(.changed | join(","))"] | join(" ")' "$ICTL_DIR/last.log")"
assert_eq "notes" "stale stale foreign" "$(jq -r '[.notes[].note] | join(" ")' "$ICTL_DIR/last.log")"
config "$MAC_A" "$MAC_B"
ictl_expect 0 plan --json
assert_eq "plan after revert" "true" "$(jq -r .converged "$ICTL_DIR/last.log")"

step "reload after dropping MAC B and adding $MAC_C: only those sessions change"
config "$MAC_A" "$MAC_C"
ictl_expect 0 reload
ictl_sessions
ictl_no_duplicates
assert_eq "session A kept" "$SID_A" "$(ictl_sid "$IF_A")"
assert_eq "session B gone" "" "$(ictl_sid "$IF_B")"
SID_C=$(ictl_sid "$IF_C")
[ -n "$SID_C" ] || fail "no session through $MAC_C"
assert_eq "session C NIC" ve3 "$(cat "$(kmod_conn_of "$SID_C")/iface")"
assert_eq "hand-made session untouched" "$FOREIGN LOGGED_IN" \
	"$(ictl_sessions | awk -v s="$FOREIGN" '$1 == s { print $1, $5 }')"
[ ! -e "/etc/iscsi/nodes/$IQN/$P1,3260,1/$IF_B" ] || fail "node record of B left behind"
[ ! -e "/etc/iscsi/ifaces/$IF_B" ] || fail "iface record of B left behind"
[ -e "/etc/iscsi/ifaces/if-ve9" ] || fail "foreign iface record removed"

step "logout -I / login -I touch one session (and the request's -m node spellings)"
ictl_expect 0 logout -T "$IQN" -p "$P1" -I ve3
assert_eq "after logout -I ve3" "$(sids "$SID_A $FOREIGN")" "$(sids)"
ictl_expect 0 login -T "$IQN" -p "$P1" -I "$MAC_C"
SID_C=$(ictl_sid "$IF_C")
assert_eq "after login -I" "$(sids "$SID_A $SID_C $FOREIGN")" "$(sids)"
ictl_expect 0 -m node -T "$IQN" -p "$P1" -I "$MAC_C" --logout
assert_eq "after -m node --logout" "" "$(ictl_sid "$IF_C")"
ictl_expect 0 -m node -T "$IQN" -p "$P1" -I "$MAC_C" --login
SID_C=$(ictl_sid "$IF_C")
[ -n "$SID_C" ] || fail "-m node --login made no session"
ictl_expect 2 logout -T "$IQN" -p "$P1" -I if-ve9
ictl_log_has "not made by iscsictl"
ictl_expect 2 login -T "$IQN" -I nosuch0
ictl_log_has "-I nosuch0: no such NIC"
ictl_expect 2 login -T iqn.2026-11.lab.target:unknown
ictl_log_has "no session of $CONF matches"
ictl_expect 0 -m node -T "$IQN" -p "$P1" --reload
ictl_log_has "converged, nothing to do"

step "the last path of a mounted disk is kept without --force"
lab_wait_disks 3
# The hand-made session reaches the same LU (same WWID): it would count as another path.
iscsiadm -m session -r "$FOREIGN" -u >/dev/null || fail "manual logout"
DISK_C=$(lab_iscsi_disks | awk -v s="session$SID_C" '$2 == s { print $1 }')
[ -b "$DISK_C" ] || fail "no disk for session $SID_C"
mkfs.ext2 -q -F "$DISK_C" || fail "mkfs"
mkdir -p /mnt/ictl && mount "$DISK_C" /mnt/ictl || fail "mount"
ictl_expect 0 logout -T "$IQN" -I "$MAC_A"
ictl_expect 3 logout -T "$IQN" -I "$MAC_C"
ictl_log_has "has no other path"
[ -n "$(ictl_sid "$IF_C")" ] || fail "the last path was logged out"
config "$MAC_A"
ictl_expect 3 apply
ictl_log_has "has no other path"
[ -n "$(ictl_sid "$IF_C")" ] || fail "apply logged out the last path"
ictl_expect 0 apply --force
assert_eq "session C after --force" "" "$(ictl_sid "$IF_C")"
umount -l /mnt/ictl
assert_eq "final sessions" "$(ictl_sid "$IF_A")" "$(sids)"
