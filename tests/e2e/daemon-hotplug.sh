# lab-timeout: 300
# The event daemon (issue 7), real PCI hotplug: `device_add` over QMP of an e1000e whose MAC
# the config names -> the daemon sees it (udev), waits while it has no address (note
# `waiting`), and once the scenario addresses it logs in both its sessions with nobody
# typing a command; `device_del` -> the sessions are gone, their records deleted, iscsid
# knows no session or node of that NIC.
IQN=$LAB_IQN_PREFIX:hotplug
MAC=52:54:00:0c:00:07
IF=$(ictl_iface_of_mac "$MAC")
topo_target_2p --luns 1 "$IQN"
cfg_begin "$CFG_LOGIN5"
cfg_target "$IQN" "$P1" "$MAC"
cfg_target "$IQN" "$P2" "$MAC"
cfg_write

step "daemon up, the NIC absent: nothing to do"
ictl_daemon_start
ictl_dlog_has "event=start"
assert_eq "sessions" 0 "$(ictl_sessions | wc -l)"

step "device_add e1000e $MAC on rp4: seen, waits for an address"
dev=$(lab_pci_nic_add hot7 "$MAC" rp4)
[ -n "$dev" ] || fail "no netdev"
wait_for 30 "event=net-add for $dev" grep -q "event=net-add nic=.* mac=$MAC" "$DLOG"
wait_for 30 "note=waiting for $IF" grep -q "note=waiting .*iface=$IF" "$DLOG"
assert_eq "sessions before the address" 0 "$(ictl_sessions | wc -l)"

step "address it: both sessions LOGGED_IN, no command typed"
t0=$(date +%s%N)
lab_nic_up "$dev" 121
wait_for 120 "2 sessions LOGGED_IN via $IF" ictl_via_is "$IF" 2
echo "address -> 2 sessions LOGGED_IN: $((($(date +%s%N) - t0) / 1000000)) ms"
ictl_sessions
ictl_no_duplicates
ictl_dlog_has "action=login target=$IQN portal=$P1:3260 iface=$IF"
ictl_dlog_has "result=ok"
[ -n "$(ictl_records_of "$IF")" ] || fail "no records of $IF"
ictl_daemon_alive

step "device_del: sessions gone, records cleaned"
lab_pci_nic_del hot7 "$MAC"
wait_for 120 "no session via $IF" ictl_none_via "$IF"
wait_for 30 "records of $IF deleted" ictl_no_records "$IF"
ictl_dlog_has "event=net-remove nic="
ictl_dlog_has "action=logout"
iscsiadm -m session 2>/dev/null | grep -q "$IF" && fail "iscsid still lists a session of $IF"
iscsiadm -m node 2>/dev/null | grep -q "$IF" && fail "iscsid still lists a node of $IF"
ictl_daemon_alive
ictl_daemon_stop
grep -E 'event=(start|net-|config|reconcile|stop)|action=|note=' "$DLOG" | sed 's/^/    | /'
true
