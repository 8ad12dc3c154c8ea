# The module in the e2e scenarios (part of tests/e2e/lib/e2e.sh): load/unload, the sysfs
# of sessions, connections and hosts, a reader that keeps reading every attribute.
KMOD=iscsi_iface_attrs
# KMOD_KO may name another build of the module (a deliberately broken one, to see a test
# fail). By default the build for the running kernel: `make kmod` keeps each kernel's build
# in build/kmod/<kernel release>/ (one run boots several kernels).
KMOD_KO=${KMOD_KO:-$LAB_REPO/build/kmod/$(uname -r)/$KMOD.ko}
KMOD_COUNTERS=/sys/kernel/debug/$KMOD/counters

kmod_load() {
	[ -f "$KMOD_KO" ] || fail "$KMOD_KO not built (make kmod LAB_KERNEL=...)"
	[ "$(modinfo -F vermagic "$KMOD_KO" | cut -d' ' -f1)" = "$(uname -r)" ] ||
		fail "$KMOD_KO is built for $(modinfo -F vermagic "$KMOD_KO" | cut -d' ' -f1), the lab runs $(uname -r)"
	insmod "$KMOD_KO" "$@" || fail "insmod $KMOD failed"
}
kmod_unload() { rmmod "$KMOD" || fail "rmmod $KMOD failed"; }
kmod_loaded() { grep -q "^$KMOD " /proc/modules; }
kmod_refcnt() { local n; read -r n <"/sys/module/$KMOD/refcnt" && echo "$n"; }

# kmod_sids: session ids of every session.
kmod_sids() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] && echo "${s##*session}"
	done
}

# kmod_host_of SID: the iscsi_host directory of a session (the session's device sits in
# its host's directory).
kmod_host_of() {
	(cd -P "/sys/class/iscsi_session/session$1/device/.." 2>/dev/null && echo "/sys/class/iscsi_host/${PWD##*/}")
}

kmod_conn_of() { echo "/sys/class/iscsi_connection/connection$1:0"; }

# kmod_route_dev IP: the device the kernel routes IP through (what an unbound socket uses).
kmod_route_dev() { ip route get "$1" | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1; }

# kmod_lspci_dsn SLOT: lspci's Device Serial Number of a PCI function (empty if none).
kmod_lspci_dsn() { lspci -vv -s "$1" 2>/dev/null | sed -n 's/.*Device Serial Number \([0-9a-fA-F-]*\).*/\1/p' | tr 'A-F' 'a-f'; }
declare -A KMOD_DSN_OF=() # slot -> DSN, lspci asked once per slot (it costs ~1 s under TCG)

# kmod_pci_slot NETDEV: PCI address of a netdev's function (empty for virtual NICs).
kmod_pci_slot() {
	[ -e "/sys/class/net/$1/device" ] || return 0
	case "$(readlink -f "/sys/class/net/$1/device/subsystem")" in
	*/bus/pci) basename "$(readlink -f "/sys/class/net/$1/device")" ;;
	esac
}

# kmod_check_session SID NETDEV: the session's connection and host show NETDEV's
# name, MAC, and (for a PCI NIC) its DSN and slot; a virtual NIC shows empty ones.
kmod_check_session() {
	local sid=$1 dev=$2 c h mac slot dsn hn v
	c=/sys/class/iscsi_connection/connection$sid:0
	h=$(kmod_host_of "$sid")
	hn=${h##*/}
	IFS= read -r mac <"/sys/class/net/$dev/address"
	v=; IFS= read -r v <"$c/iface" || :
	assert_eq "connection$sid:0 iface" "$dev" "$v"
	v=; IFS= read -r v <"$c/iface_hwaddress" || :
	assert_eq "connection$sid:0 iface_hwaddress" "$mac" "$v"
	v=; IFS= read -r v <"$h/hba_hwaddress" || :
	assert_eq "$hn hba_hwaddress" "$mac" "$v"
	slot=$(kmod_pci_slot "$dev")
	v=; IFS= read -r v <"$h/hba_pci_slot" || :
	assert_eq "$hn hba_pci_slot" "$slot" "$v"
	dsn=
	if [ -n "$slot" ]; then
		[ -n "${KMOD_DSN_OF[$slot]+set}" ] || KMOD_DSN_OF[$slot]=$(kmod_lspci_dsn "$slot")
		dsn=${KMOD_DSN_OF[$slot]}
	fi
	v=; IFS= read -r v <"$h/hba_serial" || :
	assert_eq "$hn hba_serial" "$dsn" "$v"
	echo "session $sid: iface=$dev mac=$mac slot=${slot:--} serial=${dsn:--}"
}

# kmod_read_all: read every attribute of the module once, with shell builtins (no fork
# per file); errors are ignored: objects come and go under churn.
kmod_read_all() {
	local f x
	for f in /sys/class/iscsi_connection/*/iface /sys/class/iscsi_connection/*/iface_hwaddress \
		/sys/class/iscsi_host/*/hba_hwaddress /sys/class/iscsi_host/*/hba_serial \
		/sys/class/iscsi_host/*/hba_pci_slot; do
		read -r x 2>/dev/null <"$f" || :
	done
	return 0
}

# kmod_reader_start FILE: read every attribute in a tight loop in the background; the
# number of completed rounds lands in FILE when kmod_reader_stop FILE stops it (and prints it).
# The reader runs at nice 10: it still has a vCPU to itself whenever the other work lets
# it, but login/logout (iscsiadm, iscsid) is not starved on the lab's 2 TCG vCPUs.
kmod_reader_start() {
	local kmod_rounds_file=$1
	(
		renice -n 10 -p "$BASHPID" >/dev/null
		n=0
		trap 'echo $n >"$kmod_rounds_file"; exit 0' TERM
		while :; do
			kmod_read_all
			n=$((n + 1))
		done
	) &
	KMOD_READER=$!
}
kmod_reader_stop() {
	kill -TERM "$KMOD_READER" 2>/dev/null
	wait "$KMOD_READER" 2>/dev/null
	cat "$1" 2>/dev/null || echo 0
}

# kmod_logged_in N: true when exactly N sessions are LOGGED_IN (a predicate for wait_for).
kmod_logged_in() { [ "$(lab_sessions_logged_in)" -eq "$1" ]; }

# kmod_counters_check: with nothing reading the module, every reference it took is
# released and it holds exactly one tracking object per host, session and connection.
kmod_counters_check() {
	local name taken released objs want
	[ -r "$KMOD_COUNTERS" ] || fail "no $KMOD_COUNTERS (debugfs)"
	cat "$KMOD_COUNTERS"
	want=$(($(ls -d /sys/class/iscsi_host/host* 2>/dev/null | wc -l) +
		$(ls -d /sys/class/iscsi_session/session* 2>/dev/null | wc -l) +
		$(ls -d /sys/class/iscsi_connection/connection* 2>/dev/null | wc -l)))
	while read -r name taken released; do
		case "$name" in
		objects) assert_eq "tracking objects held" "$want" "$((taken - released))" ;;
		pages) assert_eq "pages held (the scan page)" 1 "$((taken - released))" ;;
		*) assert_eq "$name taken vs released" "$taken" "$released" ;;
		esac
		[ "$taken" -gt 0 ] || [ "$name" != objects ] || fail "no tracking object was ever counted"
	done <"$KMOD_COUNTERS"
}
