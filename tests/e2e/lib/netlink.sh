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

# _nl_rd FILE: the file's one line in NL_V ("" if unreadable), without a process.
_nl_rd() { NL_V=; IFS= read -r NL_V 2>/dev/null <"$1" || :; }

# sysfs_session_line SID: the same line from sysfs (read by the shell: nl_compare_sysfs
# runs it for every session, and a `cat` costs ~0.1 s under TCG).
sysfs_session_line() {
	local sid=$1 s c h iface ifindex=null lu devs=() b f line=
	s=/sys/class/iscsi_session/session$sid
	c=/sys/class/iscsi_connection/connection$sid:0
	h=$(kmod_host_of "$sid")
	h=${h##*/}
	_nl_rd "$c/iface"
	iface=$NL_V
	[ -n "$iface" ] && { _nl_rd "/sys/class/net/$iface/ifindex"; ifindex=$NL_V; }
	for lu in "$s"/device/target*/[0-9]*:*; do
		[ -e "$lu" ] || continue
		b=
		for f in "$lu"/block/*; do [ -e "$f" ] && { b=${f##*/}; break; }; done
		_nl_rd "$lu/state"
		devs+=("${lu##*/}=$b=$NL_V")
	done
	for f in "$s/targetname" "$s/tpgt" "$s/state" "$s/ifacename"; do _nl_rd "$f"; line+="|$NL_V"; done
	_nl_rd "$c/state"
	line+="|0|$NL_V"
	for f in address port persistent_address persistent_port local_port; do _nl_rd "$c/$f"; line+="|$NL_V"; done
	_nl_rd "$c/iface_hwaddress"
	local IFS=,
	echo "$sid|${h#host}$line|$iface|$ifindex|$NL_V|${devs[*]}"
}

# nl_host_lines DUMP / sysfs_host_line N: host|driver|ipaddress|hba_hwaddress|hba_serial|hba_pci_slot
nl_host_lines() {
	jq -r 'select(.host) | .host | [.host_no, .driver, .host_ipaddress, .hba_hwaddress // "",
		.hba_serial // "", .hba_pci_slot // ""] | map(tostring) | join("|")' "$1"
}
sysfs_host_line() {
	local h=/sys/class/iscsi_host/host$1 f line=$1
	for f in "$h/device/scsi_host/host$1/proc_name" "$h/ipaddress" "$h/hba_hwaddress" "$h/hba_serial" "$h/hba_pci_slot"; do
		_nl_rd "$f"
		line+="|$NL_V"
	done
	echo "$line"
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
	assert_eq "live_source of status --netlink" netlink "$(jq -r .live_source /tmp/st-nl.json)"
	assert_eq "live_source of status --sysfs" sysfs "$(jq -r .live_source /tmp/st-sysfs.json)"
	# Apart from where it came from, the same state.
	jq 'del(.live_source)' /tmp/st-nl.json >/tmp/st-nl.cmp
	jq 'del(.live_source)' /tmp/st-sysfs.json >/tmp/st-sysfs.cmp
	diff -u /tmp/st-sysfs.cmp /tmp/st-nl.cmp || fail "status --json: netlink and sysfs differ"
	"$BIN" status --json --no-config >/tmp/st-default.json
	diff -q /tmp/st-nl.json /tmp/st-default.json >/dev/null || fail "status (default) differs from --netlink"
}

# nl_events_of FILE EVENT [JQ-FILTER]: how many EVENT lines (matching the filter) FILE holds.
nl_events_of() {
	jq -c "select(.event == \"$2\")${3:+ | select($3)}" "$1" | wc -l
}
