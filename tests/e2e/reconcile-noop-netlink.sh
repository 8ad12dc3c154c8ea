# lab-timeout: 200
# lab-kernels: all
# One live-state source (issue 13): with the module loaded, `apply` (and `plan`) read the live
# sessions from the module's netlink dump, not by walking sysfs. Two sessions through two
# veth NICs, converged; `apply` with nothing to do runs under strace: no open of anything
# under iscsi_session / iscsi_connection, one generic netlink socket, no iscsiadm. As a
# control that the trace would show a walk, the same apply without the module opens
# iscsi_session (the sysfs fallback).
IQN=$LAB_IQN_PREFIX:noop
P1=${LAB_PORTAL_IPS[0]}
MAC0=02:00:00:00:0d:00
MAC1=02:00:00:00:0d:01
command -v strace >/dev/null || fail "strace missing (make deps)"

step "target, two veth NICs, config: one session per NIC"
lab_target_create --luns 1 "$IQN"
lab_veth_add ve0 "$MAC0" 101
lab_veth_add ve1 "$MAC1" 102
cat >"$CONF" <<EOF
{"version": 1, "targets": [{"name": "$IQN", "portal": {"address": "$P1"},
  "sessions": [{"iface": "$MAC0"}, {"iface": "$MAC1"}]}]}
EOF
kmod_load
ictl_expect 0 apply
assert_eq "sessions" 2 "$(ictl_sessions | grep -c LOGGED_IN)"

# traced ARGS...: iscsictl under strace (opens, sockets, execs); the trace in $ICTL_DIR/trace.
traced() {
	local rc=0
	strace -f -qq -e trace=open,openat,openat2,socket,execve -o "$ICTL_DIR/trace" \
		"$BIN" -c "$CONF" "$@" >"$ICTL_DIR/last.log" 2>&1 || rc=$?
	sed 's/^/    | /' "$ICTL_DIR/last.log"
	return $rc
}
# walks: the opens of the session walk (the class directories and what is below them).
walks() { grep -E 'open.*iscsi_(session|connection)' "$ICTL_DIR/trace" || true; }
genl_sockets() { grep -c 'socket(AF_NETLINK, [^)]*NETLINK_GENERIC' "$ICTL_DIR/trace" || true; }

step "apply, nothing to do, module loaded: the netlink dump, no sysfs session walk"
traced apply || fail "apply: exit $?"
ictl_log_has "converged, nothing to do"
grep -c . "$ICTL_DIR/trace" | sed 's/^/    trace lines: /'
[ -z "$(walks)" ] || fail "apply walked sysfs: $(walks | head -n 3)"
[ "$(genl_sockets)" -ge 1 ] || fail "apply opened no generic netlink socket"
assert_eq "programs run (iscsictl itself only)" 1 "$(grep -c 'execve(' "$ICTL_DIR/trace")"

step "plan --json, module loaded: no walk either, and the plan is empty"
traced plan --json || fail "plan: exit $?"
assert_eq "plan converged" true "$(jq -r .converged "$ICTL_DIR/last.log")"
[ -z "$(walks)" ] || fail "plan walked sysfs: $(walks | head -n 3)"

step "control: without the module, apply falls back to sysfs and the trace shows the walk"
kmod_unload
traced apply || fail "apply without the module: exit $?"
ictl_log_has "converged, nothing to do"
[ -n "$(walks)" ] || fail "the trace shows no walk even without the module: the check is blind"
assert_eq "generic netlink sockets without the module" 1 "$(genl_sockets)" # the family lookup
