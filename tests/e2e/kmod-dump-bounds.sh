# kmod dump bounds (issue 14, items 10-12): what an unprivileged dump may cost and see.
# (12) A session of 192 LUNs does not fit one 4 KiB message: it continues in further
# messages (IIA_A_SESSION_PART) and every LUN arrives exactly once, NLMSG_DONE carrying 0.
# (11) hba_serial is 0400 in sysfs (nobody cannot read it) and absent from nobody's dump,
# present in root's. (10) A dump held up on purpose (dump_delay_ms: the callback sleeps
# after each object) does not delay a logout: the module holds no lock across a callback.
# No SCSI driver binds the LUNs (drivers_autoprobe of the scsi bus is off while the scenario
# runs): the dump reports SCSI devices, which need no sd disk, and sd's probe of every LUN
# (capacity, partition table) and udev's work on the block devices cost minutes under TCG.
# Uses tests/e2e/lib/nl_dump.py (the raw netlink ABI, independent of iscsictl).
# lab-timeout: 900
# lab-kernels: e2e-kernels
# (the other kernels run it in make e2e-kernels; make test runs it on the main kernel only:
# its LUNs cost 90-160 s a kernel under TCG)
DUMP="python3 $LAB_REPO/tests/e2e/lib/nl_dump.py"
BIN=$LAB_REPO/build/iscsictl
IQN=$LAB_IQN_PREFIX:kmodbig
IQN2=$LAB_IQN_PREFIX:kmodsmall
P1=${LAB_PORTAL_IPS[0]}
# 192 LUNs: about 6 KiB of devices (32 bytes each), so the session spans 2 messages of the
# 4 KiB a dump with a 4 KiB receive buffer gets (NLMSG_GOODSIZE for the first).
LUNS=${KMOD_BIG_LUNS:-192}
HOLD_MS=4000

# udev's rules run several programs per SCSI disk (sg_inq, scsi_id, multipath -u): under TCG
# that is 4-5 minutes of the only vCPU for the big session's disks (measured), which nothing
# here needs (the module and the dump read sysfs). Those rule files are masked (a same-named
# link to /dev/null in /run/udev/rules.d) while the scenario runs.
masked=()
mkdir -p /run/udev/rules.d
for r in 55-scsi-sg3_id 58-scsi-sg3_symlink 60-multipath 60-persistent-storage; do
	[ -e "/run/udev/rules.d/$r.rules" ] && continue
	ln -s /dev/null "/run/udev/rules.d/$r.rules" && masked+=("/run/udev/rules.d/$r.rules")
done
udevadm control --reload
echo 0 >/sys/bus/scsi/drivers_autoprobe
trap 'echo 1 >/sys/bus/scsi/drivers_autoprobe; rm -f "${masked[@]}"; udevadm control --reload' EXIT

# load: what else runs (the timings below are only meaningful on a quiet guest).
load() {
	local q=busy
	udevadm settle --timeout=0 2>/dev/null && q=empty
	echo "load: $(cut -d' ' -f1-3 /proc/loadavg), udev queue $q; top: $(ps -eo pcpu=,comm= --sort=-pcpu | head -n3 | tr -s ' ' | tr '\n' ',')"
}
secs_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'; }

step "target with $LUNS LUNs on ve0; a one-LUN target on ve1 and on an e1000e"
lab_target_create --luns "$LUNS" --size 1 --backstore fileio --portal "$P1:3260" "$IQN"
lab_target_create --luns 1 --portal "$P1:3260" "$IQN2"
lab_veth_add ve0 02:00:00:00:0c:00 101
lab_veth_add ve1 02:00:00:00:0c:01 102
e0=$(lab_e1000e_up 0 103)
lab_wait_carrier "$e0"
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
lab_iface_bind "if-$e0" "$e0"
lab_node_new "$IQN" "$P1:3260" if-ve0
lab_node_new "$IQN2" "$P1:3260" if-ve1
lab_node_new "$IQN2" "$P1:3260" "if-$e0"
t0=$(date +%s)
lab_login_all
assert_eq "sessions LOGGED_IN" 3 "$(lab_sessions_logged_in)"
big=
for sid in $(kmod_sids); do
	[ "$(cat "/sys/class/iscsi_session/session$sid/targetname")" = "$IQN" ] && big=$sid
