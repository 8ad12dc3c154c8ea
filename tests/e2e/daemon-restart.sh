# lab-timeout: 360
# The event daemon (issue 7) restarted: with its sessions up, a new daemon adopts them
# (no logout, no login: an iscsiadm spy records no call). Killed with SIGKILL in the middle
# of an apply (logins slowed down by the spy), the next start converges: every session
# LOGGED_IN, none twice. multipathd and iscsid restarted under a running daemon (issue 16):
# no duplicate session, no logout, no login, the map keeps both paths.
IQN=$LAB_IQN_PREFIX:restart
topo_two_path --luns 1 "$IQN"
mpath_start
# config PORTAL...: the target at each portal through both NICs.
config() {
	local p
	cfg_begin "$CFG_LOGIN5"
	for p in "$@"; do cfg_target "$IQN" "$p" "${TOPO_MACS[0]}" "${TOPO_MACS[1]}"; done
	cfg_write
}
config "$P1"
SPY=$(ictl_spy)

step "first daemon logs in 2 sessions"
ictl_daemon_start --iscsiadm "$SPY"
wait_for 120 "2 sessions LOGGED_IN" ictl_logged_in_is 2
wait_for 30 "settled" ictl_quiet
ictl_daemon_stop
before=$(ictl_sessions)

step "restart with the sessions up: no logout, no login"
: >"$ICTL_DIR/spy.log"
ictl_daemon_start --iscsiadm "$SPY"
sleep 3
assert_eq "iscsiadm calls" "" "$(cat "$ICTL_DIR/spy.log")"
assert_eq "sessions" "$before" "$(ictl_sessions)"
tail -n 3 "$DLOG" | sed 's/^/    | /'

step "multipathd, then iscsid restarted under the running daemon: no logout, no login"
wait_for 60 "one map" mpath_map_of_wwid_any
map=$(mpath_map_of_wwid_any)
wait_for 60 "$map: 2 active paths" mpath_active_paths_are "$map" 2
: >"$ICTL_DIR/spy.log"
mpath_daemon_stop
sleep 3
mpath_start
wait_for 60 "$map: 2 active paths after multipathd's restart" mpath_active_paths_are "$map" 2
lab_iscsid_stop || fail "iscsid did not stop"
sleep 3
lab_iscsid_start || fail "iscsid did not start"
wait_for 60 "2 sessions LOGGED_IN after iscsid's restart" ictl_logged_in_is 2
wait_for 30 "settled" ictl_quiet
sleep 3 # at least one more daemon pass
assert_eq "iscsiadm calls across both restarts" "" "$(cat "$ICTL_DIR/spy.log")"
assert_eq "sessions (sids) across both restarts" "$before" "$(ictl_sessions)"
ictl_no_duplicates
assert_eq "$map: active paths" 2 "$(mpath_active_paths "$map")"
ictl_daemon_alive
ictl_daemon_stop

step "SIGKILL in the middle of an apply"
SLOW=$(ictl_spy --login-delay 2)
config "$P1" "$P2"
"$BIN" -c "$CONF" daemon --iscsiadm "$SLOW" -j 1 >>"$DLOG" 2>&1 </dev/null &
pid=$!
echo $pid >/run/iscsictl-daemon.pid
wait_for 60 "a login started" grep -q -- --login "$ICTL_DIR/spy.log"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
echo "killed $pid after: $(cat "$ICTL_DIR/spy.log")"
ictl_sessions

step "the next start converges"
ictl_daemon_start
wait_for 120 "4 sessions LOGGED_IN" ictl_logged_in_is 4
wait_for 30 "settled" ictl_quiet
ictl_sessions
ictl_no_duplicates
assert_eq "sessions" 4 "$(ictl_sessions | wc -l)"
ictl_daemon_alive
ictl_daemon_stop
true
