# lab-timeout: 9000
# Figures, not a test (issue 15): open-iscsi's best against iscsictl on the same sessions, in
# one lab boot. 32 targets (one 1 MiB LUN each) x 2 veth NICs = 64 sessions
# (BENCH_SESSIONS=256: 128 targets). Each round, for both tools over the same kind of records:
#   bring-up   `iscsiadm -m node --loginall=all`   vs `iscsictl apply` from an empty host
#                                                      (its records included)
#   teardown   `iscsiadm -m node --logoutall=all`  vs `iscsictl apply` of an empty config
#   no-op      -                                    vs `iscsictl apply` (no iscsiadm may run)
#   status     `iscsiadm -m session -P 3`          vs `iscsictl status --json`
#   floor      /bin/true
# and iscsictl's bring-up and teardown once more per batch shape (--batch iface|target|single,
# BENCH_SHAPES). Medians of BENCH_ROUNDS (3) rounds; the table at the end, every figure in
# the log as it is taken. Under TCG with one vCPU a round at 64 sessions takes about 15
# minutes (udev settles 64 new disks after each bring-up), so 3 rounds take about 45.
#
# Run from the host (it starts the lab itself, logs in build/bench/):
#   scripts/bench/openiscsi-vs-iscsictl.sh
#   BENCH_SESSIONS=256 BENCH_ROUNDS=1 scripts/bench/openiscsi-vs-iscsictl.sh
if [ -z "${LAB_REPO:-}" ]; then
	set -eu
	repo=$(cd "$(dirname "$0")/../.." && pwd)
	mkdir -p "$repo/build/bench"
	# The guest sees the host's root: the settings travel in a file beside the logs.
	printf 'BENCH_SESSIONS=%s\nBENCH_ROUNDS=%s\nBENCH_SHAPES="%s"\n' "${BENCH_SESSIONS:-64}" \
		"${BENCH_ROUNDS:-3}" "${BENCH_SHAPES:-target single}" >"$repo/build/bench/openiscsi-vs-iscsictl.env"
	exec "$repo/scripts/lab/run.sh" --log-dir "$repo/build/bench" --timeout 9600 "$0"
fi
BENCH_SESSIONS=64 BENCH_ROUNDS=3 BENCH_SHAPES="target single"
# shellcheck disable=SC1091
[ -f "$LAB_REPO/build/bench/openiscsi-vs-iscsictl.env" ] && . "$LAB_REPO/build/bench/openiscsi-vs-iscsictl.env"
N=$BENCH_SESSIONS
T=$((N / 2))
P1=${LAB_PORTAL_IPS[0]}
MACS=(02:00:00:00:0f:00 02:00:00:00:0f:01)
EMPTY=$ICTL_DIR/empty.json
OI_SAVE=/tmp/bench-openiscsi-records
FIG=$ICTL_DIR/figures # "name ms" lines

step "setup: $T targets x 2 NICs = $N sessions, module loaded"
kmod_load
lab_veth_add ve0 "${MACS[0]}" 101
lab_veth_add ve1 "${MACS[1]}" 102
for ((i = 0; i < T; i++)); do
	lab_target_create --luns 1 --size 1 --portal "$P1:3260" "$LAB_IQN_PREFIX:bench$i" || fail "target $i"
done
t=""
for ((i = 0; i < T; i++)); do
	t="$t{\"name\": \"$LAB_IQN_PREFIX:bench$i\", \"portal\": {\"address\": \"$P1\"},
		\"sessions\": [{\"iface\": \"${MACS[0]}\"}, {\"iface\": \"${MACS[1]}\"}]},"
done
echo "{\"version\": 1, \"targets\": [${t%,}]}" >"$CONF"
echo '{"version": 1, "targets": []}' >"$EMPTY"
# open-iscsi's records: an iface per NIC bound by MAC, a node record per target and NIC.
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
for ((i = 0; i < T; i++)); do
	lab_node_new "$LAB_IQN_PREFIX:bench$i" "$P1:3260" if-ve0
	lab_node_new "$LAB_IQN_PREFIX:bench$i" "$P1:3260" if-ve1
done
mkdir -p "$OI_SAVE"
: >"$FIG"

now() { date +%s%N; }
# record NAME T0: the ms since T0 into the figures, and into the log at once (a run cut
# short still shows what it measured).
record() {
	local ms=$((($(now) - $2) / 1000000))
	echo "$1 $ms" >>"$FIG"
	echo "    BENCH $1 ${ms} ms"
}
sessions_are() { [ "$(lab_sessions_logged_in)" -eq "$1" ]; }
settle() { udevadm settle --timeout=60 || true; }
# The other tool's records out of the way (moved, not rewritten: iscsiadm costs ~0.3 s a call).
oi_records_away() { mv /etc/iscsi/nodes/* /etc/iscsi/ifaces/if-ve* "$OI_SAVE"/ 2>/dev/null || true; }
oi_records_back() {
	local f
	for f in "$OI_SAVE"/*; do
		case "$f" in */if-ve*) mv "$f" /etc/iscsi/ifaces/ ;; *) mv "$f" /etc/iscsi/nodes/ ;; esac
	done
}
# ictl_cycle SHAPE: bring-up and teardown by iscsictl with that batch shape.
ictl_cycle() {
	local t0
	t0=$(now)
	"$BIN" -c "$CONF" apply --batch "$1" >"$ICTL_DIR/up.log" 2>&1 || { tail -n 5 "$ICTL_DIR/up.log"; fail "apply ($1)"; }
	record "ictl_up_$1" "$t0"
	sessions_are "$N" || fail "apply ($1): $(lab_sessions_logged_in) of $N sessions"
	grep -c ' ok' "$ICTL_DIR/up.log" | sed "s/^/    apply --batch $1: ok lines: /"
	settle
	t0=$(now)
	"$BIN" -c "$EMPTY" apply --batch "$1" >"$ICTL_DIR/down.log" 2>&1 || { tail -n 5 "$ICTL_DIR/down.log"; fail "empty apply ($1)"; }
	record "ictl_down_$1" "$t0"
	sessions_are 0 || fail "empty apply ($1): $(lab_sessions_logged_in) sessions left"
	settle
}

