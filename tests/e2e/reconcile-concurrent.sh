# lab-timeout: 300
# Concurrent invocations (issue 6): two `iscsictl apply` started at once, 3 rounds, against
# 2 targets x 2 portals x 2 NICs (8 sessions): they serialize on the lock and never make a
# duplicate session; the second one finds nothing to do.
topo_two_path --luns 1 "$LAB_IQN_PREFIX:c0"
topo_target_2p --luns 1 "$LAB_IQN_PREFIX:c1"
cfg_begin
for t in c0 c1; do
	for p in "$P1" "$P2"; do cfg_target "$LAB_IQN_PREFIX:$t" "$p" "${TOPO_MACS[0]}" "${TOPO_MACS[1]}"; done
done
cfg_write
ictl_expect 0 validate

for round in 1 2 3; do
	step "round $round: two apply at once"
	"$BIN" -c "$CONF" apply >"$ICTL_DIR/a.log" 2>&1 &
	a=$!
	"$BIN" -c "$CONF" apply >"$ICTL_DIR/b.log" 2>&1 &
	b=$!
	wait "$a" || fail "apply A: exit $? $(cat "$ICTL_DIR/a.log")"
	wait "$b" || fail "apply B: exit $? $(cat "$ICTL_DIR/b.log")"
	sed 's/^/    a| /' "$ICTL_DIR/a.log" | tail -n 2
	sed 's/^/    b| /' "$ICTL_DIR/b.log" | tail -n 2
	ictl_no_duplicates
	assert_eq "sessions" 8 "$(ictl_sessions | grep -c LOGGED_IN)"
	assert_eq "one of them found nothing to do" 1 \
		"$(cat "$ICTL_DIR/a.log" "$ICTL_DIR/b.log" | grep -c "converged, nothing to do")"
	cfg_begin
	cfg_write "$CONF.empty"
	"$BIN" -c "$CONF.empty" apply >/dev/null 2>&1 || fail "apply of an empty config"
	assert_eq "sessions after emptying" 0 "$(ictl_sessions | wc -l)"
	[ -z "$(find /etc/iscsi/nodes /etc/iscsi/ifaces -mindepth 1)" ] || fail "records left: $(find /etc/iscsi/nodes /etc/iscsi/ifaces)"
done
