# The lab's target helpers do what later scenarios rely on: N targets x M LUNs on fileio
# and ramdisk backstores, one-way and mutual CHAP (wrong secrets refused), TPG parameters,
# and a portal that goes down and comes back (the session recovers).
topo_veths 1
lab_iface_bind if-ve0 ve0

step "2 targets x 2 LUNs, fileio"
lab_targets_create 2 2 --backstore fileio --size 8 --portal "$P1:3260"
lab_discover "$P1" if-ve0
lab_login_all
assert_eq "sessions" 2 "$(lab_sessions_logged_in)"
lab_wait_disks 4
iscsiadm -m node -U all >/dev/null
lab_target_destroy_all
iscsiadm -m node -o delete >/dev/null

chap_node() { # IQN KEY VALUE...: set node record keys
	local iqn=$1
	shift
	while [ $# -gt 0 ]; do
		iscsiadm -m node -T "$iqn" -p "$P1:3260" -I if-ve0 -o update -n "$1" -v "$2" >/dev/null
		shift 2
	done
}

step "one-way CHAP"
IQN=$LAB_IQN_PREFIX:chap1
lab_target_create --portal "$P1:3260" --chap alice:secret-one-way-12 "$IQN"
lab_node_new "$IQN" "$P1:3260" if-ve0
chap_node "$IQN" node.session.auth.authmethod CHAP node.session.auth.username alice \
	node.session.auth.password wrong-password-12
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve0 -l >/dev/null 2>&1 && fail "login with a wrong CHAP secret succeeded"
assert_eq "sessions after a refused login" 0 "$(lab_session_count)"
chap_node "$IQN" node.session.auth.password secret-one-way-12
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve0 -l >/dev/null
assert_eq "sessions with one-way CHAP" 1 "$(lab_sessions_logged_in)"
iscsiadm -m node -U all >/dev/null

step "mutual CHAP"
IQN=$LAB_IQN_PREFIX:chap2
lab_target_create --portal "$P1:3260" --chap bob:secret-mutual-in1 --mutual array:secret-mutual-out "$IQN"
lab_node_new "$IQN" "$P1:3260" if-ve0
chap_node "$IQN" node.session.auth.authmethod CHAP node.session.auth.username bob \
	node.session.auth.password secret-mutual-in1 node.session.auth.username_in array \
	node.session.auth.password_in wrong-target-secret
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve0 -l >/dev/null 2>&1 && fail "login accepted a target with a wrong mutual secret"
chap_node "$IQN" node.session.auth.password_in secret-mutual-out
iscsiadm -m node -T "$IQN" -p "$P1:3260" -I if-ve0 -l >/dev/null
assert_eq "sessions with mutual CHAP" 1 "$(lab_sessions_logged_in)"
iscsiadm -m node -U all >/dev/null

step "TPG parameters reach the session"
IQN=$LAB_IQN_PREFIX:params
lab_target_create --portal "$P2:3260" --attr MaxBurstLength=131072 --attr FirstBurstLength=32768 \
	--attr InitialR2T=Yes "$IQN"
lab_node_new "$IQN" "$P2:3260" if-ve0
iscsiadm -m node -T "$IQN" -p "$P2:3260" -I if-ve0 -l >/dev/null
s=$(ls -d /sys/class/iscsi_session/session* | head -n1)
assert_eq "MaxBurstLength" 131072 "$(cat "$s/max_burst_len")"
assert_eq "FirstBurstLength" 32768 "$(cat "$s/first_burst_len")"
assert_eq "InitialR2T" 1 "$(cat "$s/initial_r2t")"

step "portal down: the session leaves LOGGED_IN; portal up: it recovers"
lab_portal_down "$P2"
wait_for 30 "session to leave LOGGED_IN" sh -c "[ \"\$(cat $s/state)\" != LOGGED_IN ]"
echo "state while down: $(cat "$s/state")"
lab_portal_up "$P2"
wait_for 60 "session to recover" sh -c "[ \"\$(cat $s/state)\" = LOGGED_IN ]"
