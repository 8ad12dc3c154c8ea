# The project's module loads and unloads with sessions up; sessions and I/O unaffected;
# dmesg clean (the runner checks the kernel log after every scenario).
# lab-kernels: all (also booted on 5.10 and 6.12 by make e2e-kernels)
KO=$LAB_REPO/kmod/iscsi_iface_attrs.ko
[ -f "$KO" ] || fail "$KO not built (make kmod)"
IQN=$LAB_IQN_PREFIX:kmodload
P1=${LAB_PORTAL_IPS[0]}

lab_target_create --luns 1 --portal "$P1:3260" --portal "${LAB_PORTAL_IPS[1]}:3260" "$IQN"
lab_veth_add ve0 02:00:00:00:02:00 101
lab_veth_add ve1 02:00:00:00:02:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
lab_discover "$P1" if-ve0 if-ve1
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
