# lab-timeout: 300
# Multipath end to end (issue 16): one volume, sessions from a subnet rule over two hot-added
# e1000e NICs, `iscsictl daemon` running, multipathd builds one map with two active paths.
# A writer does direct I/O with a verifiable pattern on the map; one NIC is hot-unplugged
# under it (0 I/O errors), the volume shows degraded (status --check exit 1); the pulled
# NIC's session goes within 30 s (the map has another active path); a logout of the last
# active path is refused (exit 3, the map named); a new NIC (new MAC) is hot-plugged: its
# session comes up unattended and joins the map, --check exit 0; the data reads back as
# written; with multipathd stopped, status still shows the map and dm's path states.
# The daemon's login record of each new session names its path in the map (the path wait:
# `multipath="path sdX active in mpathN"`); validate and plan say nothing of the scenario's
# config (replacement_timeout 5 = multipathd's fast_io_fail_tmo, NOP-Outs 2+2) and warn of
# one with replacement_timeout 20.
# Figures: the longest write stall, device_add to path active, device_del to
# session removed, login to path active in the map (the daemon's path_secs).
IQN=$LAB_IQN_PREFIX:mpath
MACA=52:54:00:0c:16:0a
MACB=52:54:00:0c:16:0b
MACC=52:54:00:0c:16:0c
IFA=$(ictl_iface_of_mac "$MACA")
IFB=$(ictl_iface_of_mac "$MACB")
IFC=$(ictl_iface_of_mac "$MACC")
ms() { local u _; read -r u _ </proc/uptime; echo $((${u/./} * 10)); }
# path_line IFACE MAP: the daemon's login record of IFACE's session naming its path in MAP.
path_line() { grep -E "action=login .* iface=$1 .*multipath=\"path sd[a-z]+ active in $2\"" "$DLOG"; }
# At exit (pass or fail): the writer stopped, maps and sessions gone, the hot-added NICs
# unplugged (lab_reset leaves PCI devices alone).
cleanup() {
	touch "$W.stop"
	[ -z "${WPID:-}" ] || kill "$WPID" 2>/dev/null
	lab_daemon_kill
	lab_multipathd_stop # queueing off: a write blocked on the map returns
	[ -z "${WPID:-}" ] || wait "$WPID" 2>/dev/null
	lab_initiator_reset
	local id mac
	for id in mpa:$MACA mpb:$MACB mpc:$MACC; do
		mac=${id#*:}
		lab_netdev_by_mac "$mac" >/dev/null && lab_pci_nic_del "${id%%:*}" "$mac"
	done
	return 0
}
lab_target_create --luns 1 --size 16 --portal "$P1:3260" "$IQN"
mpath_start
cfg_begin '"session_defaults": {"timeo": {"replacement_timeout": 5}}' \
	'"conn_defaults": {"timeo": {"login_timeout": 5, "noop_out_interval": 2, "noop_out_timeout": 2}}'
cfg_target "$IQN" "$P1" "{\"iface\": {\"match\": {\"subnet\": \"$LAB_SUBNET_PREFIX.0/24\"}}}"
cfg_write
ictl_daemon_start
W=/tmp/ictl/writer
ICTL_EXIT_EXTRA=cleanup

step "two NICs in the subnet: two sessions, one map with two active paths"
dev=$(lab_pci_nic_add mpa "$MACA" rp4)
lab_nic_up "$dev" 161
dev=$(lab_pci_nic_add mpb "$MACB" rp5)
lab_nic_up "$dev" 162
wait_for 90 "session via $IFA" ictl_via_is "$IFA" 1
wait_for 90 "session via $IFB" ictl_via_is "$IFB" 1
wait_for 60 "a multipath map" mpath_map_of_wwid_any
MAP=$(mpath_map_of_wwid_any)
wait_for 60 "$MAP has 2 active paths" mpath_active_paths_are "$MAP" 2
DEV=$(mpath_dev "$MAP") || fail "no device node of $MAP"
ictl_expect 0 status --check
ictl_expect 0 status
ictl_log_has "$MAP"
wait_for 20 "the login record of $IFA names its path in $MAP" path_line "$IFA" "$MAP"
wait_for 20 "the login record of $IFB names its path in $MAP" path_line "$IFB" "$MAP"

step "validate and plan against multipathd's settings"
ictl_expect 0 validate
! grep -q "warning:" "$ICTL_DIR/last.log" || fail "validate warned of the recommended settings"
sed 's/"replacement_timeout": 5/"replacement_timeout": 20/' "$CONF" >"$ICTL_DIR/rt20.json"
ictl_expect 0 validate "$ICTL_DIR/rt20.json"
ictl_log_has "replacement_timeout 20 differs from fast_io_fail_tmo 5"
CONF=$ICTL_DIR/rt20.json ictl_expect 0 plan
ictl_log_has "iscsictl: warning: /targets/0"
ictl_log_has "replacement_timeout 20 differs from fast_io_fail_tmo 5"

step "the writer on $DEV ($MAP); pull the NIC of $IFA under it"
python3 "$E2E_LIB/mpath_writer.py" write "$DEV" "$W.json" "$W.stop" &
WPID=$!
wait_for 30 "the writer writes" test -s "$W.json"
lab_nap 2
t_del=$(ms)
lab_pci_nic_del mpa "$MACA"
wait_for 30 "no session via $IFA" ictl_none_via "$IFA"
t_gone=$(ms)
ictl_dlog_dump
ictl_expect 1 status --check
ictl_log_has "$MAP"
assert_eq "active paths of $MAP" 1 "$(mpath_active_paths "$MAP")"

step "logout of the last active path: refused, the map named"
ictl_expect 3 logout -T "$IQN" -I "$IFB"
ictl_log_has "$MAP"
assert_eq "sessions via $IFB" 1 "$(ictl_logged_in_via "$IFB")"

step "a new NIC (new MAC): its session joins the map unattended"
t_add=$(ms)
dev=$(lab_pci_nic_add mpc "$MACC" rp6)
lab_nic_up "$dev" 163
wait_for 90 "session via $IFC" ictl_via_is "$IFC" 1
wait_for 60 "$MAP has 2 active paths again" mpath_active_paths_are "$MAP" 2
t_active=$(ms)
wait_for 20 "the login record of $IFC names its path in $MAP" path_line "$IFC" "$MAP"
path_line "$IFC" "$MAP"
path_secs=$(path_line "$IFC" "$MAP" | sed -n 's/.*path_secs=\([0-9.]*\).*/\1/p')
ictl_expect 0 status --check
ictl_expect 0 status --json

step "stop the writer; read back"
lab_nap 2
touch "$W.stop"
wait "$WPID" || fail "the writer failed"
WPID=
cat "$W.json" | python3 -c 'import json,sys; s=json.load(sys.stdin); print("writes=%d errors=%d max_ms=%s %s" % (s["writes"], s["errors"], s["max_ms"], s["error_text"]))'
assert_eq "write errors" 0 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$W.json")"
python3 "$E2E_LIB/mpath_writer.py" verify "$DEV" "$W.json" || fail "read back differs"
echo "figures: longest write stall $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["max_ms"])' "$W.json") ms;" \
	"device_add to path active $((t_active - t_add)) ms; device_del to session removed $((t_gone - t_del)) ms;" \
	"login to path active in $MAP (daemon) ${path_secs} s"
ictl_daemon_alive
ictl_daemon_stop

step "multipathd stopped: status still shows the map and dm's path states"
mpath_daemon_stop
ictl_expect 0 status
ictl_log_has "map $MAP"
ictl_log_has "checker states unavailable"
ictl_expect 0 status --check
