# lab-timeout: 300
# CHAP through iscsictl (issue 6): one-way CHAP (secret in a 0600 file) and mutual CHAP
# (inline secrets) against LIO, 2 veth NICs each. While apply runs, a sampler reads every
# /proc/*/cmdline and /proc/*/environ: no secret may appear there, nor in iscsictl's output,
# plan --json, status, or any record file that is not mode 0600. A wrong secret fails the
# login with the reason, and the other sessions still come up.
ONE=$LAB_IQN_PREFIX:chap1
MUT=$LAB_IQN_PREFIX:chapm
BAD=$LAB_IQN_PREFIX:chapbad
S1=Xy7secretOneWay42
SI=Zq9secretMutualIn
SO=Wr3secretMutualOut
SB=Vb5secretBadWrong8

step "targets: one-way, mutual, and one the config has the wrong secret for"
lab_target_create --luns 1 --chap "u1:$S1" "$ONE"
lab_target_create --luns 1 --chap "um:$SO" --mutual "tm:$SI" "$MUT"
lab_target_create --luns 0 --chap "ub:Vb5secretRightOne" "$BAD"
topo_veths 2
MACS=("${TOPO_MACS[@]:0:2}")
mkdir -p "$ICTL_DIR/secrets" && chmod 700 "$ICTL_DIR/secrets"
printf '%s\n' "$S1" >"$ICTL_DIR/secrets/one" && chmod 600 "$ICTL_DIR/secrets/one"
auth() { echo "\"session_defaults\": {\"auth\": {\"authmethod\": \"CHAP\", $1}}"; }
cfg_begin "\"conn_defaults\": {\"address\": \"$P1\", \"timeo\": {\"login_timeout\": 5}}" \
	'"session_defaults": {"initial_login_retry_max": 1}'
cfg_target -m "$(auth "\"username\": \"u1\", \"password_file\": \"$ICTL_DIR/secrets/one\"")" \
	"$ONE" - "${MACS[0]}" "${MACS[1]}"
cfg_target -m "$(auth "\"username\": \"um\", \"password\": \"$SO\", \"username_in\": \"tm\", \"password_in\": \"$SI\"")" \
	"$MUT" - "${MACS[0]}" "${MACS[1]}"
cfg_target -m "$(auth "\"username\": \"ub\", \"password\": \"$SB\"")" "$BAD" - "${MACS[0]}"
(umask 077 && cfg_write)
chmod 600 "$CONF"

# sampler: until $ICTL_DIR/stop exists, scan every process's argv and environment (python:
# no fork per file, so a scan of /proc takes milliseconds, not seconds, under TCG).
rm -f "$ICTL_DIR/stop" "$ICTL_DIR/seen" "$ICTL_DIR/scans"
python3 - "$ICTL_DIR" "$S1" "$SI" "$SO" "$SB" <<'PY' &
import os, sys
d, secrets = sys.argv[1], [s.encode() for s in sys.argv[2:]]
scans, seen = 0, []
while not os.path.exists(d + "/stop"):
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        for f in ("cmdline", "environ"):
            try:
                data = open(f"/proc/{pid}/{f}", "rb").read()
            except OSError:
                continue
            seen += [f"{pid}/{f}" for s in secrets if s in data]
    scans += 1
open(d + "/scans", "w").write(str(scans))
open(d + "/seen", "w").write("\n".join(seen))
PY
SAMPLER=$!
# The sampler's own argv holds the secrets; it skips itself, and nothing else may show them.
sleep 0.5

step "apply: 4 sessions with CHAP, the wrong secret fails with its reason"
ictl_expect 1 apply -j 2
touch "$ICTL_DIR/stop"
wait "$SAMPLER"
echo "sampler: $(cat "$ICTL_DIR/scans") scans of /proc during apply"
[ "$(cat "$ICTL_DIR/scans")" -ge 2 ] || fail "the sampler did not run during apply"
[ ! -s "$ICTL_DIR/seen" ] || fail "a secret was visible in /proc: $(cat "$ICTL_DIR/seen")"
ictl_log_has "partial failure: 1 of"
ictl_log_has "login $BAD,$P1:3260,1 via $(ictl_iface_of_mac "${MACS[0]}"): exit 24"
ictl_sessions
assert_eq "CHAP sessions LOGGED_IN" 4 "$(ictl_sessions | grep -c LOGGED_IN)"
ictl_no_duplicates
cp "$ICTL_DIR/last.log" "$ICTL_DIR/apply.log"

step "no secret in output, plan, status; records 0600"
ictl_expect 0 plan --json
cat "$ICTL_DIR/last.log" >>"$ICTL_DIR/apply.log"
ictl_expect 0 plan
cat "$ICTL_DIR/last.log" >>"$ICTL_DIR/apply.log"
ictl_expect 0 status --json
cat "$ICTL_DIR/last.log" >>"$ICTL_DIR/apply.log"
ictl_expect 0 validate --resolved
cat "$ICTL_DIR/last.log" >>"$ICTL_DIR/apply.log"
if grep -F -e "$S1" -e "$SI" -e "$SO" -e "$SB" "$ICTL_DIR/apply.log"; then
	fail "a secret in iscsictl's output"
fi
n=0
for f in $(find /etc/iscsi/nodes /etc/iscsi/ifaces -type f); do
	assert_eq "mode of $f" 600 "$(stat -c %a "$f")"
	n=$((n + 1))
done
echo "$n record files, all 0600"
grep -q "node.session.auth.password_in = $SI" "/etc/iscsi/nodes/$MUT/$P1,3260,1/$(ictl_iface_of_mac "${MACS[0]}")" ||
	fail "mutual CHAP secret not in the node record"

step "apply again: the bad one is retried (and fails), the others stay"
ictl_expect 1 apply
assert_eq "CHAP sessions LOGGED_IN" 4 "$(ictl_sessions | grep -c LOGGED_IN)"
