# lab-timeout: 300
# The event daemon (issue 7): a NIC unplugged (QMP device_del) while the daemon's login
# through it is in progress (the iscsiadm spy holds the login back until the NIC is gone): the login fails, the pass is retried with backoff; once the NIC is
# back (device_add, address) the daemon converges: one session, LOGGED_IN, no duplicate.
IQN=$LAB_IQN_PREFIX:unplug
MAC=52:54:00:0c:00:08
IF=$(ictl_iface_of_mac "$MAC")
lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
# One login attempt (not iscsictl's default 8): the login that loses its NIC fails in
# seconds, not in 40.
cfg_begin '"session_defaults": {"initial_login_retry_max": 1}' "$CFG_LOGIN5"
cfg_target "$IQN" "$P1" "$MAC"
cfg_write
# A login waits while /tmp/ictl/slow exists: it is in progress during the unplug.
SLOW=$(ictl_spy --login-hold /tmp/ictl/slow)
touch /tmp/ictl/slow
ictl_daemon_start --iscsiadm "$SLOW"

step "hot-add, address: the login starts; unplug during it"
dev=$(lab_pci_nic_add hot8 "$MAC" rp6)
lab_nic_up "$dev" 191
wait_for 60 "a login started" grep -q -- --login "$ICTL_DIR/spy.log"
lab_pci_nic_del hot8 "$MAC"
rm -f /tmp/ictl/slow
wait_for 60 "the failed login logged" grep -q "action=login .*result=failed" "$DLOG"
grep -E 'action=login|event=retry|event=net-remove' "$DLOG" | sed 's/^/    | /'
ictl_daemon_alive

step "the NIC returns: converges"
dev=$(lab_pci_nic_add hot8 "$MAC" rp6)
lab_nic_up "$dev" 191
wait_for 120 "session via $IF" ictl_via_is "$IF" 1
wait_for 30 "settled" ictl_quiet
ictl_sessions
ictl_no_duplicates
assert_eq "sessions" 1 "$(ictl_sessions | wc -l)"
ictl_daemon_alive
ictl_daemon_stop
lab_pci_nic_del hot8 "$MAC"
true
