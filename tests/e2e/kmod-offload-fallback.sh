# kmod (issue 4): the path offload transports (qla4xxx, be2iscsi, bnx2i, cxgb*i, qedi) take,
# which has no socket, exercised with iscsi_tcp through the test hook force_host_fallback:
# iface / iface_hwaddress then equal what the host driver reports in the host's own
# netdev / hwaddress files (MAC normalised to lowercase-colon, unparseable -> empty).
# Switching the hook off again gives the socket's device back at once.
IQN=$LAB_IQN_PREFIX:kmodoffload

lab_target_create --luns 0 --portal "$P1:3260" "$IQN"
topo_veths 1
lab_iface_bind if-ve0 ve0
lab_discover "$P1" if-ve0
lab_node_new "$IQN" "$P1:3260" default
lab_login_all
assert_eq "sessions LOGGED_IN" 2 "$(lab_sessions_logged_in)"

norm_mac() {
	local m
	m=$(echo "$1" | tr 'A-F' 'a-f' | tr -d ':.-')
	if [[ $m =~ ^[0-9a-f]{12}$ ]]; then
		echo "$m" | sed 's/../&:/g; s/:$//'
	fi
}

kmod_load force_host_fallback=1
for sid in $(kmod_sids); do
	c=$(kmod_conn_of "$sid")
	h=$(kmod_host_of "$sid")
	hn=$(cat "$h/netdev")
	hw=$(cat "$h/hwaddress")
	echo "session $sid: host reports netdev [$hn] hwaddress [$hw]"
	assert_eq "connection$sid:0 iface (fallback)" "${hn:0:15}" "$(cat "$c/iface")"
	assert_eq "connection$sid:0 iface_hwaddress (fallback)" "$(norm_mac "$hw")" "$(cat "$c/iface_hwaddress")"
	assert_eq "$(basename "$h") hba_hwaddress (fallback)" "$(norm_mac "$hw")" "$(cat "$h/hba_hwaddress")"
	assert_eq "$(basename "$h") hba_pci_slot (fallback, no PCI parent)" "" "$(cat "$h/hba_pci_slot")"
	assert_eq "$(basename "$h") hba_serial (fallback, no PCI parent)" "" "$(cat "$h/hba_serial")"
done

step "hook off: the socket's device again"
echo 0 >"/sys/module/$KMOD/parameters/force_host_fallback"
for sid in $(kmod_sids); do
	ifn=$(cat "/sys/class/iscsi_session/session$sid/ifacename")
	if [ "$ifn" = default ]; then
		exp=$(kmod_route_dev "$P1")
	else
		exp=${ifn#if-}
	fi
	assert_eq "connection$sid:0 iface" "$exp" "$(cat "$(kmod_conn_of "$sid")/iface")"
done
iscsiadm -m node -U all >/dev/null
kmod_unload
