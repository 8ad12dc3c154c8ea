# The e2e test library: the runner sources this file for every scenario (and for the
# benchmarks in scripts/bench/, run the same way), so a scenario sources nothing itself.
#   lab machinery   scripts/lab/lib/lab.sh: netns, veth/e1000e NICs, LIO, iscsiadm, QMP, lab_reset
#   assert.sh       fail, assert_eq, wait_for, step
#   topo.sh         one helper per topology (the two-path target, the four-NIC host, ...)
#   config.sh       iscsictl config files (cfg_begin, cfg_target, cfg_write)
#   kmod.sh         the module: load/unload, sysfs of sessions, connections and hosts
#   netlink.sh      the module's netlink family against sysfs
#   ictl.sh         iscsictl: run, expect, sessions, the iscsiadm spy, the daemon
#   mpath.sh        multipathd for LIO, maps by WWID, the direct-I/O writer
# Globals every scenario may use: P1 and P2 (the two portal addresses), BIN (iscsictl),
# CONF (its config file), KMOD_KO.
. "$LAB_REPO/scripts/lab/lib/lab.sh"
E2E_LIB=$LAB_REPO/tests/e2e/lib
. "$E2E_LIB/assert.sh"
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
. "$E2E_LIB/topo.sh"
. "$E2E_LIB/config.sh"
. "$E2E_LIB/kmod.sh"
. "$E2E_LIB/netlink.sh"
. "$E2E_LIB/ictl.sh"
. "$E2E_LIB/mpath.sh"
