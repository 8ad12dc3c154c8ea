# Figures, not a test: `iscsictl status --json` versus `iscsiadm -m session -P 3` on the
# same 64 and 256 sessions (targets without LUNs x 2 portals x 2 veth NICs), side by side
# in one run: median wall time of 7 runs each, the ratio, and iscsictl's peak RSS.
# Run in the lab:  scripts/lab/run.sh scripts/bench/status-vs-iscsiadm.sh
# Under TCG the 256 logins do not fit in the runner's 300 s scenario limit
# (LAB_SCENARIO_TIMEOUT); the 64-session figure is printed first.
BIN=$LAB_REPO/build/iscsictl
[ -x "$BIN" ] || fail "$BIN not built (make userspace)"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
lab_veth_add ve0 02:00:00:00:06:00 101
lab_veth_add ve1 02:00:00:00:06:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1

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

made=0
for sessions in 64 256; do
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
	lab_login_all || true
	assert_eq "sessions LOGGED_IN" "$sessions" "$(lab_sessions_logged_in)"
	[ "$("$BIN" status --json --no-config | jq '[.targets[].portals[].sessions[]] | length')" = "$sessions" ] ||
		fail "status does not list $sessions sessions"
	ours=$(median_ms "$BIN" status --json --no-config)
	theirs=$(median_ms iscsiadm -m session -P 3)
	rss=$(/usr/bin/time -f %M "$BIN" status --json --no-config 2>&1 >/dev/null | tail -n1)
	echo "BENCH sessions=$sessions iscsictl_status_json_ms=$ours iscsiadm_P3_ms=$theirs" \
		"ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')" \
		"iscsictl_rss_kib=$rss"
done
