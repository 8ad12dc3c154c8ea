# Plain open-iscsi in the lab: 2 NICs x 2 portals -> 4 sessions LOGGED_IN, each bound to
# its NIC by an iface record (iface.net_ifacename), disks visible as /dev/sd* via udev;
# logout leaves no session.
IQN=$LAB_IQN_PREFIX:plain

step "target with portals $P1 and $P2, NICs ve0 and ve1, discovery through both ifaces"
topo_two_path_iscsiadm --luns 1 "$IQN"
assert_eq "node records" 4 "$(iscsiadm -m node | wc -l)"

step "login"
lab_login_all
assert_eq "sessions" 4 "$(lab_session_count)"
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"

step "each session is bound to its NIC and its socket leaves from that NIC's address"
declare -A nic_ip=([if-ve0]=10.33.0.101 [if-ve1]=10.33.0.102)
declare -A seen=()
for s in /sys/class/iscsi_session/session*; do
	sid=${s##*session}
	iface=$(cat "$s/ifacename")
	portal=$(cat /sys/class/iscsi_connection/connection"$sid":0/persistent_address)
	port=$(cat /sys/class/iscsi_connection/connection"$sid":0/persistent_port)
	[ -n "${nic_ip[$iface]:-}" ] || fail "session $sid has iface '$iface'"
	host=$(basename "$(dirname "$(readlink -f "$s/device")")")
	lport=$(ss -Htn state established "dst $portal:$port" "src ${nic_ip[$iface]}" | wc -l)
	[ "$lport" -ge 1 ] || fail "session $sid ($iface -> $portal): no TCP connection from ${nic_ip[$iface]}"
	seen[$iface,$portal]=1
	echo "session $sid: $iface -> $portal:$port ($host)"
done
assert_eq "distinct (iface, portal) pairs" 4 "${#seen[@]}"

step "disks via udev"
lab_wait_disks 4
lab_iscsi_disks
for d in $(lab_iscsi_disks | cut -d' ' -f1); do
	dd if="$d" of=/dev/null bs=64k count=4 status=none || fail "read from $d"
	udevadm info -q property -n "$d" | grep -q '^ID_PATH=.*iscsi' || fail "$d has no iSCSI ID_PATH from udev"
done

step "logout leaves no session and no disk"
iscsiadm -m node -U all >/dev/null
assert_eq "sessions after logout" 0 "$(lab_session_count)"
udevadm settle
assert_eq "iSCSI disks after logout" 0 "$(lab_iscsi_disks | wc -l)"
