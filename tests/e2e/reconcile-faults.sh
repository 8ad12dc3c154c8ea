# lab-timeout: 300
# Faults during apply (issue 6): iscsid not running (exit 4, nothing written); a config with
# a syntax error (exit 2 naming file:line:column, nothing written); a target portal down
# while apply runs (exit 1, the failure listed with its reason, the other portal's sessions
# logged in) and, once it is back, apply converges; an unreachable portal likewise.
. "$LAB_REPO/scripts/lab/lib/lab.sh"
. "$LAB_REPO/tests/e2e/lib/ictl.sh"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
IQN=$LAB_IQN_PREFIX:faults
MACS=(02:00:00:00:09:00 02:00:00:00:09:01)
lab_target_create --luns 1 --portal "$P1:3260" --portal "$P2:3260" "$IQN"
lab_veth_add ve0 "${MACS[0]}" 101
lab_veth_add ve1 "${MACS[1]}" 102
# config PORTAL...: the target at each portal through both NICs.
config() {
	local targets="" p
	for p in "$@"; do
		targets="$targets{\"name\": \"$IQN\", \"tpgt\": 1, \"portal\": {\"address\": \"$p\"},
			\"sessions\": [{\"iface\": \"${MACS[0]}\"}, {\"iface\": \"${MACS[1]}\"}]},"
	done
	cat >"$CONF" <<-JSON
	{"version": 1,
	 "session_defaults": {"initial_login_retry_max": 1},
	 "conn_defaults": {"timeo": {"login_timeout": 5}},
	 "targets": [${targets%,}]}
	JSON
}
records_empty() { [ -z "$(find /etc/iscsi/nodes /etc/iscsi/ifaces -mindepth 1)" ] || fail "records written: $(find /etc/iscsi/nodes /etc/iscsi/ifaces)"; }

step "iscsid not running: exit 4, nothing written"
config "$P1"
lab_iscsid_stop
ictl_expect 4 apply
ictl_log_has "iscsid is not running"
records_empty
lab_iscsid_start || fail "iscsid did not come back"

step "config with a syntax error: exit 2 at file:line:column, nothing written"
printf '{"version": 1,\n "targets": [\n  {"name": }\n ]}\n' >"$CONF"
ictl_expect 2 apply
ictl_log_has "$CONF:3:"
records_empty

step "portal $P2 down during apply: partial failure, $P1 sessions up"
config "$P1" "$P2"
lab_portal_down "$P2"
ictl_expect 1 apply
ictl_log_has "partial failure: 2 of 10 actions failed"
ictl_log_has "login $IQN,$P2:3260,1 via $(ictl_iface_of_mac "${MACS[0]}"): exit"
ictl_sessions
assert_eq "sessions to $P1" 2 "$(ictl_sessions | grep -c "$P1:3260 LOGGED_IN")"
assert_eq "sessions to $P2" 0 "$(ictl_sessions | grep -c "$P2:3260")"

step "portal back: apply converges"
lab_portal_up "$P2"
ictl_expect 0 apply
ictl_log_has "2 actions done"
assert_eq "sessions" 4 "$(ictl_sessions | grep -c LOGGED_IN)"
ictl_no_duplicates
ictl_expect 0 apply
ictl_log_has "converged, nothing to do"

step "an unreachable portal: its logins fail with the reason, the rest stay"
config "$P1" "$P2" 10.33.0.99
ictl_expect 1 apply
ictl_log_has "login $IQN,10.33.0.99:3260,1"
assert_eq "sessions" 4 "$(ictl_sessions | grep -c LOGGED_IN)"
