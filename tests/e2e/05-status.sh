# iscsictl status (issue 5): 2 veth NICs x 2 portals logged in by plain iscsiadm.
# `status --json` lists exactly the 4 sessions with the right NIC, MAC, record ID, state,
# sdX and the negotiated parameters LIO was configured for; verified with the module
# loaded, the same sessions unverified without it; a session whose portal went away shows
# FAILED; with a config, the sessions show as configured or missing. The sysfs reader
# agrees with the netlink dump; `-m session -i` prints what `status` prints; `nics` lists
# the NICs.
[ -x "$BIN" ] || fail "$BIN not built (make userspace)"
IQN=$LAB_IQN_PREFIX:status

step "target on $P1 and $P2 (InitialR2T=Yes ImmediateData=No FirstBurst 128k MaxBurst 512k)"
topo_two_path_iscsiadm --luns 1 --attr InitialR2T=Yes --attr ImmediateData=No \
	--attr FirstBurstLength=131072 --attr MaxBurstLength=524288 "$IQN"
declare -A mac_of=([ve0]=${TOPO_MACS[0]} [ve1]=${TOPO_MACS[1]})
lab_login_all
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"
lab_wait_disks 4

# session_fields JSON: one line per session "sid|state|netdev|mac|verified|source|record_id|
# disks|initial_r2t|immediate_data|first_burst|max_burst" (one jq for all: jq is slow under TCG).
session_fields() {
	jq -r '.targets[].portals[].sessions[] |
		[.sid, .state, .nic.netdev, .nic.mac, .nic.verified, .nic.source, .record_id,
		 ([.disks[].name] | join(" ")), .params.initial_r2t, .params.immediate_data,
		 .params.first_burst_length, .params.max_burst_length] |
		map(if . == null then "" else tostring end) | join("|")' <<<"$1"
}

# check_status VERIFIED SOURCE [FAILED_PORTAL]
check_status() {
	local verified=$1 source=$2 failed=${3:-} json sid dev portal disk state line
	local j_state j_netdev j_mac j_verified j_source j_id j_disks j_ir2t j_imm j_fbl j_mbl
	local -A fields_of disk_of
	json=$("$BIN" status --json --no-config) || fail "status --json failed"
	assert_eq "sessions, targets, portals" "4|$IQN|$P1 $P2" "$(jq -r '[([.targets[].portals[].sessions[]] | length),
		([.targets[].name] | join(" ")), ([.targets[].portals[].address] | join(" "))] | map(tostring) | join("|")' <<<"$json")"
	while IFS= read -r line; do fields_of[${line%%|*}]=${line#*|}; done <<<"$(session_fields "$json")"
	while read -r disk sid; do disk_of[${sid#session}]=${disk#/dev/}; done <<<"$(lab_iscsi_disks)"
	for sid in $(kmod_sids); do
		read -r dev <"/sys/class/iscsi_session/session$sid/ifacename"
		dev=${dev#if-}
		read -r portal <"$(kmod_conn_of "$sid")/persistent_address"
		disk=${disk_of[$sid]:-}
		IFS='|' read -r j_state j_netdev j_mac j_verified j_source j_id j_disks j_ir2t j_imm j_fbl j_mbl \
			<<<"${fields_of[$sid]:-}"
		state=LOGGED_IN
		if [ "$portal" = "$failed" ]; then
			# FAILED, or FREE once the replacement timeout has expired.
			state=$j_state
			case "$state" in FAILED | FREE) ;; *) fail "session $sid state: expected FAILED or FREE, got '$state'" ;; esac
		fi
		echo "session $sid: $dev $portal $disk $state"
		assert_eq "session $sid state" "$state" "$j_state"
		assert_eq "session $sid netdev" "$dev" "$j_netdev"
		assert_eq "session $sid MAC" "${mac_of[$dev]}" "$j_mac"
		if [ "$state" != LOGGED_IN ]; then
			assert_eq "session $sid verified" false "$j_verified"
		else
			assert_eq "session $sid verified" "$verified" "$j_verified"
			assert_eq "session $sid source" "$source" "$j_source"
		fi
		assert_eq "session $sid record ID" "$IQN,$portal,3260,sw,eth,${mac_of[$dev]}" "$j_id"
		assert_eq "session $sid disk" "$disk" "$j_disks"
		[ "$state" = LOGGED_IN ] || continue
		# What the target was configured for (InitialR2T=Yes, ImmediateData=No, 128k, 512k).
		assert_eq "session $sid negotiated" "true false 131072 524288" "$j_ir2t $j_imm $j_fbl $j_mbl"
	done
	# Steady state: the sysfs reader sees exactly what the default one (the module's netlink
	# dump when it is loaded) sees.
	if [ -z "$failed" ]; then
		sysfs_json=$("$BIN" status --json --no-config --sysfs) || fail "status --sysfs failed"
		# Apart from where it came from (live_source), the same state.
		jq 'del(.live_source)' <<<"$json" >/tmp/st-default.cmp
		jq 'del(.live_source)' <<<"$sysfs_json" >/tmp/st-sysfs.cmp
		diff -u /tmp/st-default.cmp /tmp/st-sysfs.cmp || fail "--sysfs differs"
	fi
}

step "without the module: the 4 sessions, unverified (iscsid's view)"
check_status false iscsid
"$BIN" status
[ "$("$BIN" -m session -i)" = "$("$BIN" status)" ] || fail "-m session -i differs from status"
"$BIN" nics
nics=$("$BIN" nics --json)
for d in ve0 ve1; do
	assert_eq "nics: $d MAC" "${mac_of[$d]}" "$(jq -r --arg n "$d" '.nics[] | select(.name == $n) | .mac' <<<"$nics")"
done

step "with a config: the 4 sessions configured, one missing"
cfg=/tmp/05-status.json
cfg_begin
cfg_target "$IQN" "$P1" ve0 ve1 "{\"iface\": \"${mac_of[ve0]}\", \"conns\": [{\"address\": \"$P2\"}]}" \
	"{\"iface\": {\"netdev\": \"ve1\"}, \"conns\": [{\"address\": \"$P2\"}]}" 02:00:00:00:05:09
cfg_write "$cfg"
json=$("$BIN" -c "$cfg" status --json) || fail "status with a config failed"
count() { jq "[.targets[].portals[].sessions[] | select(.presence == \"$1\")] | length" <<<"$json"; }
assert_eq "configured sessions" 4 "$(count configured)"
assert_eq "missing sessions" 1 "$(count missing)"
assert_eq "sessions not in the config" 0 "$(count not-in-config)"
"$BIN" -c "$cfg" status

step "with the module: the same 4 sessions, verified"
kmod_load
check_status true module
"$BIN" status

step "portal $P2 down: its sessions FAILED (or FREE), unverified, still listed with their NIC"
lab_portal_down "$P2"
failed_2() { [ "$(lab_sessions_logged_in)" -eq 2 ]; }
wait_for 90 "2 sessions leave LOGGED_IN" failed_2
check_status true module "$P2"
"$BIN" status
lab_portal_up "$P2"
wait_for 120 "4 sessions LOGGED_IN after the portal is back" kmod_logged_in 4
check_status true module

step "module unloaded again: unverified"
kmod_unload
check_status false iscsid

step "speed at 4 sessions (informational)"
time "$BIN" status --json --no-config >/dev/null
time iscsiadm -m session -P 3 >/dev/null
