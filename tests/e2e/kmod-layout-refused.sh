# kmod (issue 17): on a kernel whose scsi_transport_iscsi has another private layout the
# module refuses to load, cleanly. Simulated by build/kmod-mismatch/iia_layout_mismatch.ko
# (`make lab-modules`: the same sources built with IIA_TEST_LAYOUT_MISMATCH, which shifts
# the mirrored struct iscsi_internal). insmod fails with ENODEV, the kernel log has one
# line saying why (and the runner sees no WARN or oops), no probe transport is left behind,
# the sessions stay LOGGED_IN with I/O working, `status --json` still lists every session
# from sysfs, and the real module then loads fine.
# lab-kernels: all (also booted on 5.10 and 6.12 by make e2e-kernels)
BIN=$LAB_REPO/build/iscsictl
BAD=${KMOD_MISMATCH_KO:-$LAB_REPO/build/kmod/$(uname -r)/iia_layout_mismatch.ko}
[ -f "$BAD" ] || fail "$BAD not built (make lab-modules)"
IQN=$LAB_IQN_PREFIX:kmodlayout
P1=${LAB_PORTAL_IPS[0]}

step "2 sessions over ve0, ve1"
lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
lab_veth_add ve0 02:00:00:00:0d:00 101
lab_veth_add ve1 02:00:00:00:0d:01 102
lab_iface_bind if-ve0 ve0
lab_iface_bind if-ve1 ve1
lab_discover "$P1" if-ve0 if-ve1
lab_login_all
assert_eq "sessions LOGGED_IN" 2 "$(lab_sessions_logged_in)"
lab_wait_disks 2

step "the mismatching build refuses to load"
dmesg -c >/dev/null
if out=$(insmod "$BAD" 2>&1); then
	rmmod iia_layout_mismatch
	fail "a module with a mismatching layout loaded"
fi
echo "insmod: $out"
case "$out" in *"No such device"*) ;; *) fail "insmod failed, but not with ENODEV: $out" ;; esac
dmesg >/tmp/layout.dmesg
cat /tmp/layout.dmesg
assert_eq "refusal lines in dmesg" 1 "$(grep -c 'iia_layout_mismatch: layout check failed' /tmp/layout.dmesg)"
assert_eq "module lines in dmesg besides the probe transport's registration" 1 \
	"$(grep 'iia_layout_mismatch' /tmp/layout.dmesg | grep -vc 'registered transport')"
grep -q 'iia_layout_mismatch' /proc/modules && fail "iia_layout_mismatch is listed in /proc/modules"
[ -e /sys/class/iscsi_transport/iia_layout_mismatch_probe ] && fail "the probe transport was left registered"
[ -e /sys/kernel/debug/iia_layout_mismatch ] && fail "debugfs entries were left behind"

step "sessions unaffected; status from sysfs lists both"
assert_eq "sessions LOGGED_IN" 2 "$(lab_sessions_logged_in)"
lab_iscsi_disks >/tmp/layout-disks.txt
assert_eq "disks" 2 "$(wc -l </tmp/layout-disks.txt)"
while read -r d _; do
	dd if="$d" of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null || fail "read from $d"
done </tmp/layout-disks.txt
"$BIN" status --json --no-config >/tmp/layout-status.json || fail "status --json failed without the module"
assert_eq "sessions in status" 2 "$(jq '[.targets[].portals[].sessions[]] | length' /tmp/layout-status.json)"
assert_eq "module in status" false "$(jq -r .module_loaded /tmp/layout-status.json)"
assert_eq "why, in status" "refused to load: layout check failed (kernel log)" \
	"$(jq -r .module_note /tmp/layout-status.json)"
assert_eq "status read from" sysfs "$(jq -r .live_source /tmp/layout-status.json)"
"$BIN" status --no-config >/tmp/layout-status.txt || fail "status failed without the module"
grep -q '^module iscsi_iface_attrs refused to load: layout check failed (kernel log): live state from sysfs$' \
	/tmp/layout-status.txt || fail "status does not say the module refused to load: $(head -n3 /tmp/layout-status.txt)"
assert_eq "NICs in status (iscsid's view)" "ve0 iscsid ve1 iscsid" \
	"$(jq -r '[.targets[].portals[].sessions[].nic | .netdev + " " + .source] | sort | join(" ")' /tmp/layout-status.json)"

step "the real module loads afterwards"
kmod_load
assert_eq "iface of connection 1" ve0 "$(cat /sys/class/iscsi_connection/connection*:0/iface | sort | head -n1)"
kmod_unload
