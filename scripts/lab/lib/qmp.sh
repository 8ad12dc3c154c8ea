# QMP from inside the guest. run.sh starts qemu with its QMP monitor on a unix socket
# and a virtio-serial port (lab.qmp) whose chardev connects to that same socket, so
# the guest talks to its own qemu: real PCI hotplug driven by the scenario itself.

LAB_QMP_PORT=/dev/virtio-ports/lab.qmp

_qmp_dev() {
	[ -e "$LAB_QMP_PORT" ] && { echo "$LAB_QMP_PORT"; return 0; }
	local p
	for p in /sys/class/virtio-ports/*; do
		[ "$(cat "$p/name" 2>/dev/null)" = lab.qmp ] && { echo "/dev/$(basename "$p")"; return 0; }
	done
	return 1
}

# _qmp_read FD: print the next reply line (skipping events and the greeting).
_qmp_read() {
	local fd=$1 line
	while IFS= read -r -t 20 line <&"$fd"; do
		case "$line" in
		*'"return"'* | *'"error"'*) echo "$line"; return 0 ;;
		esac
	done
	echo "qmp: no reply" >&2
	return 1
}

qmp_init() {
	local dev fd
	dev=$(_qmp_dev) || return 1
	exec {fd}<>"$dev" || return 1
	printf '{"execute":"qmp_capabilities"}\n' >&"$fd"
	_qmp_read "$fd" >/dev/null
	local rc=$?
	exec {fd}>&-
	return $rc
}

# qmp COMMAND [ARGUMENTS-JSON]: run one QMP command; prints the reply, fails on "error".
qmp() {
	local dev fd reply
	dev=$(_qmp_dev) || { echo "qmp: no lab.qmp port" >&2; return 1; }
	exec {fd}<>"$dev" || return 1
	if [ -n "${2:-}" ]; then
		printf '{"execute":"%s","arguments":%s}\n' "$1" "$2" >&"$fd"
	else
		printf '{"execute":"%s"}\n' "$1" >&"$fd"
	fi
	reply=$(_qmp_read "$fd")
	exec {fd}>&-
	echo "$reply"
	case "$reply" in *'"return"'*) return 0 ;; esac
	return 1
}

# lab_pci_nic_add ID MAC PORT: hot-add an e1000e on pcie-root-port PORT (rp4..rp7),
# wired to hub 0; waits for its netdev and prints the netdev name.
lab_pci_nic_add() {
	local id=$1 mac=$2 port=$3 i dev
	qmp netdev_add "{\"type\":\"hubport\",\"id\":\"hp-$id\",\"hubid\":0}" >/dev/null || return 1
	qmp device_add "{\"driver\":\"e1000e\",\"id\":\"$id\",\"netdev\":\"hp-$id\",\"mac\":\"$mac\",\"bus\":\"$port\"}" >/dev/null || return 1
	for i in $(seq 300); do
		dev=$(lab_netdev_by_mac "$mac") && { udevadm settle --timeout=10; lab_netdev_by_mac "$mac"; return 0; }
		lab_nap 0.1
	done
	echo "lab: hot-added $id ($mac) never showed a netdev" >&2
	return 1
}

# lab_pci_nic_del ID MAC: hot-remove it; waits until the netdev is gone.
lab_pci_nic_del() {
	local id=$1 mac=$2 i
	qmp device_del "{\"id\":\"$id\"}" >/dev/null || return 1
	for i in $(seq 300); do
		if ! lab_netdev_by_mac "$mac" >/dev/null; then
			qmp netdev_del "{\"id\":\"hp-$id\"}" >/dev/null 2>&1
			return 0
		fi
		lab_nap 0.1
	done
	echo "lab: $id ($mac) still present 30s after device_del" >&2
	return 1
}
