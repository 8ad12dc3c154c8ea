# kmod/upstream (issue 17): the series' transport modules (scsi_transport_iscsi, libiscsi,
# libiscsi_tcp, iscsi_tcp built by kmod/upstream/build.sh for this kernel) replace the
# stock ones; then every iscsi_tcp connection has local_netdev, local_hwaddress and
# local_ipaddr in sysfs, without iscsi_iface_attrs: the bound NIC (or the routed one for an
# unbound session), its MAC, the host's ipaddress; a rename shows at once. The stock
# modules are put back at the end.
# lab-kernels: upstream (make e2e-upstream: 6.12, after kmod/upstream/build.sh)
# lab-timeout: 420
UP=$LAB_REPO/build/upstream-modules/$(uname -r)
BIN=$LAB_REPO/build/iscsictl
[ -f "$UP/iscsi_tcp.ko" ] || fail "$UP/iscsi_tcp.ko not built (kmod/upstream/build.sh)"
IQN=$LAB_IQN_PREFIX:upstream
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
STACK="iscsi_tcp libiscsi_tcp libiscsi scsi_transport_iscsi"

# iscsid's NETLINK_ISCSI socket holds scsi_transport_iscsi: stopped while the stack changes.
# (set -e holds in the exit trap too: nothing here may end the scenario with its status;
# iscsiadm -U all says 21 when no record is logged in)
restore() {
	iscsiadm -m node -U all >/dev/null 2>&1 || true
	lab_iscsid_stop || true
	for m in $STACK; do rmmod "$m" 2>/dev/null || true; done
	modprobe iscsi_tcp || true
	lab_iscsid_start || true
}
trap restore EXIT

step "stock transport modules out, the series' in"
lab_iscsid_stop || fail "iscsid did not stop"
for m in $STACK; do rmmod "$m" || fail "rmmod $m"; done
for m in scsi_transport_iscsi libiscsi libiscsi_tcp iscsi_tcp; do
	insmod "$UP/$m.ko" || fail "insmod $m"
done
lab_iscsid_start || fail "iscsid did not start"

step "2 bound sessions (veth, e1000e) and 1 unbound"
lab_target_create --luns 0 --portal "$P1:3260" --portal "$P2:3260" "$IQN"
lab_veth_add ve0 02:00:00:00:0f:00 101
e0=$(lab_e1000e_up 0 103)
lab_wait_carrier "$e0"
lab_iface_bind if-ve0 ve0
lab_iface_bind "if-$e0" "$e0"
lab_node_new "$IQN" "$P1:3260" if-ve0
lab_node_new "$IQN" "$P1:3260" "if-$e0"
ip route replace "$P2/32" dev ve0 src "${LAB_SUBNET_PREFIX:-10.33.0}.101"
lab_node_new "$IQN" "$P2:3260" default
lab_login_all
assert_eq "sessions LOGGED_IN" 3 "$(lab_sessions_logged_in)"
grep -q '^iscsi_iface_attrs ' /proc/modules && fail "iscsi_iface_attrs is loaded"

step "local_netdev / local_hwaddress / local_ipaddr of every connection"
for c in /sys/class/iscsi_connection/connection*; do
	sid=${c##*connection}
	sid=${sid%%:*}
	ifn=$(cat "/sys/class/iscsi_session/session$sid/ifacename")
	case "$ifn" in
	default) want=ve0 ;;
	*) want=${ifn#if-} ;;
	esac
	h=/sys/class/iscsi_host/$(basename "$(dirname "$(readlink -f "/sys/class/iscsi_session/session$sid/device")")")
	assert_eq "connection$sid:0 local_netdev" "$want" "$(cat "$c/local_netdev")"
	assert_eq "connection$sid:0 local_hwaddress" "$(cat "/sys/class/net/$want/address")" "$(cat "$c/local_hwaddress")"
	assert_eq "connection$sid:0 local_ipaddr" "$(cat "$h/ipaddress")" "$(cat "$c/local_ipaddr")"
	echo "connection$sid:0 ($ifn): $(cat "$c/local_netdev") $(cat "$c/local_hwaddress") $(cat "$c/local_ipaddr")"
done

step "iscsictl status takes the NIC of every connection from the kernel, without the module"
"$BIN" status --json --no-config >/tmp/upstream-status.json || fail "status --json failed"
assert_eq "module in status" "not loaded" "$(jq -r .module_note /tmp/upstream-status.json)"
assert_eq "iface record, NIC, source of every session" \
	"$(printf '%s\n' "default ve0 kernel" "if-$e0 $e0 kernel" "if-ve0 ve0 kernel" | sort | tr '\n' ,)" \
	"$(jq -r '.targets[].portals[].sessions[] | "\(.iface_record) \(.nic.netdev) \(.nic.source)"' \
		/tmp/upstream-status.json | sort | tr '\n' ,)"
assert_eq "MAC of ve0's sessions" "$(cat /sys/class/net/ve0/address) $(cat /sys/class/net/ve0/address)" \
	"$(jq -r '[.targets[].portals[].sessions[] | select(.nic.netdev == "ve0") | .nic.mac] | join(" ")' \
		/tmp/upstream-status.json)"

step "a rename shows at once"
ip link set ve0 down
ip link set ve0 name vrn0
ip link set vrn0 up
for c in /sys/class/iscsi_connection/connection*; do
	sid=${c##*connection}
	sid=${sid%%:*}
	[ "$(cat "/sys/class/iscsi_session/session$sid/ifacename")" = if-ve0 ] || continue
	assert_eq "connection$sid:0 local_netdev after the rename" vrn0 "$(cat "$c/local_netdev")"
done
ip link set vrn0 down
ip link set vrn0 name ve0
ip link set ve0 up
