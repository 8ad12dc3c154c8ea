# kmod netlink (issue 8): the iscsi_iface generic netlink family. 4 sessions bound to 2 veth
# and 2 e1000e NICs plus one unbound session: a dump equals sysfs field by field (sessions,
# connections, NIC, ifindex, MAC, hosts' hba_*, disks and their block devices), and
# `status --json` is identical through netlink and through sysfs; with dump_batch=1 the
# dump spans one datagram per object and still lists every session once; an unprivileged
# user may dump. Events (`iscsictl monitor --netlink`): a logout, a login, a NIC rename and
# a module-driven iface change (the unbound session's route moves to another NIC) each
# produce exactly one event of their kind. Module unload: no family, status falls back to
# sysfs with the same output as sysfs gives.
# lab-kernels: all
IQN=$LAB_IQN_PREFIX:kmodnl

step "target on $P1 and $P2 (1 LUN); NICs ve0 ve1 (veth) and two e1000e"
topo_four_nics --luns 1 "$IQN"
e0=$E0
e1=$E1
for d in ve0 ve1 "$e0" "$e1"; do
	lab_node_new "$IQN" "$P1:3260" "if-$d"
done
# The unbound session goes to P2 through ve0 (a host route), for the route move below.
ip route replace "$P2/32" dev ve0 src "${LAB_SUBNET_PREFIX:-10.33.0}.101"
lab_node_new "$IQN" "$P2:3260" default
iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_interval' -v 1 >/dev/null
iscsiadm -m node -o update -n 'node.conn[0].timeo.noop_out_timeout' -v 5 >/dev/null
lab_login_all
assert_eq "sessions LOGGED_IN" 5 "$(lab_sessions_logged_in)"
lab_wait_disks 5
kmod_load

step "dump equals sysfs field by field; status --json identical through netlink and sysfs"
nl_compare_sysfs
nl_status_agree
unbound=
for sid in $(kmod_sids); do
	[ "$(cat "/sys/class/iscsi_session/session$sid/ifacename")" = default ] && unbound=$sid
done
assert_eq "unbound session's iface" ve0 "$(cat "$(kmod_conn_of "$unbound")/iface")"

step "an unprivileged user may dump"
su -s /bin/sh nobody -c "$BIN monitor --netlink --dump" >/tmp/nl-nobody.jsonl ||
	fail "dump as nobody failed"
assert_eq "sessions in nobody's dump" 5 "$(grep -c '"session"' /tmp/nl-nobody.jsonl)"

step "dump_batch=1: one datagram per host and session, each session once"
echo 1 >"$KMOD_PARAMS/dump_batch"
nl_compare_sysfs
d=$(tail -n1 /tmp/nl-dump.jsonl | jq .datagrams)
[ "$d" -ge 10 ] || fail "dump_batch=1 gave $d datagrams for 5 hosts + 5 sessions"
nl_status_agree
echo 0 >"$KMOD_PARAMS/dump_batch"

step "events: logout, login, rename, route move"
# nl_events_seen KIND [FILTER]: at least one such event so far (a function, so that wait_for
# re-evaluates it; a "$(...)" argument would be expanded once).
nl_events_seen() { [ "$(nl_events_of "$ev" "$@")" -ge 1 ]; }
ev=/tmp/nl-events.jsonl
"$BIN" monitor --netlink >"$ev" 2>&1 &
mon=$!
wait_for 20 "monitor subscribed" grep -q subscribed "$ev"
sleep 3 # the first scan after a listener appears only records
sid_e1=
for sid in $(kmod_sids); do
	[ "$(cat "/sys/class/iscsi_session/session$sid/ifacename")" = "if-$e1" ] && sid_e1=$sid
done
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I "if-$e1" -u >/dev/null
wait_for 20 "session_remove event" nl_events_seen session_remove
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I "if-$e1" -l >/dev/null
wait_for 20 "session_add event" nl_events_seen session_add
new_e1=$(jq -r 'select(.event == "session_add") | .sid' "$ev")
wait_for 30 "5 sessions LOGGED_IN" kmod_logged_in 5
sid_ve1=
for sid in $(kmod_sids); do
	[ "$(cat "/sys/class/iscsi_session/session$sid/ifacename")" = if-ve1 ] && sid_ve1=$sid
done
ip link set ve1 down
ip link set ve1 name vrn1
ip link set vrn1 up
wait_for 20 "iface_change to vrn1" nl_events_seen iface_change '.iface == "vrn1"'
wait_for 30 "5 sessions LOGGED_IN after the rename" kmod_logged_in 5
ip route replace "$P2/32" dev "$e0" src "${LAB_SUBNET_PREFIX:-10.33.0}.101"
wait_for 30 "iface_change of the unbound session" \
	nl_events_seen iface_change ".sid == $unbound"
sleep 4 # anything duplicated would arrive by now
kill "$mon"
wait "$mon" 2>/dev/null || :
cat "$ev"
assert_eq "session_remove of session $sid_e1" 1 "$(nl_events_of "$ev" session_remove ".sid == $sid_e1")"
assert_eq "conn_remove of session $sid_e1" 1 "$(nl_events_of "$ev" conn_remove ".sid == $sid_e1")"
assert_eq "session_add events" 1 "$(nl_events_of "$ev" session_add)"
assert_eq "conn_add of session $new_e1" 1 "$(nl_events_of "$ev" conn_add ".sid == $new_e1")"
assert_eq "session_state LOGGED_IN of session $new_e1" 1 \
	"$(nl_events_of "$ev" session_state ".sid == $new_e1 and .session_state == \"LOGGED_IN\"")"
assert_eq "iface_change of session $sid_ve1 (rename)" 1 \
	"$(nl_events_of "$ev" iface_change ".sid == $sid_ve1 and .iface == \"vrn1\" and .old_iface == \"ve1\"")"
assert_eq "iface_change of session $unbound (route move)" 1 \
	"$(nl_events_of "$ev" iface_change ".sid == $unbound")"
assert_eq "route move: new iface" "$e0" "$(jq -r "select(.event == \"iface_change\" and .sid == $unbound) | .iface" "$ev")"
assert_eq "route move: old iface" ve0 "$(jq -r "select(.event == \"iface_change\" and .sid == $unbound) | .old_iface" "$ev")"
assert_eq "sysfs iface of the unbound session" "$e0" "$(cat "$(kmod_conn_of "$unbound")/iface")"
nl_compare_sysfs
nl_status_agree

step "unloaded: no family; status falls back to sysfs"
assert_eq "module refcount" 0 "$(kmod_refcnt)"
kmod_unload
if "$BIN" monitor --netlink --dump >/dev/null 2>&1; then fail "dump works without the module"; fi
if "$BIN" status --json --no-config --netlink >/dev/null 2>&1; then fail "status --netlink works without the module"; fi
"$BIN" status --json --no-config >/tmp/st-fallback.json
"$BIN" status --json --no-config --sysfs >/tmp/st-sysfs.json
diff -u /tmp/st-sysfs.json /tmp/st-fallback.json || fail "fallback differs from --sysfs"
