# lab-timeout: 5400
# Figures, not a test (issue 14, item 10): what unprivileged users reading the session map
# cost root's logins and logouts. With N sessions up (BENCH_SIZES, default "8 256": N/2
# targets x 1 portal x 2 veth NICs, no LUNs) root logs 4 extra sessions in and out
# BENCH_CYCLES times (default 10) in each of four conditions, in one run:
#   alone   nothing else runs
#   busy    four `nobody` shell loops that never touch the module (CPU contention only)
#   sysfs   four `nobody` loops of `iscsictl status --json --sysfs` (the same processes,
#           reading sysfs: what starting iscsictl and walking the map cost without the module)
#   status  four `nobody` loops of `iscsictl status --json` (netlink dumps of all N sessions)
# and prints the seconds per cycle side by side with the status/busy ratio (goal <= 1.2)
# and the status/sysfs ratio (what the dump costs beyond the process itself).
# BENCH_SIZES=8 runs the small size only.
# Run in the lab (256 sessions take about 30 min to log in under TCG):
#   scripts/lab/run.sh --timeout 5400 scripts/bench/kmod-dump-contention.sh
BIN=$LAB_REPO/build/iscsictl
[ -x "$BIN" ] || fail "$BIN not built"
P1=${LAB_PORTAL_IPS[0]}
CYCLES=${BENCH_CYCLES:-10}
lab_veth_add ve0 02:00:00:00:0e:00 101
lab_veth_add ve1 02:00:00:00:0e:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
# The 4 sessions root cycles: 2 targets x 2 NICs.
for t in cyc0 cyc1; do
	lab_target_create --luns 0 --portal "$P1:3260" "$LAB_IQN_PREFIX:$t"
	lab_node_new "$LAB_IQN_PREFIX:$t" "$P1:3260" if-ve0
	lab_node_new "$LAB_IQN_PREFIX:$t" "$P1:3260" if-ve1
done
kmod_load

now() { date +%s.%N; }
secs() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }

cycles() {
	local i t0
	t0=$(now)
	for ((i = 0; i < CYCLES; i++)); do
		for t in cyc0 cyc1; do
			iscsiadm -m node -T "$LAB_IQN_PREFIX:$t" -l >/dev/null || fail "login $t"
		done
		for t in cyc0 cyc1; do
			iscsiadm -m node -T "$LAB_IQN_PREFIX:$t" -u >/dev/null || fail "logout $t"
		done
	done
	awk -v s="$(secs "$t0")" -v n="$CYCLES" 'BEGIN { printf "%.2f", s / n }'
}

pids=()
start_load() {
	local i
	for i in 1 2 3 4; do
		case "$1" in
		busy) su -s /bin/bash nobody -c 'while :; do :; done' & ;;
		sysfs) su -s /bin/bash nobody -c "while :; do $BIN status --json --no-config --sysfs >/dev/null 2>&1; done" & ;;
		status) su -s /bin/bash nobody -c "while :; do $BIN status --json --no-config >/dev/null 2>&1; done" & ;;
		esac
		pids+=($!)
	done
}
stop_load() {
	# su passes SIGTERM on to its shell.
	kill "${pids[@]}" 2>/dev/null || :
	wait "${pids[@]}" 2>/dev/null || :
	pids=()
}

made=0
# The loads must do what they claim: nobody's status works, through netlink and through sysfs.
for how in --netlink --sysfs; do
	su -s /bin/sh nobody -c "$BIN status --json --no-config $how" >/dev/null || fail "nobody: status $how failed"
done
echo "sessions | alone s/cycle | 4 busy loops | 4 status --sysfs loops | 4 status --json loops | status/busy | status/sysfs"
for n in ${BENCH_SIZES:-8 256}; do
	while [ "$made" -lt $((n / 2)) ]; do
		iqn=$LAB_IQN_PREFIX:bg$made
		lab_target_create --luns 0 --portal "$P1:3260" "$iqn"
		lab_node_new "$iqn" "$P1:3260" if-ve0
		lab_node_new "$iqn" "$P1:3260" if-ve1
		iscsiadm -m node -T "$iqn" -l >/dev/null || fail "login $iqn"
		made=$((made + 1))
	done
	alone=$(cycles)
	start_load busy
	busy=$(cycles)
	stop_load
	start_load sysfs
	sysfs=$(cycles)
	stop_load
	start_load status
	status=$(cycles)
	stop_load
	echo "$n | $alone | $busy | $sysfs | $status | $(awk -v a="$status" -v b="$busy" 'BEGIN { printf "%.2f", a / b }') | $(awk -v a="$status" -v b="$sysfs" 'BEGIN { printf "%.2f", a / b }')"
done
kmod_unload
