# kmod (issue 4): a portal goes down and comes back (connection recovery) while the
# attributes are read in a tight loop: the connections to that portal show an empty
# iface while they have no socket, the right NIC again after recovery; the others are
# untouched. dmesg clean (runner), module refcount 0.
IQN=$LAB_IQN_PREFIX:kmodrecovery
# The portal taken down is the second address of br0: deleting the first (primary)
# address of a subnet also deletes its secondaries unless promote_secondaries is set.
PD=$P2
rounds=/tmp/kmod-recovery.rounds

topo_two_path_iscsiadm --luns 1 "$IQN"
iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_interval' -v 1 >/dev/null
iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_timeout' -v 2 >/dev/null
lab_login_all
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"
kmod_load
kmod_reader_start "$rounds"

down_sids=()
up_sids=()
for sid in $(kmod_sids); do
	if [ "$(cat "$(kmod_conn_of "$sid")/persistent_address")" = "$PD" ]; then
		down_sids+=("$sid")
	else
		up_sids+=("$sid")
	fi
done
assert_eq "sessions on $PD" 2 "${#down_sids[@]}"

iface_is() { [ "$(cat "$(kmod_conn_of "$1")/iface")" = "$2" ]; }
expected() { local ifn; ifn=$(cat "/sys/class/iscsi_session/session$1/ifacename"); echo "${ifn#if-}"; }

step "portal $PD down"
t0=$(date +%s)
lab_portal_down "$PD"
for sid in "${down_sids[@]}"; do
	wait_for 60 "connection$sid:0 in recovery shows an empty iface" iface_is "$sid" ""
done
echo "connections to $PD without a socket after $(($(date +%s) - t0)) s: iface empty"
for sid in "${up_sids[@]}"; do
	assert_eq "connection$sid:0 iface (other portal)" "$(expected "$sid")" "$(cat "$(kmod_conn_of "$sid")/iface")"
done

step "portal $PD up"
t0=$(date +%s)
lab_portal_up "$PD"
wait_for 120 "4 sessions LOGGED_IN after the portal is back" kmod_logged_in 4
for sid in $(kmod_sids); do
	wait_for 10 "connection$sid:0 iface back to $(expected "$sid")" iface_is "$sid" "$(expected "$sid")"
done
echo "recovered in $(($(date +%s) - t0)) s; every iface correct again"

n=$(kmod_reader_stop "$rounds")
echo "reader: $n rounds of every attribute"
[ "$n" -gt 0 ] || fail "the reader never completed a round"
assert_eq "module refcount" 0 "$(kmod_refcnt)"
kmod_unload
