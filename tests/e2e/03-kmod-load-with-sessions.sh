# The project's module loads and unloads with sessions up; sessions and I/O unaffected;
# dmesg clean (the runner checks the kernel log after every scenario).
# lab-kernels: all
KO=$KMOD_KO
[ -f "$KO" ] || fail "$KO not built (make kmod)"
IQN=$LAB_IQN_PREFIX:kmodload

topo_two_path_iscsiadm --luns 1 "$IQN"
lab_login_all
assert_eq "sessions LOGGED_IN" 4 "$(lab_sessions_logged_in)"
lab_wait_disks 4

for round in 1 2 3; do
	step "insmod / rmmod round $round with 4 sessions up"
	insmod "$KO" || fail "insmod failed"
	grep -q '^iscsi_iface_attrs ' /proc/modules || fail "module not listed"
	for d in $(lab_iscsi_disks | cut -d' ' -f1); do
		dd if="$d" of=/dev/null bs=64k count=16 iflag=direct status=none || fail "I/O to $d with the module loaded"
	done
	rmmod iscsi_iface_attrs || fail "rmmod failed"
	assert_eq "sessions LOGGED_IN after rmmod" 4 "$(lab_sessions_logged_in)"
done
for d in $(lab_iscsi_disks | cut -d' ' -f1); do
	dd if="$d" of=/dev/null bs=64k count=16 iflag=direct status=none || fail "I/O to $d after unload"
done
