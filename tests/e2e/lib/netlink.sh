# The module's netlink family against sysfs (part of tests/e2e/lib/e2e.sh; the
# kmod-netlink*.sh scenarios). Needs kmod.sh and BIN (ictl.sh).
KMOD_PARAMS=/sys/module/$KMOD/parameters

# nl_session_lines DUMP: one line per session of a `monitor --netlink --dump` output:
# sid|host|target|tpgt|state|ifacename|cid|cstate|addr|port|paddr|pport|lport|iface|ifindex|mac|devs
nl_session_lines() {
	jq -r 'select(.session) | .session as $s | [$s.sid, $s.host_no, $s.target_name, $s.tpgt,
		$s.session_state, $s.iface_name, ($s.conns[0] | .cid, .conn_state, .address, .port,
		.persistent_address, .persistent_port, .local_port, .iface, .ifindex, .iface_hwaddress),
		([$s.devs[]? | .hctl + "=" + (.block // "") + "=" + .state] | join(","))]
		| map(tostring) | join("|")' "$1"
}

# sysfs_session_line SID: the same line from sysfs.
sysfs_session_line() {
	local sid=$1 s c h iface ifindex=null lu devs=() b
	s=/sys/class/iscsi_session/session$sid
	c=$(kmod_conn_of "$sid")
	h=$(basename "$(kmod_host_of "$sid")")
	iface=$(cat "$c/iface")
	[ -n "$iface" ] && ifindex=$(cat "/sys/class/net/$iface/ifindex")
	for lu in "$s"/device/target*/[0-9]*:*; do
		[ -e "$lu" ] || continue
		b=$(ls "$lu/block" 2>/dev/null | head -n1)
		devs+=("$(basename "$lu")=$b=$(cat "$lu/state")")
	done
	local IFS=,
	echo "$sid|${h#host}|$(cat "$s/targetname")|$(cat "$s/tpgt")|$(cat "$s/state")|$(cat "$s/ifacename")|0|$(cat "$c/state")|$(cat "$c/address")|$(cat "$c/port")|$(cat "$c/persistent_address")|$(cat "$c/persistent_port")|$(cat "$c/local_port")|$iface|$ifindex|$(cat "$c/iface_hwaddress")|${devs[*]}"
}

# nl_host_lines DUMP / sysfs_host_line N: host|driver|ipaddress|hba_hwaddress|hba_serial|hba_pci_slot
nl_host_lines() {
	jq -r 'select(.host) | .host | [.host_no, .driver, .host_ipaddress, .hba_hwaddress // "",
		.hba_serial // "", .hba_pci_slot // ""] | map(tostring) | join("|")' "$1"
}
sysfs_host_line() {
	local h=/sys/class/iscsi_host/host$1
	echo "$1|$(cat "$h/device/scsi_host/host$1/proc_name")|$(cat "$h/ipaddress")|$(cat "$h/hba_hwaddress")|$(cat "$h/hba_serial")|$(cat "$h/hba_pci_slot")"
}

# nl_compare_sysfs: a dump equals sysfs field by field, every session and host exactly once.
nl_compare_sysfs() {
	local dump=/tmp/nl-dump.jsonl sid n line
	"$BIN" monitor --netlink --dump >"$dump" || fail "monitor --dump failed"
	n=$(nl_session_lines "$dump" | cut -d'|' -f1 | sort | uniq -d | wc -l)
	assert_eq "sessions listed twice in the dump" 0 "$n"
	assert_eq "sessions in the dump" "$(lab_session_count)" "$(nl_session_lines "$dump" | wc -l)"
	# (no process substitution: the lab has no /dev/fd)
	nl_session_lines "$dump" >/tmp/nl-sessions.txt
	nl_host_lines "$dump" >/tmp/nl-hosts.txt
	while IFS= read -r line; do
		sid=${line%%|*}
		assert_eq "session $sid: dump vs sysfs" "$(sysfs_session_line "$sid")" "$line"
	done </tmp/nl-sessions.txt
	while IFS= read -r line; do
		assert_eq "host ${line%%|*}: dump vs sysfs" "$(sysfs_host_line "${line%%|*}")" "$line"
	done </tmp/nl-hosts.txt
	tail -n1 "$dump"
}

# nl_status_agree: `status --json` through netlink and through sysfs are identical.
nl_status_agree() {
	"$BIN" status --json --no-config --netlink >/tmp/st-nl.json || fail "status --netlink failed"
	"$BIN" status --json --no-config --sysfs >/tmp/st-sysfs.json || fail "status --sysfs failed"
	diff -u /tmp/st-sysfs.json /tmp/st-nl.json || fail "status --json: netlink and sysfs differ"
	"$BIN" status --json --no-config >/tmp/st-default.json
	diff -q /tmp/st-nl.json /tmp/st-default.json >/dev/null || fail "status (default) differs from --netlink"
}

# nl_events_of FILE EVENT [JQ-FILTER]: how many EVENT lines (matching the filter) FILE holds.
nl_events_of() {
	jq -c "select(.event == \"$2\")${3:+ | select($3)}" "$1" | wc -l
}
