# kmod (issue 4): once a connection's or host's attributes exist the module emits a
# "change" uevent on it; udevd sees it and a rule can read the attributes (here a test
# rule logging the connection's iface), both for sessions up at load and for new ones.
IQN=$LAB_IQN_PREFIX:kmoduevent
rules=/run/udev/rules.d/99-kmod-uevent-test.rules
log=/run/kmod-uevent.log
mon=/tmp/kmod-udevadm-monitor.log

topo_two_path_iscsiadm --luns 1 "$IQN"

mkdir -p /run/udev/rules.d
rm -f "$log"
cat >"$rules" <<RULES
ACTION=="change", SUBSYSTEM=="iscsi_connection", TEST=="iface", RUN+="/bin/sh -c 'echo conn %k [\$attr{iface}] >>$log'"
ACTION=="change", SUBSYSTEM=="iscsi_host", TEST=="hba_hwaddress", RUN+="/bin/sh -c 'echo host %k [\$attr{hba_hwaddress}] >>$log'"
RULES
udevadm control --reload
cleanup_rules() { rm -f "$rules"; udevadm control --reload; }
trap 'cleanup_rules; kill $monpid 2>/dev/null' EXIT

udevadm monitor --udev --subsystem-match=iscsi_connection --subsystem-match=iscsi_host >"$mon" 2>&1 &
monpid=$!
sleep 1

step "load with one session up: change on its connection and host"
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve0 -l >/dev/null || fail "login if-ve0"
sid0=$(kmod_sids | head -n1)
host0=$(basename "$(kmod_host_of "$sid0")")
kmod_load
udevadm settle --timeout=10
wait_for 10 "udev rule ran for connection$sid0:0" grep -q "^conn connection$sid0:0 \[ve0\]" "$log"
wait_for 10 "udev rule ran for $host0" grep -q "^host $host0 \[${TOPO_MACS[0]}\]" "$log"

step "new session with the module loaded: change on the new connection and host"
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve1 -l >/dev/null || fail "login if-ve1"
sid1=$(kmod_sids | grep -vx "$sid0" | head -n1)
host1=$(basename "$(kmod_host_of "$sid1")")
udevadm settle --timeout=10
# The connection is created before its socket is bound: the rule runs, iface still empty.
wait_for 10 "udev rule ran for connection$sid1:0" grep -q "^conn connection$sid1:0 " "$log"
wait_for 10 "udev rule ran for $host1" grep -q "^host $host1 " "$log"
wait_for 10 "udevadm monitor saw the change on connection$sid1:0" \
	grep -q "change .*/iscsi_connection/connection$sid1:0 (iscsi_connection)" "$mon"
cat "$log"
grep -E '^UDEV' "$mon"

iscsiadm -m node -U all >/dev/null
kmod_unload
