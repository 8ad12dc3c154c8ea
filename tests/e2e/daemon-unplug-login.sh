# lab-timeout: 300
# The event daemon (issue 7): a NIC unplugged (QMP device_del) while the daemon's login
# through it is in progress (the iscsiadm spy holds the login back until the NIC is gone): the login fails, the pass is retried with backoff; once the NIC is
# back (device_add, address) the daemon converges: one session, LOGGED_IN, no duplicate.
. "$LAB_REPO/tests/e2e/lib/ictl.sh"
P1=${LAB_PORTAL_IPS[0]}
IQN=$LAB_IQN_PREFIX:unplug
MAC=52:54:00:0c:00:08
IF=$(ictl_iface_of_mac "$MAC")
lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
cat >"$CONF" <<JSON
{"version": 1, "conn_defaults": {"timeo": {"login_timeout": 5}},
 "targets": [{"name": "$IQN", "tpgt": 1, "portal": {"address": "$P1"}, "sessions": [{"iface": "$MAC"}]}]}
JSON
cat >"$ICTL_DIR/iscsiadm-slow" <<-'SPY'
#!/bin/sh
echo "$*" >>/tmp/ictl/spy.log
# A login waits while /tmp/ictl/slow exists (at most 60 s): it is in progress during the unplug.
case "$*" in *--login*) i=0; while [ -e /tmp/ictl/slow ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done ;; esac
exec iscsiadm "$@"
SPY
chmod 755 "$ICTL_DIR/iscsiadm-slow"
: >"$ICTL_DIR/spy.log"
touch /tmp/ictl/slow
ictl_daemon_start --iscsiadm "$ICTL_DIR/iscsiadm-slow"

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
