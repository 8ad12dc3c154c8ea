# lab-timeout: 300
# Concurrent invocations (issue 6): two `iscsictl apply` started at once, 3 rounds, against
# 2 targets x 2 portals x 2 NICs (8 sessions): they serialize on the lock and never make a
# duplicate session; the second one finds nothing to do.
. "$LAB_REPO/scripts/lab/lib/lab.sh"
. "$LAB_REPO/tests/e2e/lib/ictl.sh"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
MACS=(02:00:00:00:08:00 02:00:00:00:08:01)
lab_target_create --luns 1 --portal "$P1:3260" --portal "$P2:3260" "$LAB_IQN_PREFIX:c0"
lab_target_create --luns 1 --portal "$P1:3260" --portal "$P2:3260" "$LAB_IQN_PREFIX:c1"
lab_veth_add ve0 "${MACS[0]}" 101
lab_veth_add ve1 "${MACS[1]}" 102
targets=""
for t in c0 c1; do
	for p in "$P1" "$P2"; do
		targets="$targets{\"name\": \"$LAB_IQN_PREFIX:$t\", \"tpgt\": 1, \"portal\": {\"address\": \"$p\"},
			\"sessions\": [{\"iface\": \"${MACS[0]}\"}, {\"iface\": \"${MACS[1]}\"}]},"
	done
done
echo "{\"version\": 1, \"targets\": [${targets%,}]}" >"$CONF"
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
	echo '{"version": 1, "targets": []}' >"$CONF.empty"
	"$BIN" -c "$CONF.empty" apply >/dev/null 2>&1 || fail "apply of an empty config"
	assert_eq "sessions after emptying" 0 "$(ictl_sessions | wc -l)"
	[ -z "$(find /etc/iscsi/nodes /etc/iscsi/ifaces -mindepth 1)" ] || fail "records left: $(find /etc/iscsi/nodes /etc/iscsi/ifaces)"
done
