# dm-multipath in the lab (part of tests/e2e/lib/e2e.sh; issue 16): multipathd beside the
# real udevd (whose rules from /lib/udev/rules.d include multipath-tools' and, in
# /etc/udev/rules.d, ours), configured for LIO. lab_reset stops it (lab_multipathd_stop).
#
#   mpath_start             dm_multipath loaded, /etc/multipath.conf (below), multipathd
#                           running and answering; its log in /lab-out/multipathd.log
#   mpath_map_of_wwid WWID  the map name holding WWID ("" and status 1 if none)
#   mpath_active_paths MAP  the number of paths of MAP that dm has active (dmsetup status)
#   mpath_map_of_wwid_any   the one multipath map there is
#   mpath_active_paths_are MAP N   MAP has N active paths (a wait_for predicate)
#   mpath_dev MAP           /dev/dm-N of MAP
#   mpath_daemon_stop       stop multipathd, its maps stay (lab_reset removes them)
#
# multipath.conf: LIO's LUNs need hardware_handler "0" (else dm fails to attach the ALUA
# handler and builds no map); find_multipaths "greedy": every new WWID gets a map at once
# (the default "strict" waits for it to be added to /etc/multipath/wwids); a 2 s checker.
# fast_io_fail_tmo 5: multipathd writes it into each session's recovery_tmo.
MPATH_CONF='defaults {
	user_friendly_names yes
	find_multipaths greedy
	polling_interval 2
	fast_io_fail_tmo 5
}
devices {
	device {
		vendor "LIO-ORG"
		product ".*"
		hardware_handler "0"
		path_grouping_policy multibus
		path_checker tur
		no_path_retry 12
	}
}
blacklist {
	devnode "^(ram|loop|fd|md|sr|scd|st|vd)[0-9]*"
}'

mpath_start() {
	local i
	modprobe dm_multipath || fail "mpath: modprobe dm_multipath"
	mkdir -p /etc/multipath
	echo "$MPATH_CONF" >/etc/multipath.conf
	: >/etc/multipath/wwids
	: >/etc/multipath/bindings
	# -d: in the foreground (its own session: it is stopped by pid, never by name).
	setsid multipathd -d -s >>/lab-out/multipathd.log 2>&1 </dev/null &
	echo $! >/run/lab-multipathd.pid
	for i in $(seq 100); do
		# "pid N idle" (or running, configure): it answers on its socket
		multipathd show daemon 2>/dev/null | grep -qE '^pid [0-9]+ ' && return 0
		lab_nap 0.2
	done
	fail "mpath: multipathd does not answer: $(tail -n 5 /lab-out/multipathd.log)"
}

mpath_map_of_wwid() {
	local d uuid
	for d in /sys/block/dm-*; do
		[ -e "$d/dm/uuid" ] || continue
		read -r uuid <"$d/dm/uuid"
		[ "$uuid" = "mpath-$1" ] && { cat "$d/dm/name"; return 0; }
	done
	return 1
}

mpath_active_paths() { dmsetup status "$1" 2>/dev/null | grep -o ' [0-9]*:[0-9]* A ' | wc -l; }


# mpath_map_of_wwid_any: the name of the one multipath map there is (status 1 if none).
mpath_map_of_wwid_any() {
	local d uuid
	for d in /sys/block/dm-*; do
		read -r uuid 2>/dev/null <"$d/dm/uuid" || continue
		case "$uuid" in mpath-*) cat "$d/dm/name"; return 0 ;; esac
	done
	return 1
}

# mpath_dev MAP: the device node of MAP (/dev/dm-N: devtmpfs makes it, no udev rule needed).
mpath_dev() {
	local d name
	for d in /sys/block/dm-*; do
		read -r name 2>/dev/null <"$d/dm/name" || continue
		[ "$name" = "$1" ] && { echo "/dev/${d##*/}"; return 0; }
	done
	return 1
}

# mpath_active_paths_are MAP N: MAP has N active paths.
mpath_active_paths_are() { [ "$(mpath_active_paths "$1")" = "$2" ]; }

# mpath_daemon_stop: stop multipathd (its pid), leaving its maps in the kernel.
mpath_daemon_stop() {
	local pid= i
	read -r pid 2>/dev/null </run/lab-multipathd.pid || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; lab_nap 0.1; done
	fail "mpath: multipathd $pid did not stop"
}
