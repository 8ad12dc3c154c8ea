# kmod (issue 4): with 2 veth + 2 e1000e NICs, 2 portals, one iface record per NIC and one
# unbound session, the module loaded while the sessions are up puts on every connection
# the netdev its socket really uses (bound NIC, or `ip route get` for the unbound one) and
# its MAC, and on every host the NIC's MAC, PCI slot and the DSN lspci prints (empty for
# veth). A rename shows at once. Unloaded with the sessions up: attributes gone, sessions
# and I/O unaffected, module refcount 0.
# lab-kernels: all
IQN=$LAB_IQN_PREFIX:kmodattrs

step "target on $P1 and $P2; NICs ve0 ve1 (veth) and two e1000e"
topo_four_nics --luns 1 "$IQN"
e0=$E0
e1=$E1
declare -A dev_of=()
for d in ve0 ve1 "$e0" "$e1"; do
	dev_of[if-$d]=$d
done
lab_discover "$P1" if-ve0 if-ve1 "if-$e0" "if-$e1"
lab_node_new "$IQN" "$P1:3260" default
assert_eq "node records" 9 "$(iscsiadm -m node | wc -l)"

step "login 9 sessions, then load the module"
lab_login_all
assert_eq "sessions LOGGED_IN" 9 "$(lab_sessions_logged_in)"
lab_wait_disks 9
conn_dir=$(kmod_conn_of "$(kmod_sids | head -n1)")
[ ! -e "$conn_dir/iface" ] || fail "iface exists before the module is loaded"
t0=$(date +%s%N)
kmod_load
echo "insmod with 9 sessions: $(( ($(date +%s%N) - t0) / 1000000 )) ms"

step "every connection and host shows its NIC"
for sid in $(kmod_sids); do
	ifn=$(cat "/sys/class/iscsi_session/session$sid/ifacename")
	if [ "$ifn" = default ]; then
		dev=$(kmod_route_dev "$(cat "$(kmod_conn_of "$sid")/persistent_address")")
	else
		dev=${dev_of[$ifn]}
	fi
	[ -n "$dev" ] || fail "session $sid: no expected device for iface '$ifn'"
	echo "session $sid: iface record $ifn"
	kmod_check_session "$sid" "$dev"
done
for d in "$e0" "$e1"; do
	[ -n "$(kmod_lspci_dsn "$(kmod_pci_slot "$d")")" ] || fail "lspci shows no DSN for $d"
done

step "rename ve1 -> vrn1 with its sessions up"
ip link set ve1 down
ip link set ve1 name vrn1
ip link set vrn1 up
for sid in $(kmod_sids); do
	[ "$(cat "/sys/class/iscsi_session/session$sid/ifacename")" = if-ve1 ] || continue
	c=$(kmod_conn_of "$sid")
	assert_eq "connection$sid:0 iface right after the rename" vrn1 "$(cat "$c/iface")"
done
wait_for 30 "9 sessions LOGGED_IN after the rename" kmod_logged_in 9

step "unload with the sessions up"
assert_eq "module refcount" 0 "$(kmod_refcnt)"
t0=$(date +%s%N)
kmod_unload
echo "rmmod with 9 sessions: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
for sid in $(kmod_sids); do
	c=$(kmod_conn_of "$sid")
	h=$(kmod_host_of "$sid")
	for f in "$c/iface" "$c/iface_hwaddress" "$h/hba_serial" "$h/hba_hwaddress" "$h/hba_pci_slot"; do
		if [ -e "$f" ]; then fail "$f still exists after unload"; fi
	done
done
assert_eq "sessions LOGGED_IN after unload" 9 "$(lab_sessions_logged_in)"
for d in $(lab_iscsi_disks | cut -d' ' -f1); do
	dd if="$d" of=/dev/null bs=64k count=16 iflag=direct status=none || fail "read from $d after unload"
done
echo "dd read OK on $(lab_iscsi_disks | wc -l) disks"