done
# (a glob, no process per poll: forks would compete with the scan for the vCPU)
all_luns() {
	local l=(/sys/class/iscsi_session/session$big/device/target*/*:*:*:*)
	[ -e "${l[0]}" ] && [ "${#l[@]}" -eq "$LUNS" ]
}
wait_for 600 "$LUNS LUNs of session $big" all_luns
echo "login and scan of $LUNS LUNs: $(($(date +%s) - t0)) s"
load
t0=$(date +%s.%N)
udevadm settle --timeout=600 || fail "udev did not settle"
echo "udev settled in $(secs_since "$t0") s"
load
kmod_load

step "(12) the $LUNS-LUN session spans messages; every LUN once; DONE carries 0"
t0=$(date +%s.%N)
$DUMP --bufsize 4096 >/tmp/big.jsonl || fail "dump failed: $(tail -n1 /tmp/big.jsonl)"
echo "dump with 4 KiB messages: $(secs_since "$t0") s"
assert_eq "dump end" '{"done": 0}' "$(tail -n1 /tmp/big.jsonl)"
parts=$(jq -c "select(.session.sid == $big)" /tmp/big.jsonl | wc -l)
echo "session $big: $parts messages"
[ "$parts" -ge 2 ] || fail "session $big fit one message: the test does not exercise splitting"
assert_eq "first part has no part number" null \
	"$(jq -c "select(.session.sid == $big)" /tmp/big.jsonl | head -n1 | jq .session.session_part)"
assert_eq "part numbers" "$(seq -s' ' 1 $((parts - 1)))" \
	"$(jq -r "select(.session.sid == $big and .session.session_part) | .session.session_part" /tmp/big.jsonl | tr '\n' ' ' | sed 's/ $//')"
jq -r "select(.session.sid == $big) | .session.devs[].dev_hctl" /tmp/big.jsonl | sort >/tmp/big-nl.txt
for d in /sys/class/iscsi_session/session$big/device/target*/*:*:*:*; do echo "${d##*/}"; done | sort >/tmp/big-sysfs.txt
assert_eq "LUNs in the dump (with duplicates)" "$LUNS" "$(wc -l </tmp/big-nl.txt)"
assert_eq "LUNs in the dump vs sysfs" "$(cat /tmp/big-sysfs.txt)" "$(cat /tmp/big-nl.txt)"
assert_eq "sessions in the dump" 3 "$(jq -c 'select(.session and (.session.session_part | not))' /tmp/big.jsonl | wc -l)"
su -s /bin/sh nobody -c "$DUMP --bufsize 4096" >/tmp/big-nobody.jsonl || fail "nobody's dump failed"
assert_eq "nobody's dump end" '{"done": 0}' "$(tail -n1 /tmp/big-nobody.jsonl)"

step "(12) iscsictl status: the parts make one session with every LUN (root and nobody)"
for who in root nobody; do
	su -s /bin/sh "$who" -c "$BIN status --json --netlink --no-config" >"/tmp/big-status-$who.json" ||
		fail "$who's status --netlink failed"
	assert_eq "$who's status: read from" netlink "$(jq -r .live_source "/tmp/big-status-$who.json")"
	assert_eq "$who's status: sessions" 3 "$(jq '[.targets[].portals[].sessions[]] | length' "/tmp/big-status-$who.json")"
	assert_eq "$who's status: disks of session $big" "$LUNS" \
		"$(jq "[.targets[].portals[].sessions[] | select(.sid == $big) | .disks[]] | length" "/tmp/big-status-$who.json")"
done
assert_eq "nobody's status: serial numbers" "" \
	"$(jq -r '.targets[].portals[].sessions[].nic.serial // empty' /tmp/big-status-nobody.json)"

step "(11) hba_serial: 0400, unreadable for nobody, not in nobody's dump"
h=$(ls -d /sys/class/iscsi_host/host* | while read -r d; do
	[ -n "$(cat "$d/hba_serial")" ] && echo "$d"; done | head -n1)
[ -n "$h" ] || fail "no host with a serial (the e1000e session)"
serial=$(cat "$h/hba_serial")
assert_eq "hba_serial mode" 400 "$(stat -c %a "$h/hba_serial")"
if su -s /bin/sh nobody -c "cat $h/hba_serial" >/dev/null 2>&1; then
	fail "nobody can read $h/hba_serial"
fi
hn=${h##*host}
assert_eq "root's dump: hba_serial of host $hn" "$serial" \
	"$(jq -r "select(.host.host_no == $hn) | .host.hba_serial" /tmp/big.jsonl)"
assert_eq "nobody's dump: hba_serial of host $hn" null \
	"$(jq -r "select(.host.host_no == $hn) | .host.hba_serial" /tmp/big-nobody.jsonl)"
assert_eq "nobody's dump: hba_hwaddr of host $hn" "$(jq -r "select(.host.host_no == $hn) | .host.hba_hwaddr" /tmp/big.jsonl)" \
	"$(jq -r "select(.host.host_no == $hn) | .host.hba_hwaddr" /tmp/big-nobody.jsonl)"

step "(10) a dump held up $((HOLD_MS / 1000)) s after each object does not hold up a logout"
load
echo 1 >"/sys/module/$KMOD/parameters/dump_batch"
echo "$HOLD_MS" >"/sys/module/$KMOD/parameters/dump_delay_ms"
su -s /bin/sh nobody -c "$DUMP" >/tmp/slow-nobody.jsonl 2>&1 &
dumper=$!
# The logout starts at the beginning of a hold, so that a module holding a lock across the
# callback delays it by most of the hold: a recv that returns message k first runs the
# callback of message k+1, so each line nl_dump.py prints is followed at once by the next
# recv and the 8 s callback of the message after (the first line comes after two holds).
wait_for 60 "the slow dump's first message" test -s /tmp/slow-nobody.jsonl
kill -0 "$dumper" || fail "the slow dump ended early: $(cat /tmp/slow-nobody.jsonl)"
t0=$(date +%s.%N)
iscsiadm -m node -T "$IQN2" -p "$P1:3260" -I if-ve1 -u >/dev/null || fail "logout"
secs=$(secs_since "$t0")
echo "logout during the held-up dump: ${secs} s"
awk -v s="$secs" -v h="$HOLD_MS" 'BEGIN { exit !(s < h / 2000) }' ||
	fail "logout took ${secs} s beside a dump held up $((HOLD_MS / 1000)) s per object"
kill -0 "$dumper" || fail "the slow dump ended before the logout was measured"
echo 0 >"/sys/module/$KMOD/parameters/dump_delay_ms"
wait "$dumper" || fail "the slow dump failed: $(tail -n1 /tmp/slow-nobody.jsonl)"
assert_eq "slow dump end" '{"done": 0}' "$(tail -n1 /tmp/slow-nobody.jsonl)"
echo 0 >"/sys/module/$KMOD/parameters/dump_batch"

kmod_counters_check
assert_eq "module refcount" 0 "$(kmod_refcnt)"
kmod_unload
