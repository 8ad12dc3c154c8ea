# lab-timeout: 240
# An IPv6 portal end to end (issue 13): LIO listens on [fd00:33::10]:3260 in the target
# namespace, one veth NIC has fd00:33::101. discover, plan --json, apply, status (text and
# JSON), record IDs, the record on disk and open-iscsi's own view of it, apply again,
# logout/login: the address is bracketed wherever open-iscsi takes address and port
# together (iscsiadm -p, its session and node listings, plan's portal, status' portal line)
# and bare where a comma follows it (the record's directory, node.conn[0].address, record
# IDs) or it stands alone (config, JSON addresses).
IQN=$LAB_IQN_PREFIX:v6
V6=fd00:33::10
MAC=02:00:00:00:0e:06
IFACE=$(ictl_iface_of_mac "$MAC")

step "IPv6 on the target's bridge and on ve6; LIO listening on [$V6]:3260"
trap 'tgt_exec ip -6 addr del "$V6/64" dev br0 2>/dev/null' EXIT
tgt_exec ip -6 addr replace "$V6/64" dev br0 nodad || fail "no IPv6 address on br0"
lab_target_create --luns 1 --portal "[$V6]:3260" "$IQN" || fail "LIO does not listen on [$V6]:3260"
lab_veth_add ve6 "$MAC" 106
ip -6 addr add fd00:33::101/64 dev ve6 nodad || fail "no IPv6 address on ve6"
# v6_reaches: a TCP connection from ve6 to LIO's IPv6 portal (the lab has socat, not ping).
v6_reaches() { socat -u OPEN:/dev/null "TCP6:[$V6]:3260,so-bindtodevice=ve6,connect-timeout=1"; }
wait_for 15 "ve6 reaches [$V6]:3260" v6_reaches
kmod_load

step "discover -p [$V6] -I ve6: the target, its portal bare in the snippet"
"$BIN" -c "$CONF" discover -p "[$V6]" -I ve6 >"$ICTL_DIR/snippet.json" 2>"$ICTL_DIR/err" ||
	fail "discover: $(cat "$ICTL_DIR/err")"
cat "$ICTL_DIR/snippet.json" "$ICTL_DIR/err"
assert_eq "discovered" "$IQN $V6 3260 $MAC" \
	"$(jq -r '.targets[] | "\(.name) \(.portal.address) \(.portal.port) \(.sessions[0].iface)"' "$ICTL_DIR/snippet.json")"
grep -qF "at [$V6]:3260 through $IFACE" "$ICTL_DIR/err" || fail "discover's summary lacks [$V6]:3260"
cp "$ICTL_DIR/snippet.json" "$CONF"
"$BIN" validate "$CONF" || fail "the snippet does not validate"

step "plan --json: portals as [address]:port"
ictl_expect 0 plan --json
assert_eq "planned" "write-node [$V6]:3260 login [$V6]:3260" \
	"$(jq -r '[.actions[] | select(.target) | "\(.action) \(.portal)"] | join(" ")' "$ICTL_DIR/last.log")"

step "apply: one session to [$V6]:3260 through ve6"
ictl_expect 0 apply
ictl_sessions
assert_eq "sessions" "$IFACE $IQN $V6:3260 LOGGED_IN" "$(ictl_sessions | awk '{ print $2, $3, $4, $5 }')"
SID=$(ictl_sid "$IFACE")
assert_eq "the socket's NIC (module)" ve6 "$(cat "$(kmod_conn_of "$SID")/iface")"

step "the record: open-iscsi's layout, and open-iscsi reads it"
rec=/etc/iscsi/nodes/$IQN/$V6,3260,1/$IFACE
[ -f "$rec" ] || fail "no record at $rec: $(find /etc/iscsi/nodes)"
assert_eq "node.conn[0].address" "node.conn[0].address = $V6" "$(grep '^node.conn\[0\].address' "$rec")"
iscsiadm -m node | tee "$ICTL_DIR/nodes"
grep -qxF "[$V6]:3260,1 $IQN" "$ICTL_DIR/nodes" || fail "iscsiadm -m node does not list [$V6]:3260,1"
iscsiadm -m session | tee "$ICTL_DIR/iscsiadm-sessions"
grep -qF "[$V6]:3260,1 $IQN" "$ICTL_DIR/iscsiadm-sessions" || fail "iscsiadm -m session lacks [$V6]:3260,1"

step "status: portal line bracketed, JSON address bare, record ID as the request spells it"
ictl_expect 0 status
ictl_log_has "portal [$V6]:3260"
ictl_log_has "id $IQN,$V6,3260,sw,eth,$MAC"
ictl_expect 0 status --json
s='.targets[0].portals[0]'
assert_eq "JSON portal" "$V6 3260" "$(jq -r "$s | \"\(.address) \(.port)\"" "$ICTL_DIR/last.log")"
assert_eq "JSON session" "configured LOGGED_IN $IQN,$V6,3260,sw,eth,$MAC ve6 module true" \
	"$(jq -r "$s.sessions[0] | \"\(.presence) \(.state) \(.record_id) \(.nic.netdev) \(.nic.source) \(.nic.verified)\"" "$ICTL_DIR/last.log")"
assert_eq "JSON connection" "$V6 3260" \
	"$(jq -r "$s.sessions[0].connections[0] | \"\(.persistent_address) \(.persistent_port)\"" "$ICTL_DIR/last.log")"

step "apply again: converged (the address compares canonically), no iscsiadm"
spy=$(ictl_spy)
ictl_expect 0 apply --iscsiadm "$spy"
ictl_log_has "converged, nothing to do"
assert_eq "iscsiadm calls" "" "$(cat "$ICTL_DIR/spy.log")"

step "logout and login -p [$V6] -I ve6: iscsiadm gets [$V6]:3260,1"
ictl_expect 0 logout -T "$IQN" -p "[$V6]" -I ve6 --iscsiadm "$spy"
assert_eq "sessions after logout" "" "$(ictl_sessions)"
[ -f "$rec" ] || fail "logout deleted the record"
ictl_expect 0 login -T "$IQN" -p "[$V6]:3260" -I ve6 --iscsiadm "$spy"
grep -qF -- "-p [$V6]:3260,1 -I $IFACE --login" "$ICTL_DIR/spy.log" || fail "login argv: $(cat "$ICTL_DIR/spy.log")"
assert_eq "sessions after login" "$IFACE LOGGED_IN" "$(ictl_sessions | awk '{ print $2, $5 }')"
