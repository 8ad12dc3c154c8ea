# Network of the lab. Everything stays inside the VM.
#
# Target side: network namespace "tgt" with bridge br0 carrying the portal addresses
# (LAB_PORTAL_IPS, EqualLogic style: one subnet, every initiator NIC on it) and the
# target-side e1000e NIC (MAC LAB_TARGET_MAC, on qemu hub 0 with every e1000e NIC).
# Initiator side (init netns): veth NICs whose peers join br0, and e1000e NICs.

LAB_NETNS=tgt
LAB_NETNS_PATH=/run/netns/$LAB_NETNS
LAB_SUBNET_PREFIX=10.33.0
LAB_PORTAL_IPS=(10.33.0.10 10.33.0.11)
LAB_TARGET_MAC=52:54:00:0a:00:01
# e1000e NICs qemu boots with (see run.sh): MACs of the initiator side.
LAB_E1000E_MACS=(52:54:00:0b:00:01 52:54:00:0b:00:02)

tgt_exec() { nsenter --net="$LAB_NETNS_PATH" "$@"; }

# lab_netdev_by_mac MAC: print the netdev (init netns) with that MAC.
lab_netdev_by_mac() { _lab_netdev_by_mac "$1" && echo "$LAB_NETDEV"; }
# _lab_netdev_by_mac MAC: the same into LAB_NETDEV, without a process.
_lab_netdev_by_mac() {
	local want=${1,,} d a
	for d in /sys/class/net/*; do
		a=
		read -r a 2>/dev/null <"$d/address"
		[ "$a" = "$want" ] && { LAB_NETDEV=${d##*/}; return 0; }
	done
	return 1
}

lab_sysctl_initiator() {
	sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.arp_ignore=1 \
		net.ipv4.conf.default.arp_announce=2 net.ipv4.conf.default.rp_filter=0
}

lab_target_netns_setup() {
	ip netns add "$LAB_NETNS" || return 1
	tgt_exec ip link set lo up
	tgt_exec ip link add br0 type bridge || return 1
	tgt_exec ip link set br0 type bridge forward_delay 0 stp_state 0
	tgt_exec ip link set br0 up
	# Removing the first portal address must not take the others with it.
	tgt_exec sysctl -qw net.ipv4.conf.br0.promote_secondaries=1
	local ip
	for ip in "${LAB_PORTAL_IPS[@]}"; do
		tgt_exec ip addr add "$ip/24" dev br0 || return 1
	done
	local tnic
	tnic=$(lab_netdev_by_mac "$LAB_TARGET_MAC") || { echo "lab: no target e1000e"; return 1; }
	ip link set "$tnic" netns "$LAB_NETNS" || return 1
	tgt_exec ip link set "$tnic" name tnic0
	tgt_exec ip link set tnic0 master br0 up
}

# lab_nic_up NETDEV IP: address NETDEV on the lab subnet (IP = last octet or full).
# (The sysctls are written by the shell and the rest is one `ip -batch`: a process costs
# ~50-150 ms under TCG.)
lab_nic_up() {
	local dev=$1 ip=$2 k v
	case "$ip" in *.*) ;; *) ip=$LAB_SUBNET_PREFIX.$ip ;; esac
	for k in arp_ignore=1 arp_announce=2 rp_filter=0; do
		v=/proc/sys/net/ipv4/conf/$dev/${k%=*}
		[ -w "$v" ] && echo "${k#*=}" >"$v"
	done
	printf 'addr add %s/24 dev %s\nlink set %s up\n' "$ip" "$dev" "$dev" | ip -batch - || return 1
}

# lab_veth_add NAME MAC IP: an initiator NIC NAME whose peer (NAME-t) is on br0.
lab_veth_add() {
	local name=$1 mac=$2 ip=$3
	ip link add "$name" address "$mac" type veth peer name "$name-t" netns "$LAB_NETNS" || return 1
	ip -n "$LAB_NETNS" link set "$name-t" master br0 up || return 1
	lab_nic_up "$name" "$ip"
}

lab_veth_del() { ip link del "$1" 2>/dev/null; }

# lab_e1000e_up IDX IP: address the IDX-th boot-time e1000e NIC; prints its netdev.
lab_e1000e_up() {
	local dev
	dev=$(lab_netdev_by_mac "${LAB_E1000E_MACS[$1]}") || { echo "lab: e1000e #$1 missing" >&2; return 1; }
	lab_nic_up "$dev" "$2" >&2 || return 1
	echo "$dev"
}

# lab_wait_carrier DEV [SECS]: wait until DEV has carrier (e1000e autoneg takes a moment).
lab_wait_carrier() {
	local i c
	for i in $(seq $((${2:-10} * 10))); do
		c=
		read -r c 2>/dev/null <"/sys/class/net/$1/carrier" || :
		[ "$c" = 1 ] && return 0
		lab_nap 0.1
	done
	echo "lab: $1 has no carrier" >&2
	return 1
}

# lab_nics_remember: record the boot-time e1000e names (setup calls it once).
lab_nics_remember() {
	local mac dev
	: >/run/lab-nics
	for mac in "${LAB_E1000E_MACS[@]}"; do
		dev=$(lab_netdev_by_mac "$mac") && echo "$mac $dev" >>/run/lab-nics
	done
}

# lab_nics_reset: drop every veth, strip addresses from the e1000e NICs and give them
# back the names they had at boot; both portal addresses on br0 again. Three processes.
lab_nics_reset() {
	local line name mac dev ip cmds=
	while read -r line; do
		name=${line#*: }
		name=${name%%[@:]*}
		[ -n "$name" ] && cmds+="link del $name"$'\n'
	done <<<"$(ip -o link show type veth)"
	while read -r mac name; do
		_lab_netdev_by_mac "$mac" || continue
		dev=$LAB_NETDEV
		cmds+="addr flush dev $dev"$'\n'"link set $dev down"$'\n'
		[ "$dev" != "$name" ] && cmds+="link set $dev name $name"$'\n'
	done </run/lab-nics
	printf %s "$cmds" | ip -force -batch - 2>/dev/null
	cmds=
	for ip in "${LAB_PORTAL_IPS[@]}"; do cmds+="addr replace $ip/24 dev br0"$'\n'; done
	printf %s "$cmds" | ip -n "$LAB_NETNS" -force -batch - 2>/dev/null
	return 0
}
