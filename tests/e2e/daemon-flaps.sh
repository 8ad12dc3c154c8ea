# lab-timeout: 300
# The event daemon (issue 7) under 50 link flaps in 10 s on one NIC: carrier down/up is
# iscsid's recovery, never a reason to log out; the daemon debounces the burst, never makes
# two sessions for one (target, portal, NIC), and converges to the config afterwards.
IQN=$LAB_IQN_PREFIX:flaps
topo_two_path --luns 1 "$IQN"
MAC1=${TOPO_MACS[0]}
MAC2=${TOPO_MACS[1]}
IF1=$(ictl_iface_of_mac "$MAC1")
IF2=$(ictl_iface_of_mac "$MAC2")
FLAP=ve0 # the NIC of MAC1
cfg_begin "$CFG_LOGIN5"
cfg_target "$IQN" "$P1" "$MAC1" "$MAC2"
cfg_target "$IQN" "$P2" "$MAC1" "$MAC2"
cfg_write
SPY=$(ictl_spy)
ictl_daemon_start --iscsiadm "$SPY"
wait_for 120 "4 sessions LOGGED_IN" ictl_logged_in_is 4
before=$(ictl_sessions | awk '{ print $1, $2, $4 }')
passes0=$(grep -c 'event=reconcile ' "$DLOG")
: >"$ICTL_DIR/spy.log"

step "50 flaps of $FLAP in 10 s"
# 10 rounds of 5 down/up pairs in one `ip -batch` each (a separate `ip` per flap takes
# longer than 100 ms under TCG), a round every second.
for i in 1 2 3 4 5; do printf 'link set %s down\nlink set %s up\n' "$FLAP" "$FLAP"; done >"$ICTL_DIR/flap.batch"
t0=$(date +%s%N)
for round in $(seq 10); do
	tr=$(date +%s%N)
	ip -batch "$ICTL_DIR/flap.batch"
	left=$((1000 - ($(date +%s%N) - tr) / 1000000))
	[ "$left" -le 0 ] || sleep "0.$(printf '%03d' "$left")"
done
echo "50 flaps took $((($(date +%s%N) - t0) / 1000000)) ms"

step "converges: 4 sessions LOGGED_IN, no duplicates, no logout"
wait_for 120 "4 sessions LOGGED_IN, stable" ictl_quiet
ictl_sessions
ictl_no_duplicates
assert_eq "sessions" 4 "$(ictl_sessions | grep -c LOGGED_IN)"
assert_eq "sids, ifaces, portals" "$before" "$(ictl_sessions | awk '{ print $1, $2, $4 }')"
grep -q -- --logout "$ICTL_DIR/spy.log" && fail "a flap led to a logout: $(cat "$ICTL_DIR/spy.log")"
passes=$(($(grep -c 'event=reconcile ' "$DLOG") - passes0))
events=$(grep -c "event=link nic=$FLAP" "$DLOG" || true)
echo "link events logged: $events; reconcile passes during and after the flaps: $passes"
[ "$passes" -le 25 ] || fail "$passes passes for one burst: not debounced"
# No iscsiadm call at all: no session was added (or removed) at any moment of the burst.
echo "iscsiadm calls during the flaps: $(wc -l <"$ICTL_DIR/spy.log")"
grep -q -- --login "$ICTL_DIR/spy.log" && fail "a flap led to a login: $(cat "$ICTL_DIR/spy.log")"
ictl_daemon_alive
ictl_daemon_stop
true
