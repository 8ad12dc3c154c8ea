# lab-timeout: 1500
# Figures, not a test (issue 16, docs/multipath.md): how long I/O on a multipath map stalls
# when one path dies silently, for each choice of NOP-Out interval/timeout and multipathd's
# fast_io_fail_tmo (which multipathd writes into each session's recovery_tmo, replacing the
# config's replacement_timeout). One volume, two sessions (ve0, ve1) made by `iscsictl
# apply`, multipathd as in tests/e2e/lib/mpath.sh; a direct-I/O writer on the map; then
# every packet leaving ve0 is dropped (`tc netem loss 100%`: the link stays up, as when a
# switch port or cable dies further away). Printed per choice: the longest write stall
# (ms), from the drop to dm failing the path (ms), and the write errors (must be 0).
# Run in the lab:
#   scripts/lab/run.sh --log-dir build/bench-failover --timeout 1500 scripts/bench/mpath-failover.sh
IQN=$LAB_IQN_PREFIX:failover
CHOICES=${BENCH_FAILOVER_CHOICES:-"2/2/5 5/5/5 5/5/15 10/15/5"} # interval/timeout/fast_io_fail_tmo
W=/tmp/ictl/failover
ms() { local u _; read -r u _ </proc/uptime; echo $((${u/./} * 10)); }
lab_target_create --luns 1 --size 16 --portal "$P1:3260" "$IQN"
topo_veths 2 || fail "veth NICs"
modprobe sch_netem || fail "no sch_netem"
BASE_CONF=$MPATH_CONF
cleanup() {
	touch "$W.stop"
	[ -z "${WPID:-}" ] || kill "$WPID" 2>/dev/null
	tc qdisc del dev ve0 root 2>/dev/null
	mpath_daemon_stop
	return 0
}
ICTL_EXIT_EXTRA=cleanup
results=()
for c in $CHOICES; do
	IFS=/ read -r noi not fio <<<"$c"
	step "NOP-Out $noi s / $not s, fast_io_fail_tmo $fio s"
	MPATH_CONF=${BASE_CONF/fast_io_fail_tmo 5/fast_io_fail_tmo $fio}
	mpath_start
	cfg_begin "\"session_defaults\": {\"timeo\": {\"replacement_timeout\": $fio}}" \
		"\"conn_defaults\": {\"timeo\": {\"login_timeout\": 5, \"noop_out_interval\": $noi, \"noop_out_timeout\": $not}}"
	cfg_target "$IQN" "$P1" "${TOPO_MACS[0]}" "${TOPO_MACS[1]}"
	cfg_write
	ictl_expect 0 apply
	wait_for 60 "a multipath map" mpath_map_of_wwid_any
	MAP=$(mpath_map_of_wwid_any)
	wait_for 60 "$MAP has 2 active paths" mpath_active_paths_are "$MAP" 2
	DEV=$(mpath_dev "$MAP") || fail "no device node of $MAP"
	rm -f "$W.json" "$W.stop"
	python3 "$E2E_LIB/mpath_writer.py" write "$DEV" "$W.json" "$W.stop" &
	WPID=$!
	wait_for 30 "the writer writes" test -s "$W.json"
	lab_nap 3
	t_drop=$(ms)
	tc qdisc add dev ve0 root netem loss 100% || fail "netem"
	wait_for 120 "$MAP: the dead path failed" mpath_active_paths_are "$MAP" 1
	t_failed=$(ms)
	lab_nap 5
	touch "$W.stop"
	wait "$WPID" || fail "the writer failed"
	WPID=
	read -r writes errors max_ms <<<"$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["writes"], s["errors"], s["max_ms"])' "$W.json")"
	echo "    BENCH $c stall_ms=$max_ms fail_ms=$((t_failed - t_drop)) writes=$writes errors=$errors"
	results+=("| $noi s / $not s | $fio s | $max_ms | $((t_failed - t_drop)) | $errors |")
	tc qdisc del dev ve0 root
	wait_for 120 "$MAP: both paths back" mpath_active_paths_are "$MAP" 2
	mpath_daemon_stop
	multipath -F >/dev/null 2>&1 || dmsetup remove_all >/dev/null 2>&1
	echo '{"version": 1, "targets": []}' >"$CONF"
	ictl_expect 0 apply
done
echo "BENCH-TABLE failover (one of two paths black-holed under direct I/O)"
echo "| NOP-Out interval / timeout | fast_io_fail_tmo (= recovery_tmo) | longest write stall (ms) | drop to path failed (ms) | write errors |"
echo "|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
