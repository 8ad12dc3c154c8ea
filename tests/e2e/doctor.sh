# lab-timeout: 240
# iscsictl doctor (issue 16): the preflight of multi-NIC iSCSI on one subnet. Two veth NICs
# ve0 and ve1 on the portals' subnet, a config with a session through each: one finding of
# each class is made on purpose, doctor names it and exits 1, its printed fix is applied
# and the finding is gone; at the end doctor exits 0.
#   (a) ARP flux: the kernel's defaults (arp_ignore 0, arp_announce 0) and a strict
#       rp_filter on ve1; the printed `sysctl -w` lines (and the drop-in's lines) fix it
#   (b) MTU: ve1 at 1400; the printed `ip link set dev ve1 mtu 1500` fixes it
#   (c) reachability: ve1's peer on the target's bridge down; ve1 and the portal named; up
#   (d) multipathd: not running; started (fast_io_fail_tmo 5): the config's
#       replacement_timeout 120 is named; the config set to 5
IQN=$LAB_IQN_PREFIX:doctor
SYS=/proc/sys/net/ipv4/conf
# At exit: the initiator's sysctls as the lab's setup left them (lab_reset does not).
trap 'lab_sysctl_initiator' EXIT
lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
topo_veths 2
cfg_begin "$CFG_LOGIN5"
cfg_target "$IQN" "$P1" ve0 ve1
cfg_write

# doctor_has_none CLASS: the last doctor output has no finding of CLASS.
doctor_has_none() {
	! grep -q "^doctor: $1:" "$ICTL_DIR/last.log" || fail "doctor still finds $1: $(grep "^doctor: $1:" "$ICTL_DIR/last.log")"
}
# doctor_fixes PREFIX: the printed fix lines that start with PREFIX, one a line.
doctor_fixes() { sed -n "s/^  fix: \\($1.*\\)$/\\1/p" "$ICTL_DIR/last.log"; }

step "(a) ARP flux: ve0 and ve1 share $LAB_SUBNET_PREFIX.0/24 with the kernel's defaults"
for k in arp_ignore arp_announce; do
	echo 0 >"$SYS/all/$k"
	echo 0 >"$SYS/ve0/$k"
	echo 0 >"$SYS/ve1/$k"
done
echo 1 >"$SYS/ve1/rp_filter"
ictl_expect 1 doctor
ictl_log_has "doctor: arp: ve0 shares $LAB_SUBNET_PREFIX.0/24 with ve1: arp_ignore 0 (want 1 or 2), arp_announce 0 (want 2)"
ictl_log_has "doctor: arp: ve1 shares $LAB_SUBNET_PREFIX.0/24 with ve0: arp_ignore 0 (want 1 or 2), arp_announce 0 (want 2), rp_filter 1 (want 0 or 2)"
ictl_log_has "fix: sysctl -w net.ipv4.conf.ve1.arp_ignore=1 net.ipv4.conf.ve1.arp_announce=2 net.ipv4.conf.ve1.rp_filter=2"
doctor_fixes "sysctl -w " >/run/doctor-fixes
while read -r cmd; do $cmd; done </run/doctor-fixes
# The drop-in's lines are sysctl.d syntax that sysctl takes as they are.
sed -n 's/^  fix:   \(net\.ipv4\..* = [0-9]*\)$/\1/p' "$ICTL_DIR/last.log" >/run/90-iscsictl-arp.conf
assert_eq "drop-in lines" 5 "$(wc -l </run/90-iscsictl-arp.conf)"
sysctl -q -p /run/90-iscsictl-arp.conf
ictl doctor || :
doctor_has_none arp

step "(b) MTU: ve1 at 1400, ve0 at 1500"
ip link set dev ve1 mtu 1400
ictl_expect 1 doctor
ictl_log_has "doctor: mtu: the NICs of $IQN disagree on the MTU: ve0 1500, ve1 1400"
ictl_log_has "fix: ip link set dev ve1 mtu 1500"
doctor_fixes "ip link set dev " >/run/doctor-fixes
while read -r cmd; do $cmd; done </run/doctor-fixes
ictl doctor || :
doctor_has_none mtu

step "(c) reachability: ve1's peer on the target's bridge down"
tgt_exec ip link set ve1-t down
ictl_expect 1 doctor --timeout 2
ictl_log_has "doctor: reach: ve1 ($LAB_SUBNET_PREFIX.102) cannot reach portal $P1:3260: "
! grep -q "^doctor: reach: ve0" "$ICTL_DIR/last.log" || fail "ve0 reported unreachable"
tgt_exec ip link set ve1-t up
lab_wait_carrier ve1
# The ARP entry that failed while the link was down is forgotten (else "No route to host"
# until the kernel retries it); then the finding goes.
ip neigh flush dev ve1
doctor_reaches() { "$BIN" -c "$CONF" doctor --timeout 2 >"$ICTL_DIR/last.log" 2>&1; ! grep -q "^doctor: reach:" "$ICTL_DIR/last.log"; }
wait_for 20 "doctor: no reach finding" doctor_reaches
doctor_has_none reach

step "(d) multipathd: not running, then running with fast_io_fail_tmo 5"
ictl_expect 1 doctor
ictl_log_has "doctor: multipathd: multipathd is not running (no socket): $IQN has 2 paths"
mpath_start
ictl_expect 1 doctor
ictl_log_has "doctor: multipathd: fast_io_fail_tmo 5 (defaults) for its devices of $IQN: multipathd writes it into the sessions' recovery_tmo, the config's replacement_timeout is 120"
ictl_log_has "fix: in $CONF: \"session_defaults\": {\"timeo\": {\"replacement_timeout\": 5}}"
cfg_begin "$CFG_LOGIN5" '"session_defaults": {"timeo": {"replacement_timeout": 5}}'
cfg_target "$IQN" "$P1" ve0 ve1
cfg_write

step "all fixed: doctor exits 0"
ictl_expect 0 doctor
ictl_log_has "doctor: OK (checked 2 NICs of 1 target, 2 NIC-portal pairs, multipathd)"
ictl_expect 0 doctor --json
ictl_log_has '"ok": true'
