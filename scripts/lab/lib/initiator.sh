# open-iscsi initiator helpers (plain iscsiadm; the control plane has its own tests).

# lab_iface_bind NAME NETDEV: an iface record bound to NETDEV (iface.net_ifacename).
lab_iface_bind() {
	iscsiadm -m iface -I "$1" -o new >/dev/null || return 1
	iscsiadm -m iface -I "$1" -o update -n iface.net_ifacename -v "$2" >/dev/null
}

# lab_discover PORTAL IFACE...: SendTargets through each iface (creates node records).
lab_discover() {
	local portal=$1 args=() i
	shift
	for i in "$@"; do args+=(-I "$i"); done
	iscsiadm -m discovery -t st -p "$portal" "${args[@]}" >/dev/null
}

# lab_node_new IQN PORTAL IFACE: one node record without discovery. The portal carries
# ",1" (the TPGT): without it, `-o new -I X` overwrites the record of another iface.
lab_node_new() {
	iscsiadm -m node -T "$1" -p "$2,1" -I "$3" -o new >/dev/null
}

lab_login_all() { iscsiadm -m node -L all >/dev/null; }

# (No process in these two: wait_for polls them.)
lab_session_count() {
	local n=0 s
	for s in /sys/class/iscsi_session/session*; do [ -e "$s" ] && n=$((n + 1)); done
	echo "$n"
}

# lab_sessions_logged_in: the number of sessions in state LOGGED_IN.
lab_sessions_logged_in() {
	local n=0 s st
	for s in /sys/class/iscsi_session/session*; do
		st=
		read -r st 2>/dev/null <"$s/state" || :
		[ "$st" = LOGGED_IN ] && n=$((n + 1))
	done
	echo "$n"
}

# lab_wait_disks N [SECS]: wait until N iSCSI-backed sd disks have device nodes.
lab_wait_disks() {
	local want=$1 i n
	for i in $(seq $((${2:-20} * 10))); do
		udevadm settle --timeout=5 || : # a wait of its own: keep polling
		n=$(lab_iscsi_disks | wc -l)
		[ "$n" -ge "$want" ] && return 0
		lab_nap 0.1
	done
	echo "lab: $n of $want iSCSI disks appeared" >&2
	return 1
}

# lab_iscsi_disks: /dev/sdX of every disk behind an iSCSI session, with its session.
lab_iscsi_disks() {
	local b dev name sid
	for b in /sys/block/sd*; do
		[ -e "$b" ] || continue
		dev=$(readlink -f "$b/device") # the only process per disk (each costs ~50 ms under TCG)
		case "$dev" in */session[0-9]*) ;; *) continue ;; esac
		name=${b##*/}
		sid=${dev#*/session}
		sid=${sid%%/*}
		[ -b "/dev/$name" ] && echo "/dev/$name session$sid"
	done
}

# lab_initiator_reset: no session, no record. Only what is there is undone: an iscsiadm
# costs ~0.3 s under TCG, and most scenarios leave no session behind.
lab_initiator_reset() {
	if compgen -G '/sys/class/iscsi_session/session*' >/dev/null; then
		iscsiadm -m node -U all >/dev/null 2>&1
		iscsiadm -m session -u >/dev/null 2>&1
		udevadm settle --timeout=10
	fi
	if compgen -G '/etc/iscsi/nodes/*' >/dev/null; then
		iscsiadm -m node -o delete >/dev/null 2>&1
	fi
	if compgen -G '/etc/iscsi/send_targets/*' >/dev/null; then
		iscsiadm -m discoverydb -o delete -t st >/dev/null 2>&1
	fi
	if compgen -G '/etc/iscsi/nodes/*' >/dev/null || compgen -G '/etc/iscsi/send_targets/*' >/dev/null ||
		compgen -G '/etc/iscsi/ifaces/*' >/dev/null; then
		rm -rf /etc/iscsi/nodes/* /etc/iscsi/send_targets/* /etc/iscsi/ifaces/*
	fi
	return 0
}

# lab_iscsid_stop / lab_iscsid_start: stop and restart the guest's iscsid (as setup does).
lab_iscsid_stop() {
	local pid
	pid=$(cat /run/lab-iscsid.pid 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	# Not `kill -0`: iscsid's parent (the setup shell) is gone, so it may linger as a zombie.
	local i
	for i in $(seq 100); do
		case "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" in "" | Z) return 0 ;; esac
		lab_nap 0.1
	done
	return 1
}
lab_iscsid_start() {
	setsid iscsid -f -d 1 >>/lab-out/iscsid.log 2>&1 &
	echo $! >/run/lab-iscsid.pid
	local i
	for i in $(seq 50); do
		iscsiadm -m session >/dev/null 2>&1
		[ $? -ne 20 ] && return 0 # 20 = cannot connect to iscsid
		lab_nap 0.1
	done
	return 1
}