SPY=$(ictl_spy)
for ((r = 1; r <= BENCH_ROUNDS; r++)); do
	step "round $r: open-iscsi --loginall / --logoutall"
	t0=$(now)
	iscsiadm -m node --loginall=all >/dev/null 2>&1 || fail "--loginall=all"
	record oi_up "$t0"
	sessions_are "$N" || fail "--loginall: $(lab_sessions_logged_in) of $N sessions"
	settle
	for k in 1 2 3; do
		t0=$(now)
		iscsiadm -m session -P 3 >/dev/null 2>&1
		record oi_status "$t0"
	done
	t0=$(now)
	iscsiadm -m node --logoutall=all >/dev/null 2>&1 || fail "--logoutall=all"
	record oi_down "$t0"
	sessions_are 0 || fail "--logoutall: $(lab_sessions_logged_in) sessions left"
	settle
	oi_records_away

	step "round $r: iscsictl apply (batch shape iface), no-op apply, status, empty apply"
	t0=$(now)
	"$BIN" -c "$CONF" apply >"$ICTL_DIR/up.log" 2>&1 || { tail -n 5 "$ICTL_DIR/up.log"; fail "apply"; }
	record ictl_up_iface "$t0"
	sessions_are "$N" || fail "apply: $(lab_sessions_logged_in) of $N sessions"
	grep -E '^iscsictl: login [0-9]+/' "$ICTL_DIR/up.log" | tail -n 1 | sed 's/^/    /'
	settle
	: >"$ICTL_DIR/spy.log"
	for k in 1 2 3; do
		t0=$(now)
		"$BIN" -c "$CONF" apply --iscsiadm "$SPY" >/dev/null 2>&1 || fail "no-op apply"
		record ictl_noop "$t0"
		t0=$(now)
		"$BIN" status --json >/dev/null 2>&1 || fail "status --json"
		record ictl_status "$t0"
		t0=$(now)
		/bin/true
		record floor "$t0"
	done
	assert_eq "iscsiadm started by a no-op apply" 0 "$(wc -l <"$ICTL_DIR/spy.log")"
	t0=$(now)
	"$BIN" -c "$EMPTY" apply >"$ICTL_DIR/down.log" 2>&1 || { tail -n 5 "$ICTL_DIR/down.log"; fail "empty apply"; }
	record ictl_down_iface "$t0"
	sessions_are 0 || fail "empty apply: $(lab_sessions_logged_in) sessions left"
	settle
	for shape in $BENCH_SHAPES; do
		step "round $r: iscsictl bring-up and teardown, batch shape $shape"
		ictl_cycle "$shape"
	done
	oi_records_back
done

# med NAME: median ms of NAME's figures.
med() { awk -v n="$1" '$1 == n { print $2 }' "$FIG" | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
sec() { awk -v a="$1" 'BEGIN { if (a == "-") print "-"; else printf "%.1f s", a / 1000 }'; }

step "figures (ms, every run)"
sort "$FIG" | awk '{ a[$1] = a[$1] " " $2 } END { for (k in a) print "    " k ":" a[k] }' | sort
up_oi=$(med oi_up) up_ic=$(med ictl_up_iface) dn_oi=$(med oi_down) dn_ic=$(med ictl_down_iface)
st_oi=$(med oi_status) st_ic=$(med ictl_status) noop=$(med ictl_noop) floor=$(med floor)
cat <<EOF
BENCH-TABLE sessions=$N rounds=$BENCH_ROUNDS
| work, $N sessions | open-iscsi | iscsictl | ratio (open-iscsi / iscsictl) |
|---|---|---|---|
| bring-up | \`--loginall=all\` $(sec "$up_oi") | \`apply\` from empty $(sec "$up_ic") | $(ratio "$up_oi" "$up_ic") |
| teardown | \`--logoutall=all\` $(sec "$dn_oi") | empty-config \`apply\` $(sec "$dn_ic") | $(ratio "$dn_oi" "$dn_ic") |
| nothing to do | - | \`apply\` $noop ms (\`/bin/true\` $floor ms) | $(ratio "$noop" "$st_ic") \`status --json\` |
| status | \`-P 3\` $st_oi ms | \`status --json\` $st_ic ms | $(ratio "$st_oi" "$st_ic") |

| iscsictl batch shape | bring-up | teardown |
|---|---|---|
EOF
for shape in iface $BENCH_SHAPES; do
	echo "| $shape | $(sec "$(med "ictl_up_$shape")") | $(sec "$(med "ictl_down_$shape")") |"
done
