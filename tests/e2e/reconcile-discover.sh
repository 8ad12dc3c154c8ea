# lab-timeout: 200
# iscsictl discover (issue 6): SendTargets through one NIC (-I) and through an iSCSI host
# (-H hostN, the request's `-h host#`; a software host is the NIC its connection uses, which
# the module reports). The output is a config that validates, names the NIC, and no node
# record is written (open-iscsi would write one per NIC x portal).
lab_target_create --luns 0 "$LAB_IQN_PREFIX:d0"
lab_target_create --luns 0 "$LAB_IQN_PREFIX:d1"
topo_veths 1
MAC=${TOPO_MACS[0]}
cfg_begin
cfg_write

step "discover -p $P1 -I ve0"
"$BIN" -c "$CONF" discover -p "$P1" -I ve0 >"$ICTL_DIR/snippet.json" 2>"$ICTL_DIR/err" || fail "discover: $(cat "$ICTL_DIR/err")"
cat "$ICTL_DIR/snippet.json" "$ICTL_DIR/err"
assert_eq "targets" "$LAB_IQN_PREFIX:d0 $LAB_IQN_PREFIX:d1" "$(jq -r '[.targets[].name] | sort | join(" ")' "$ICTL_DIR/snippet.json")"
assert_eq "session iface" "$MAC" "$(jq -r '[.targets[].sessions[0].iface] | unique | join(" ")' "$ICTL_DIR/snippet.json")"
"$BIN" validate "$ICTL_DIR/snippet.json" || fail "the snippet does not validate"
[ -z "$(ls /etc/iscsi/nodes 2>/dev/null)" ] || fail "discovery wrote node records: $(find /etc/iscsi/nodes)"

step "the snippet as config: apply logs in through ve0; discover -H through its host"
cp "$ICTL_DIR/snippet.json" "$CONF"
ictl_expect 0 apply
assert_eq "sessions" 2 "$(ictl_sessions | grep -c "$(ictl_iface_of_mac "$MAC") .* LOGGED_IN")"
kmod_load
sid=$(ictl_sessions | awk 'NR == 1 { print $1 }')
host=$(basename "$(kmod_host_of "$sid")")
"$BIN" -c "$CONF" discover -p "$P1" -H "$host" >"$ICTL_DIR/snippet2.json" 2>"$ICTL_DIR/err" || fail "discover -H: $(cat "$ICTL_DIR/err")"
cat "$ICTL_DIR/err"
assert_eq "same snippet through $host" "$(jq -S . "$ICTL_DIR/snippet.json")" "$(jq -S . "$ICTL_DIR/snippet2.json")"
ictl_expect 2 discover -p "$P1" -H host999
ictl_log_has "no such iSCSI host"
ictl_expect 2 discover -p "$P1" -I nosuch0
