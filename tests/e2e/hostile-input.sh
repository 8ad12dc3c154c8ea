# lab-timeout: 180
# Hostile input and local users (issue 14), as root on the real /etc/iscsi:
# - `apply` of a config whose target name holds "../" segments, and of one whose inline CHAP
#   password holds a newline (a forged record line), both exit 2 and write nothing at all:
#   no file or directory under /etc/iscsi, /tmp, /run/lock or /var/lib/iscsi changes (the
#   lock in /run/iscsictl, which apply takes before it reads the config, is all it touches);
# - `nobody`, having created and flocked the old lock /run/lock/iscsictl.lock and planted
#   files under /run/lock and /tmp before root's first run, does not delay `apply` (the lock
#   is /run/iscsictl/iscsictl.lock, 0700); root's /run/iscsictl is created 0700;
# - a config naming a NIC that is not on the host: `plan` notes it (`absent`, "converged":
#   false) and `apply` exits 3 (blocked) without running iscsiadm: nothing logged in or out;
# - with the module loaded, hba_serial is 0400 and unreadable for nobody.
[ -x "$BIN" ] || fail "$BIN not built (make userspace)"
T=$LAB_IQN_PREFIX:hostile
NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

step "a target, one NIC"
lab_target_create --luns 0 "$T"
topo_veths 1
MAC=${TOPO_MACS[0]}
mkdir -p /etc/iscsi/nodes /var/lib/iscsi
mkdir -p -m 700 /run/iscsictl

# changed_since MARK: every path under the trees a write could reach that changed after MARK
# (creating or removing an entry changes its directory too), iscsictl's own log excepted.
changed_since() {
	find /etc/iscsi /tmp /run/lock /var/lib/iscsi -xdev -newer "$1" \
		! -path "$ICTL_DIR" ! -path "$ICTL_DIR/*" 2>/dev/null | sort
}

hostile_apply() {
	local what=$1 changed
	touch "$ICTL_DIR/mark"
	sleep 1  # -newer compares whole seconds on some file systems
	ictl_expect 2 apply
	changed=$(changed_since "$ICTL_DIR/mark")
	[ -z "$changed" ] || fail "$what: apply changed $(echo "$changed" | tr '\n' ' ')"
	[ ! -e /tmp/hostile-x ] || fail "$what: /tmp/hostile-x was written"
	assert_eq "$what: sessions" 0 "$(lab_sessions_logged_in)"
}

step "(1) a target name with ../ segments: exit 2, nothing written"
cfg_begin "$CFG_LOGIN5"
cfg_target "iqn.2003-01.org.x:../../../../tmp/hostile-x" "$P1" "$MAC"
cfg_write
hostile_apply "../ in the target name"
ictl_log_has "/targets/0/name"

step "(2) a newline in the CHAP password: exit 2, nothing written, no secret in the output"
cfg_begin "$CFG_LOGIN5"
cfg_target -m '"session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", "password": "Pw9hostile\nnode.startup = automatic"}}' \
	"$T" "$P1" "$MAC"
(umask 077 && cfg_write)
hostile_apply "newline in the password"
ictl_log_has "control character"
! grep -q "Pw9hostile" "$ICTL_DIR/last.log" || fail "the password appears in apply's output"

step "(4) nobody holds the old lock and plants files under /run/lock and /tmp: apply is not delayed"
rm -rf /run/iscsictl /run/lock/iscsictl.lock
# Debian's /run/lock is world-writable (1777); the lab guest's need not be.
chmod 1777 /run/lock
"${NOBODY[@]}" sh -c 'touch /run/lock/iscsictl /tmp/iscsictl.lock; mkdir -p /tmp/iscsictl' ||
	fail "nobody cannot plant files"
"${NOBODY[@]}" flock -o /run/lock/iscsictl.lock sleep 120 & # -o: the lock goes with flock
HOLDER=$!
# Also on failure: a holder left running would hold the old lock over the next scenarios.
trap 'kill "$HOLDER" 2>/dev/null || :; rm -f /run/lock/iscsictl.lock' EXIT
# (Only once nobody's flock made the file: root's flock would create it as root.)
old_lock_held() { [ -e /run/lock/iscsictl.lock ] && ! flock -n /run/lock/iscsictl.lock true; }
wait_for 10 "nobody holds /run/lock/iscsictl.lock" old_lock_held
assert_eq "the old lock belongs to nobody" nobody "$(stat -c %U /run/lock/iscsictl.lock)"
cfg_begin "$CFG_LOGIN5"
cfg_target "$T" "$P1" "$MAC"
cfg_write
t0=$(date +%s)
rc=0
timeout 90 "$BIN" -c "$CONF" apply >"$ICTL_DIR/last.log" 2>&1 || rc=$?
sed 's/^/    | /' "$ICTL_DIR/last.log"
echo "apply took $(($(date +%s) - t0)) s with nobody holding the old lock"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null || :
assert_eq "apply exit (124: it waited on nobody's lock)" 0 "$rc"
assert_eq "sessions" 1 "$(lab_sessions_logged_in)"
assert_eq "/run/iscsictl mode and owner" "700 root" "$(stat -c '%a %U' /run/iscsictl)"
assert_eq "lock file mode and owner" "600 root" "$(stat -c '%a %U' /run/iscsictl/iscsictl.lock)"
rm -rf /run/lock/iscsictl /tmp/iscsictl.lock /tmp/iscsictl /run/lock/iscsictl.lock

step "(6) a config naming a NIC that is not here: a plan note, not converged, apply exit 3, nothing logged in or out"
IF=$(ictl_iface_of_mac "$MAC")
SID=$(ictl_sid "$IF")
[ -n "$SID" ] || fail "no session through $IF before (6)"
cfg_begin "$CFG_LOGIN5"
cfg_target "$T" "$P1" "$MAC" 02:00:00:00:99:99
cfg_write
ictl_expect 0 plan --json
ictl_log_has '"converged": false'
ictl_log_has '"note": "absent"'
SPY=$(ictl_spy)
ictl_expect 3 apply --iscsiadm "$SPY"
ictl_log_has "iscsictl: absent: "
assert_eq "iscsiadm calls by apply" "" "$(cat "$ICTL_DIR/spy.log")"
assert_eq "sessions" 1 "$(lab_sessions_logged_in)"
assert_eq "the session through $IF" "$SID" "$(ictl_sid "$IF")"

step "(11) hba_serial: 0400 and unreadable for nobody"
kmod_loaded || kmod_load
n=0
for f in /sys/class/iscsi_host/host*/hba_serial; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	assert_eq "$f mode" 400 "$(stat -c %a "$f")"
	if "${NOBODY[@]}" cat "$f" >/dev/null 2>&1; then
		fail "nobody can read $f"
	fi
done
[ "$n" -ge 1 ] || fail "no iscsi host with hba_serial (module not bound to the session's host?)"
ictl_expect 0 logout -T "$T"
kmod_unload
