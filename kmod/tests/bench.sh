# Benchmark (not a test) for issue 4's closing note, run in the lab as a scenario:
#   scripts/lab/run.sh --log-dir /tmp/kmodbench kmod/tests/bench.sh
# Prints: time to read `iface` of every connection at 4 and at N sessions (KMOD_BENCH_N,
# default 64: more does not log in within the runner's 300 s per scenario under TCG),
# and insmod time with N sessions up. N sessions = N/4 LUN-less targets x
# 2 portals x 2 veth ifaces.
N=${KMOD_BENCH_N:-64}
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
read_ifaces() {
	local f x n=0
	for f in /sys/class/iscsi_connection/*/"${1:-iface}"; do
		read -r x <"$f" || :
		n=$((n + 1))
	done
	echo "$n"
}
bench_reads() {
	local t n i a
	# iscsi_connection's own `address` (one get_conn_param call) as the baseline.
	for a in iface address; do
		read_ifaces "$a" >/dev/null
		t=$(date +%s%N)
		for i in 1 2 3 4 5 6 7 8 9 10; do n=$(read_ifaces "$a"); done
		echo "BENCH read $a of $n connections: $(( $(ms_since "$t") / 10 )) ms per pass (10 passes)"
	done
}

lab_veth_add ve0 02:00:00:00:09:00 101
lab_veth_add ve1 02:00:00:00:09:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
lab_targets_create $((N / 4)) 0 --portal "$P1:3260" --portal "$P2:3260"
lab_discover "$P1" if-ve0 if-ve1
echo "node records: $(iscsiadm -m node | wc -l)"

# 4 sessions: one target.
iscsiadm -m node -T "$LAB_IQN_PREFIX:t0" -l >/dev/null
echo "sessions: $(lab_session_count)"
t=$(date +%s%N); kmod_load; echo "BENCH insmod with $(lab_session_count) sessions: $(ms_since "$t") ms"
bench_reads
kmod_unload

t=$(date +%s%N)
iscsiadm -m node -L all >/dev/null 2>&1 || :  # 15 = the 4 sessions of t0 exist already
echo "login of $(lab_session_count) sessions: $(ms_since "$t") ms (LOGGED_IN: $(lab_sessions_logged_in))"
t=$(date +%s%N); kmod_load; echo "BENCH insmod with $(lab_session_count) sessions: $(ms_since "$t") ms"
bench_reads
t=$(date +%s%N); kmod_unload; echo "BENCH rmmod with $(lab_session_count) sessions: $(ms_since "$t") ms"
t=$(date +%s%N)
iscsiadm -m node -U all >/dev/null 2>&1 || :
echo "logout: $(ms_since "$t") ms"
