# lab-timeout: 1500
# Figures, not a test (issue 6): logging in 64 sessions (16 targets x 2 portals x 2 veth
# NICs) with a serial `iscsiadm --login` loop versus one `iscsictl apply` (parallel logins),
# side by side in one run; then `iscsictl apply` with nothing to do at 64 and 256 sessions
# (median of 5; no iscsiadm may be started: an iscsiadm spy counts calls).
# Run in the lab:  scripts/lab/run.sh --timeout 1800 scripts/bench/apply-vs-iscsiadm.sh
# (BENCH_MAX=64 skips the 256-session step.)
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
MACS=(02:00:00:00:0a:00 02:00:00:00:0a:01)
lab_veth_add ve0 "${MACS[0]}" 101
lab_veth_add ve1 "${MACS[1]}" 102

ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
made=0
make_targets() {
	while [ "$made" -lt "$1" ]; do
		lab_target_create --luns 0 --portal "$P1:3260" --portal "$P2:3260" "$LAB_IQN_PREFIX:b$made"
		made=$((made + 1))
	done
}
# config N: N targets x 2 portals x both NICs.
config() {
	local i p t=""
	for ((i = 0; i < $1; i++)); do
		for p in "$P1" "$P2"; do
			t="$t{\"name\": \"$LAB_IQN_PREFIX:b$i\", \"tpgt\": 1, \"portal\": {\"address\": \"$p\"},
				\"sessions\": [{\"iface\": \"${MACS[0]}\"}, {\"iface\": \"${MACS[1]}\"}]},"
		done
	done
	echo "{\"version\": 1, \"targets\": [${t%,}]}" >"$CONF"
}

step "64 sessions: serial iscsiadm --login loop"
make_targets 16
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
for ((i = 0; i < 16; i++)); do
	for p in "$P1" "$P2"; do
		lab_node_new "$LAB_IQN_PREFIX:b$i" "$p:3260" if-ve0
		lab_node_new "$LAB_IQN_PREFIX:b$i" "$p:3260" if-ve1
	done
done
t0=$(date +%s%N)
for ((i = 0; i < 16; i++)); do
	for p in "$P1" "$P2"; do
		for f in if-ve0 if-ve1; do
			iscsiadm -m node -T "$LAB_IQN_PREFIX:b$i" -p "$p:3260,1" -I "$f" --login >/dev/null || fail "login"
		done
	done
done
serial=$(ms "$t0")
assert_eq "sessions" 64 "$(lab_sessions_logged_in)"
lab_initiator_reset || true # not under set -e: its iscsiadm calls may find nothing

step "64 sessions: iscsictl apply"
config 16
t0=$(date +%s%N)
"$BIN" -c "$CONF" apply 2>/dev/null || fail "apply"
ours=$(ms "$t0")
assert_eq "sessions" 64 "$(lab_sessions_logged_in)"
echo "BENCH login sessions=64 iscsiadm_serial_ms=$serial iscsictl_apply_ms=$ours" \
	"speedup=$(awk -v a="$serial" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')"

# noop N: median ms of 5 `apply` runs with nothing to do; fails if iscsiadm ran.
noop() {
	local spy ts=() i t0
	spy=$(ictl_spy)
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		"$BIN" -c "$CONF" apply --iscsiadm "$spy" 2>/dev/null || fail "no-op apply"
		ts+=($(ms "$t0"))
	done
	assert_eq "iscsiadm calls" 0 "$(wc -l <"$ICTL_DIR/spy.log")"
	rss=$(/usr/bin/time -f %M "$BIN" -c "$CONF" apply 2>&1 >/dev/null | tail -n1)
	echo "BENCH noop sessions=$1 iscsictl_apply_ms=$(printf '%s\n' "${ts[@]}" | sort -n | sed -n 3p)" \
		"iscsiadm_calls=0 rss_kib=$rss"
}
noop 64
[ "${BENCH_MAX:-256}" -ge 256 ] || exit 0

step "256 sessions: iscsictl apply, then apply with nothing to do"
make_targets 64
config 64
t0=$(date +%s%N)
"$BIN" -c "$CONF" apply -j 16 2>/dev/null || fail "apply"
echo "BENCH login sessions=256 (192 new) iscsictl_apply_ms=$(ms "$t0")"
assert_eq "sessions" 256 "$(lab_sessions_logged_in)"
noop 256
