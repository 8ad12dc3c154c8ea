#!/bin/bash
# `make demo`: in the lab, an EqualLogic-style array (one target per volume, two portals)
# and a host with two e1000e NICs; one session per NIC per portal, then the session table.
set -eu
. "$LAB_REPO/scripts/lab/lib/lab.sh"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}

echo "== array: 2 volumes (targets), portals $P1:3260 and $P2:3260"
lab_targets_create 2 1 --size 32 --portal "$P1:3260" --portal "$P2:3260"
echo "== host: e1000e NICs"
nics=()
for i in 0 1; do
	dev=$(lab_e1000e_up "$i" $((111 + i)))
	lab_wait_carrier "$dev"
	lab_iface_bind "nic$i" "$dev"
	nics+=("nic$i")
	printf '   %-8s %s  10.33.0.%d\n' "$dev" "$(cat "/sys/class/net/$dev/address")" $((111 + i))
done
echo "== discovery and login through each NIC (plain iscsiadm)"
lab_discover "$P1" "${nics[@]}"
t0=$(date +%s.%N)
lab_login_all || true
lab_wait_disks 8 30 || true
printf '   %s sessions logged in (%.1fs)\n' "$(lab_sessions_logged_in)" \
	"$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN{print e-s}')"

echo "== sessions"
printf '%-4s %-26s %-16s %-8s %-17s %-10s %s\n' SID TARGET PORTAL NIC MAC STATE DISK
for s in /sys/class/iscsi_session/session*; do
	sid=${s##*session}
	c=/sys/class/iscsi_connection/connection$sid:0
	iface=$(cat "$s/ifacename")
	dev=$(iscsiadm -m iface -I "$iface" 2>/dev/null | sed -n 's/^iface.net_ifacename = //p')
	disk=$(lab_iscsi_disks | awk -v s="session$sid" '$2 == s {print $1}' | paste -sd, -)
	printf '%-4s %-26s %-16s %-8s %-17s %-10s %s\n' "$sid" "$(cat "$s/targetname")" \
		"$(cat "$c/persistent_address"):$(cat "$c/persistent_port")" "$dev" \
		"$(cat "/sys/class/net/$dev/address" 2>/dev/null)" "$(cat "$s/state")" "${disk:--}"
done

echo
echo "== iscsictl status (kernel module loaded: the NIC of every connection comes from its socket)"
insmod "$LAB_REPO/kmod/iscsi_iface_attrs.ko"
"$LAB_REPO/build/iscsictl" status || true
echo
echo "== iscsictl nics"
"$LAB_REPO/build/iscsictl" nics || true
[ "$(lab_sessions_logged_in)" -eq 8 ]
