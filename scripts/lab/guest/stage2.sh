#!/bin/bash
# PID 1 of the lab guest after switch_root: bring up the userspace the scenarios need
# (udevd with our rules, iscsid, LIO, the target netns), run the chosen mode, report
# its exit status through /lab-out/rc and power off.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 HOME=/root TERM=${TERM:-vt100}
LAB_REPO=$(sed -n 's/.*lab\.repo=\([^ ]*\).*/\1/p' /proc/cmdline)
LAB_MODE=$(sed -n 's/.*lab\.mode=\([^ ]*\).*/\1/p' /proc/cmdline)
# The kernel series run.sh booted (empty: the main one) and, in test mode, the queue of
# scenarios this guest takes from (shared by the run's guests under /lab-share).
LAB_KERNEL=$(sed -n 's/.*lab\.kernel=\([^ ]*\).*/\1/p' /proc/cmdline)
LAB_QUEUE=$(sed -n 's/.*lab\.queue=\([^ ]*\).*/\1/p' /proc/cmdline)
export LAB_REPO LAB_MODE LAB_OUT=/lab-out LAB_KERNEL
boot_t0=$(cut -d' ' -f1 /proc/uptime)

finish() {
	echo "$1" >/lab-out/rc
	sync
	# Power off. The root (9p) goes away under us: wait on a builtin, exec nothing.
	mkfifo /run/lab-idle 2>/dev/null
	exec {idle}<>/run/lab-idle
	echo o >/proc/sysrq-trigger
	while :; do read -r -t 60 -u "$idle" _; done
}

# Output for the host: hvc0, a virtio console. run.sh saves it as guest.log and shows it
# live (or, in shell mode, connects it to the terminal).
if [ "$LAB_MODE" = shell ]; then
	exec </dev/hvc0 >/dev/hvc0 2>&1
else
	exec </dev/null >/dev/hvc0 2>&1
fi

. "$LAB_REPO/scripts/lab/guest/setup.sh" || finish 1
lab_setup || { echo "lab: guest setup failed"; finish 1; }
printf 'lab: guest up in %ss (kernel+init %ss)\n' \
	"$(awk -v a="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN{print a}')" "$boot_t0"

rc=0
case "$LAB_MODE" in
test)
	# /lab-share: the run's directory on the host (queue, scenario copies and logs).
	mkdir -p /lab-share
	if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 labshare /lab-share; then
		LAB_SHARED=/lab-share bash "$LAB_REPO/tests/e2e/runner.sh" -o /lab-share/scenarios \
			-r /lab-out/results.tsv -q "/lab-share/queue/$LAB_QUEUE"
		rc=$?
	else
		echo "lab: cannot mount the run's shared directory"
		rc=1
	fi
	;;
demo)
	bash "$LAB_REPO/scripts/lab/guest/demo.sh"
	rc=$?
	;;
shell)
	stty -F /dev/hvc0 sane 2>/dev/null || true
	echo "lab shell: repo at $LAB_REPO, helpers: . \$LAB_REPO/scripts/lab/lib/lab.sh; Ctrl-D powers off"
	cd "$LAB_REPO" || true
	setsid -c bash -i
	rc=$?
	;;
esac
finish "$rc"
