# lab-timeout: 300
# The event daemon (issue 7) with a NIC rule: every NIC named ve* with an address in the
# lab subnet gets a session. veth NICs are added (with and without an address) and removed;
# only the matching ones get sessions, a removed one's session and records go, the other
# session stays untouched (same sid).
IQN=$LAB_IQN_PREFIX:rule
MAC1=02:00:00:00:07:01
MAC2=02:00:00:00:07:02
MAC3=02:00:00:00:07:03
IF1=$(ictl_iface_of_mac "$MAC1")
IF2=$(ictl_iface_of_mac "$MAC2")
IF3=$(ictl_iface_of_mac "$MAC3")
lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
cfg_begin "$CFG_LOGIN5"
cfg_target "$IQN" "$P1" "{\"iface\": {\"match\": {\"subnet\": \"$LAB_SUBNET_PREFIX.0/24\", \"name\": \"ve*\"}}}"
cfg_write
ictl_daemon_start

step "veth ve1 in the subnet: its session"
lab_veth_add ve1 "$MAC1" 131
wait_for 90 "session via $IF1" ictl_via_is "$IF1" 1
SID1=$(ictl_sid "$IF1")

step "veth ve2 in the subnet: a second session, the first untouched"
lab_veth_add ve2 "$MAC2" 132
wait_for 90 "session via $IF2" ictl_via_is "$IF2" 1
assert_eq "ve1's sid" "$SID1" "$(ictl_sid "$IF1")"

step "veth ve3 outside the subnet: no session"
ip link add ve3 address "$MAC3" type veth peer name ve3-t
ip addr add 192.0.2.33/24 dev ve3
ip link set ve3 up
sleep 3
assert_eq "sessions via $IF3" 0 "$(ictl_sessions | grep -c " $IF3 " || true)"

step "remove ve1: its session and records go, ve2's stays"
SID2=$(ictl_sid "$IF2")
lab_veth_del ve1
wait_for 90 "no session via $IF1" ictl_none_via "$IF1"
wait_for 30 "records of $IF1 deleted" ictl_no_records "$IF1"
assert_eq "ve2's sid" "$SID2" "$(ictl_sid "$IF2")"
ictl_sessions
ictl_no_duplicates
ictl_daemon_alive
ictl_daemon_stop
true
