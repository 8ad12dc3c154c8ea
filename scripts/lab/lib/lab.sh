# The lab's machinery inside the guest (used by the guest's setup, the demo and, through
# the test library tests/e2e/lib/e2e.sh, by every e2e scenario). Source this file:
#   . "$LAB_REPO/scripts/lab/lib/lab.sh"
# Pieces: net.sh (target netns, veth and e1000e NICs), target.sh (LIO), initiator.sh
# (open-iscsi), qmp.sh (PCI hotplug from inside the guest). Assertions, topologies and the
# product's helpers are the tests' own: tests/e2e/lib/.
LAB_LIB=${LAB_LIB:-$LAB_REPO/scripts/lab/lib}

# lab_nap SECS: sleep without a process (a read that times out on a FIFO nobody writes).
# Polling loops nap 0.1 s at a time, and under TCG a `sleep` process costs ~50 ms of the
# guest's one vCPU: a third of it while something is polled, taken from what is awaited.
lab_nap() {
	if [ -z "${LAB_NAP_FD:-}" ]; then
		[ -p /run/lab-nap ] || mkfifo /run/lab-nap 2>/dev/null
		# (the braces: a redirection on exec itself would stay on the shell for good)
		{ exec {LAB_NAP_FD}<>/run/lab-nap; } 2>/dev/null || { LAB_NAP_FD=; sleep "$1"; return 0; }
	fi
	read -r -t "$1" -u "$LAB_NAP_FD" _ 2>/dev/null || :
	return 0
}
. "$LAB_LIB/net.sh"
. "$LAB_LIB/target.sh"
. "$LAB_LIB/initiator.sh"
. "$LAB_LIB/qmp.sh"

# lab_daemon_kill: stop an `iscsictl daemon` a scenario started (its pid in
# /run/iscsictl-daemon.pid) before anything else is reset, so it does not log back in what
# the reset logs out. Only that pid is killed.
lab_daemon_kill() {
	local pid= i
	read -r pid 2>/dev/null </run/iscsictl-daemon.pid || [ -n "$pid" ] || return 0
	rm -f /run/iscsictl-daemon.pid
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; lab_nap 0.1; done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

# lab_multipathd_stop: stop the multipathd a scenario started (tests/e2e/lib/mpath.sh; its
# pid in /run/lab-multipathd.pid) and remove every multipath map, queueing off first so
# nothing waits on a map without paths. Before the sessions go.
lab_multipathd_stop() {
	local pid= i d uuid name
	if read -r pid 2>/dev/null </run/lab-multipathd.pid && [ -n "$pid" ]; then
		rm -f /run/lab-multipathd.pid
		kill -TERM "$pid" 2>/dev/null
		for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; lab_nap 0.1; done
		kill -KILL "$pid" 2>/dev/null
	fi
	for d in /sys/block/dm-*; do
		read -r uuid 2>/dev/null <"$d/dm/uuid" || continue
		case "$uuid" in mpath-*) ;; *) continue ;; esac
		read -r name <"$d/dm/name"
		dmsetup message "$name" 0 fail_if_no_path 2>/dev/null
		dmsetup remove --force "$name" 2>/dev/null
	done
	rm -f /etc/multipath.conf
	return 0
}

# lab_reset: put the guest back to its post-boot state. The runner calls it after every
# scenario, so a scenario that dies halfway does not leak into the next one.
lab_reset() {
	lab_daemon_kill
	lab_multipathd_stop
	lab_initiator_reset
	lab_target_destroy_all
	lab_nics_reset
	[ ! -d /sys/module/iscsi_iface_attrs ] || rmmod iscsi_iface_attrs 2>/dev/null
	return 0
}
