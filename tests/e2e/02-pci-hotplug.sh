# PCI hotplug smoke test: device_add of an e1000e over QMP -> the guest's udev sees the
# new netdev; device_del -> it is gone.
MAC=52:54:00:0c:00:01
mon=/tmp/udev-monitor.log
udevadm monitor --udev --subsystem-match=net >"$mon" 2>&1 &
monpid=$!
trap 'kill $monpid 2>/dev/null' EXIT
sleep 0.5

step "device_add e1000e ($MAC) on rp4"
dev=$(lab_pci_nic_add hot0 "$MAC" rp4)
echo "netdev: $dev"
[ -n "$dev" ] || fail "no netdev"
udevadm settle
wait_for 10 "udev add event for $dev" grep -q "add .*/net/$dev (net)" "$mon"
udevadm info -q property -p "/sys/class/net/$dev" | grep -q '^ID_NET_DRIVER=e1000e' ||
	fail "udev does not know $dev as an e1000e"
pci=$(basename "$(readlink -f "/sys/class/net/$dev/device")")
echo "pci: $pci"
lspci -s "$pci" | grep -qi 'ethernet' || fail "lspci does not show $pci"

step "device_del"
lab_pci_nic_del hot0 "$MAC"
wait_for 10 "udev remove event for $dev" grep -q "remove .*/net/$dev (net)" "$mon"
[ ! -e "/sys/class/net/$dev" ] || fail "$dev still present"
lspci -s "$pci" | grep -q . && fail "$pci still on the bus"
true
