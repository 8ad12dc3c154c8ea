# kmod netlink (issue 8): no oops, warning or leak while dumps run in a tight loop (one
# datagram per object, dump_batch=1, so every dump interleaves with the churn) and a
# monitor listens to the events group, during (1) login/logout cycles of 4 sessions and
# (2) unload/load cycles of the module with the sessions up (rmmod is retried while a dump
# holds the module). The runner checks dmesg afterwards.
# lab-timeout: 900
# KMOD_NL_CHURN_LOGINS and KMOD_NL_CHURN_LOADS (default 10 each in `make test`: every path
# crossed, every assertion made) size the loops; tests/e2e/soak/kmod-netlink-churn-100.sh
# (`make soak`) runs issue 8's 100 and 30.
IQN=$LAB_IQN_PREFIX:kmodnlchurn
LOGINS=${KMOD_NL_CHURN_LOGINS:-10}
LOADS=${KMOD_NL_CHURN_LOADS:-10}
dumps=/tmp/nl-churn.dumps

topo_two_path_iscsiadm --luns 0 "$IQN"
kmod_load dump_batch=1 event_poll_ms=100

# The dumper: a dump per iteration, failures ignored (the module comes and goes).
(
	renice -n 10 -p "$BASHPID" >/dev/null
	n=0
	trap 'echo $n >"$dumps"; exit 0' TERM
	while :; do
		"$BIN" monitor --netlink --dump >/dev/null 2>&1 && n=$((n + 1))
	done
) &
dumper=$!
"$BIN" monitor --netlink >/tmp/nl-churn-events.jsonl 2>&1 &
mon=$!
wait_for 20 "monitor subscribed" grep -q subscribed /tmp/nl-churn-events.jsonl

step "$LOGINS login/logout cycles of 4 sessions while dumping"
t0=$(date +%s)
for i in $(seq "$LOGINS"); do
	iscsiadm -m node -L all >/dev/null || fail "login, cycle $i"
	[ "$(lab_session_count)" -eq 4 ] || fail "cycle $i: $(lab_session_count) sessions"
	iscsiadm -m node -U all >/dev/null || fail "logout, cycle $i"
done
echo "$LOGINS cycles in $(($(date +%s) - t0)) s"
kill "$mon"
wait "$mon" 2>/dev/null || :
echo "events seen by the monitor: $(wc -l </tmp/nl-churn-events.jsonl)"
assert_eq "session_add events (4 per cycle)" "$((4 * LOGINS))" "$(nl_events_of /tmp/nl-churn-events.jsonl session_add)"
assert_eq "session_remove events (4 per cycle)" "$((4 * LOGINS))" "$(nl_events_of /tmp/nl-churn-events.jsonl session_remove)"

step "$LOADS unload/load cycles with 4 sessions up while dumping"
lab_login_all
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"
t0=$(date +%s)
busy=0
for i in $(seq "$LOADS"); do
	until rmmod "$KMOD" 2>/dev/null; do
		busy=$((busy + 1))
		[ "$busy" -lt 2000 ] || fail "rmmod kept failing"
		sleep 0.05
	done
	kmod_load dump_batch=1
done
echo "$LOADS cycles in $(($(date +%s) - t0)) s ($busy rmmod retries while a dump held the module)"
kill -TERM "$dumper"
wait "$dumper" 2>/dev/null || :
echo "dumps completed: $(cat "$dumps")"
[ "$(cat "$dumps")" -gt 0 ] || fail "no dump completed"
nl_compare_sysfs
kmod_counters_check
assert_eq "module refcount" 0 "$(kmod_refcnt)"
kmod_unload
