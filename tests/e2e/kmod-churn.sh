# kmod (issue 4): no oops, warning or leak while the attributes are read in a tight loop
# during (1) login/logout cycles of 4 sessions (over a veth and an e1000e) and (2)
# load/unload cycles of the module with the sessions up. The runner checks dmesg
# afterwards; the module refcount must be back to 0 and the leak counters balanced.
# lab-timeout: 600
# KMOD_CHURN_LOGINS and KMOD_CHURN_LOADS (default 10 each: every path crossed, every
# assertion made, in `make test`'s budget) size the loops. The full 200 login/logout and
# 50 load/unload cycles of issue 4 run in tests/e2e/soak/kmod-churn-200.sh (`make soak`):
# a cycle costs about 2 s under TCG with the reader running.
# lab-kernels: all
IQN=$LAB_IQN_PREFIX:kmodchurn
LOGINS=${KMOD_CHURN_LOGINS:-10}
LOADS=${KMOD_CHURN_LOADS:-10}
rounds=/tmp/kmod-churn.rounds

# No LUNs: the module cares about connections and hosts; skipping the SCSI scan and the
# disks' udev work makes a cycle several times cheaper under TCG.
topo_target_2p --luns 0 "$IQN"
# A veth and an e1000e: the e1000e's host takes PCI references (hba_* attributes), which
# the leak counters must also see balanced.
lab_veth_add ve0 02:00:00:00:05:00 101
e0=$(lab_e1000e_up 0 102)
lab_wait_carrier "$e0"
lab_iface_bind if-ve0 ve0
lab_iface_bind "if-$e0" "$e0"
lab_discover "$P1" if-ve0 "if-$e0"

kmod_load
kmod_reader_start "$rounds"

step "$LOGINS login/logout cycles of 4 sessions while reading"
t0=$(date +%s)
for i in $(seq "$LOGINS"); do
	iscsiadm -m node -L all >/dev/null || fail "login, cycle $i"
	[ "$(lab_session_count)" -eq 4 ] || fail "cycle $i: $(lab_session_count) sessions"
	if [ $((i % 50)) -eq 1 ]; then
		for sid in $(kmod_sids); do
			ifn=$(cat "/sys/class/iscsi_session/session$sid/ifacename")
			assert_eq "cycle $i connection$sid:0 iface" "${ifn#if-}" "$(cat "$(kmod_conn_of "$sid")/iface")"
		done
	fi
	iscsiadm -m node -U all >/dev/null || fail "logout, cycle $i"
done
echo "$LOGINS cycles in $(($(date +%s) - t0)) s"
assert_eq "sessions after the cycles" 0 "$(lab_session_count)"

step "$LOADS load/unload cycles with 4 sessions up while reading"
lab_login_all
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"
t0=$(date +%s)
for i in $(seq "$LOADS"); do
	kmod_unload
	kmod_load
	kmod_read_all
done
echo "$LOADS cycles in $(($(date +%s) - t0)) s"
for sid in $(kmod_sids); do
	ifn=$(cat "/sys/class/iscsi_session/session$sid/ifacename")
	assert_eq "connection$sid:0 iface" "${ifn#if-}" "$(cat "$(kmod_conn_of "$sid")/iface")"
done

n=$(kmod_reader_stop "$rounds")
echo "reader: $n rounds of every attribute"
[ "$n" -gt 0 ] || fail "the reader never completed a round"
kmod_counters_check
assert_eq "module refcount" 0 "$(kmod_refcnt)"
kmod_unload
