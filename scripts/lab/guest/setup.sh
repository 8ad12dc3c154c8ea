# Sourced by stage2.sh: the guest's userspace for the lab.
# Leaves: udevd (with the project's rules) and iscsid running, LIO loaded, the target
# network namespace "tgt" with bridge br0 holding the portal addresses and the target-side
# e1000e NIC, and QMP reachable from the guest (see lib/qmp.sh).

_t() { [ -n "${LAB_TRACE:-}" ] && echo "setup $(cut -d' ' -f1 /proc/uptime): $*"; }

lab_setup() {
	local repo=$LAB_REPO
	LAB_TRACE=1
	mount -t devpts -o gid=5,mode=620 devpts /dev/pts 2>/dev/null
	# Fresh /run and /tmp; a checkout that lives below either (CI may clone into /tmp)
	# is carried over by a bind mount so the guest still sees it.
	mkdir -p /mnt/lab-repo
	mount --bind "$repo" /mnt/lab-repo
	mount -t tmpfs -o mode=0755 tmpfs /run
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	if [ ! -d "$repo/scripts/lab" ]; then
		mkdir -p "$repo" && mount --bind /mnt/lab-repo "$repo" ||
			{ echo "lab: cannot keep $repo visible"; return 1; }
	fi
	mkdir -p /run/lock /run/netns /run/udev /var/lib/iscsi
	mount -t tmpfs tmpfs /var/lib/iscsi
	hostname lab
	ip link set lo up

	# A clean open-iscsi database: nothing from the host leaks in.
	mount -t tmpfs -o mode=0755 tmpfs /etc/iscsi
	mkdir -p /etc/iscsi/nodes /etc/iscsi/send_targets /etc/iscsi/ifaces
	chmod 0700 /etc/iscsi/nodes /etc/iscsi/send_targets
	cat >/etc/iscsi/iscsid.conf <<-'CONF'
	iscsid.startup = /bin/false
	node.startup = manual
	node.session.timeo.replacement_timeout = 15
	node.conn[0].timeo.login_timeout = 5
	node.conn[0].timeo.noop_out_interval = 2
	node.conn[0].timeo.noop_out_timeout = 5
	node.session.initial_login_retry_max = 2
	CONF
	echo "InitiatorName=iqn.2026-11.lab.iscsictl:initiator" >/etc/iscsi/initiatorname.iscsi

	# The project's udev rules, as `make install` would place them.
	mkdir -p /etc/udev/rules.d
	cp "$repo"/udev-rules/*.rules /etc/udev/rules.d/ 2>/dev/null

	_t "modprobe configfs"
	modprobe configfs && mount -t configfs configfs /sys/kernel/config
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	local m
	for m in virtio_console sd_mod iscsi_tcp target_core_mod iscsi_target_mod \
		target_core_file target_core_iblock bridge veth e1000e; do
		modprobe "$m" || { echo "lab: modprobe $m failed"; return 1; }
	done

	_t "/lib/systemd/systemd-udevd /lib/systemd/systemd-udevd"
	/lib/systemd/systemd-udevd --daemon --resolve-names=never 2>>/lab-out/udevd.log ||
		{ echo "lab: systemd-udevd failed"; return 1; }
	# Coldplug what scenarios use; the rest of the machine's devices need no udev work.
	udevadm trigger --action=add --subsystem-match=net --subsystem-match=virtio-ports \
		--subsystem-match=block --subsystem-match=scsi --subsystem-match=iscsi_host \
		--subsystem-match=iscsi_session --subsystem-match=iscsi_connection
	_t "udevadm settle"
	udevadm settle --timeout=30

	_t "iscsid -f"
	# Its own session: on SIGTERM iscsid signals its whole process group (which would be init).
	setsid iscsid -f -d 1 >>/lab-out/iscsid.log 2>&1 &
	echo $! >/run/lab-iscsid.pid

	. "$repo/scripts/lab/lib/lab.sh"
	_t "lab_target_netns_setup lab_target_netns_setup"
	lab_target_netns_setup || { echo "lab: target netns setup failed"; return 1; }
	lab_sysctl_initiator
	lab_nics_remember
	_t "qmp_init qmp_init"
	qmp_init || { echo "lab: QMP unreachable from the guest"; return 1; }
	_t "local i"
	local i
	for i in $(seq 50); do
		iscsiadm -m session >/dev/null 2>&1
		[ $? -ne 20 ] && break # 20 = cannot connect to iscsid
		sleep 0.1
	done
	# Kernel messages so far belong to boot, not to the first scenario.
	_t "dmesg >"
	dmesg >/lab-out/dmesg-boot.log
	dmesg -c >/dev/null
	return 0
}
