# Figures, not a test: `iscsictl status --json` through the module's netlink family,
# through sysfs (the fallback), and `iscsiadm -m session -P 3`, side by side in one run on
# the same sessions (targets without LUNs x 2 portals x 2 veth NICs): median wall time of
# 7 runs each, the ratios, and the size of one dump (datagrams, messages, bytes).
# Run in the lab:  scripts/lab/run.sh --timeout 3600 scripts/bench/status-netlink-vs-sysfs-vs-iscsiadm.sh
# BENCH_SESSIONS (default "64 256") lists the session counts, ascending. Under TCG the
# 256 logins need a longer scenario limit than the default 300 s:
# lab-timeout: 3000
BIN=$LAB_REPO/build/iscsictl
[ -x "$BIN" ] || fail "$BIN not built (make userspace)"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
lab_veth_add ve0 02:00:00:00:06:00 101
lab_veth_add ve1 02:00:00:00:06:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
kmod_load

# median_ms CMD...: median wall time in ms of 7 runs.
median_ms() {
	local i t0 ts=()
	for i in 1 2 3 4 5 6 7; do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		ts+=($((($(date +%s%N) - t0) / 1000)))
	done
	printf '%s\n' "${ts[@]}" | sort -n | sed -n 4p | awk '{ printf "%.1f", $1 / 1000 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

made=0
for sessions in ${BENCH_SESSIONS:-64 256}; do
	targets=$((sessions / 4))
	step "$sessions sessions ($targets targets x 2 portals x 2 NICs)"
	while [ "$made" -lt "$targets" ]; do
		lab_target_create --luns 0 --portal "$P1:3260" --portal "$P2:3260" "$LAB_IQN_PREFIX:b$made"
		lab_node_new "$LAB_IQN_PREFIX:b$made" "$P1:3260" if-ve0
		lab_node_new "$LAB_IQN_PREFIX:b$made" "$P1:3260" if-ve1
		lab_node_new "$LAB_IQN_PREFIX:b$made" "$P2:3260" if-ve0
		lab_node_new "$LAB_IQN_PREFIX:b$made" "$P2:3260" if-ve1
		made=$((made + 1))
	done
	t0=$(date +%s)
	lab_login_all || true
	echo "logins took $(($(date +%s) - t0)) s"
	assert_eq "sessions LOGGED_IN" "$sessions" "$(lab_sessions_logged_in)"
	"$BIN" status --json --no-config --netlink >/tmp/b-nl.json || fail "status --netlink failed"
	"$BIN" status --json --no-config --sysfs >/tmp/b-sysfs.json
	cmp -s /tmp/b-nl.json /tmp/b-sysfs.json || fail "netlink and sysfs status differ"
	[ "$(jq '[.targets[].portals[].sessions[]] | length' /tmp/b-nl.json)" = "$sessions" ] ||
		fail "status does not list $sessions sessions"
	nl=$(median_ms "$BIN" status --json --no-config --netlink)
	sy=$(median_ms "$BIN" status --json --no-config --sysfs)
	adm=$(median_ms iscsiadm -m session -P 3)
	dump=$(median_ms "$BIN" monitor --netlink --dump)
	size=$("$BIN" monitor --netlink --dump | tail -n1)
	rss=$(/usr/bin/time -f %M "$BIN" status --json --no-config --netlink 2>&1 >/dev/null | tail -n1)
	echo "BENCH sessions=$sessions status_netlink_ms=$nl status_sysfs_ms=$sy iscsiadm_P3_ms=$adm" \
		"iscsiadm/netlink=$(ratio "$adm" "$nl") iscsiadm/sysfs=$(ratio "$adm" "$sy")" \
		"sysfs/netlink=$(ratio "$sy" "$nl") raw_dump_ms=$dump dump=$size netlink_rss_kib=$rss"
done
