#!/usr/bin/env bash
# Boot the iscsictl lab: Debian's own kernel under qemu (q35, TCG), host root over
# virtio-9p read-only with a tmpfs overlay, no network to the outside.
#
#   scripts/lab/run.sh [--mode test|demo|shell] [--timeout SECS] [--log-dir DIR] [SCENARIO...]
#
# --mode test  (default) run the e2e scenarios (all of tests/e2e/*.sh, or the ones named)
# --mode demo  bring up the demo and print the session table
# --mode shell interactive root shell in the guest (Ctrl-D or 'poweroff -f' to leave)
# The guest's exit status becomes this script's; console and dmesg go to DIR/console.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

mode=test
timeout=${LAB_TIMEOUT:-3600}
logdir=${LAB_LOG_DIR:-$repo/build/lab}
mem=${LAB_MEM:-1536}
# One vCPU: under TCG, cross-vCPU TLB shootdowns make fork/exec ~3x slower with 2
# (measured: 54 ms vs 151 ms per /bin/true), and the host has only 2 cores.
smp=${LAB_SMP:-1}
scenarios=()
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) mode=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log-dir) logdir=$2; shift 2 ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "lab: unknown option $1" >&2; exit 2 ;;
	*) scenarios+=("$1"); shift ;;
	esac
done
case "$mode" in test|demo|shell) ;; *) echo "lab: unknown mode '$mode'" >&2; exit 2 ;; esac

die() { echo "lab: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (qemu's 9p export of / and the guest's root view need it)"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found (run 'make deps')"

# Scenarios by path or by name (tests/e2e/NAME[.sh]); the guest sees them as /lab-out/in/.
scen_files=()
for s in "${scenarios[@]}"; do
	f=
	for c in "$s" "$repo/$s" "$repo/tests/e2e/$s" "$repo/tests/e2e/$s.sh"; do
		[ -f "$c" ] && { f=$c; break; }
	done
	[ -n "$f" ] || die "no such scenario: $s"
	scen_files+=("$f")
done

ktree=$("$here/kernel.sh")
kver=$("$here/kernel-version.sh")
cache=$(dirname "$ktree")

# One lab at a time on this machine (2 cores; two TCG guests starve each other).
# Taken before the output directory is prepared: a waiting run must not replace the
# scenarios of the run that holds it.
mkdir -p /run/lock
exec 9>/run/lock/iscsictl-lab.lock
if ! flock -n 9; then
	echo "lab: another lab run holds /run/lock/iscsictl-lab.lock; waiting" >&2
	flock 9
fi
# After the lock: a run from a worktree with another guest/init replaces the cached
# initramfs of this kernel (initramfs.sh keeps one per kernel) while this one waits.
initrd=$("$here/initramfs.sh" "$ktree")

mkdir -p "$logdir"
out=$logdir/$mode
rm -rf "$out"
mkdir -p "$out"
mkdir -p "$out/in"
: >"$out/scenario-list"
for f in "${scen_files[@]}"; do
	cp "$f" "$out/in/"
	echo "/lab-out/in/$(basename "$f")" >>"$out/scenario-list"
done
qmp=$out/qmp.sock

qpid=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill "$qpid" 2>/dev/null || true
		sleep 0.5
		kill -9 "$qpid" 2>/dev/null || true
		wait "$qpid" 2>/dev/null || true
	fi
	rm -f "$qmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "lab: interrupted" >&2; exit 130' INT TERM

if [ "$mode" = shell ]; then
	side=(-chardev stdio,id=side,signal=off)
else
	side=(-chardev "file,id=side,path=$out/guest.log")
fi

# PCIe root ports: 1 = target NIC, 2-3 = initiator e1000e NICs, 4-7 free for hotplug.
# All e1000e NICs sit on qemu hub 0, an Ethernet segment inside the VM only.
ports=()
for i in 1 2 3 4 5 6 7; do
	ports+=(-device "pcie-root-port,id=rp$i,bus=pcie.0,chassis=$i,slot=$i,addr=$(printf 0x%x $((i + 16)))")
done
nics=(
	-netdev hubport,id=hp1,hubid=0 -device e1000e,netdev=hp1,mac=52:54:00:0a:00:01,bus=rp1,id=tnic0
	-netdev hubport,id=hp2,hubid=0 -device e1000e,netdev=hp2,mac=52:54:00:0b:00:01,bus=rp2,id=inic0
	-netdev hubport,id=hp3,hubid=0 -device e1000e,netdev=hp3,mac=52:54:00:0b:00:02,bus=rp3,id=inic1
)

cmdline="console=ttyS0 mitigations=off panic=-1 oops=panic loglevel=6 rdinit=/init lab.repo=$repo lab.kver=$kver lab.cache=$cache lab.mode=$mode"
[ "$mode" = shell ] && cmdline="$cmdline lab.interactive=1"


start=$(date +%s.%N)
echo "lab: booting $kver ($mode), log $out/console.log" >&2
timeout -k 10 "$timeout" "$qemu" \
	-machine q35,accel=tcg -cpu max -smp "$smp" -m "$mem" \
	-nodefaults -display none -no-reboot -nic none \
	-kernel "$ktree/boot/vmlinuz-$kver" -initrd "$initrd" -append "$cmdline" \
	-chardev "file,id=con,path=$out/console.log" -serial chardev:con \
	"${side[@]}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs "local,path=$out,mount_tag=labout,security_model=none" \
	-chardev "socket,id=qmpsrv,path=$qmp,server=on,wait=off" -mon chardev=qmpsrv,mode=control \
	-chardev "socket,id=qmpguest,path=$qmp,reconnect=1" \
	-device virtio-serial-pci -device virtconsole,chardev=side,name=lab.console \
	-device virtserialport,chardev=qmpguest,name=lab.qmp \
	"${ports[@]}" "${nics[@]}" &
qpid=$!
if [ "$mode" != shell ]; then
	# Show the guest's output live; it stays in guest.log.
	for _ in $(seq 50); do [ -e "$out/guest.log" ] && break; sleep 0.1; done
	tail -n +1 -F --pid="$qpid" "$out/guest.log" 2>/dev/null &
	tpid=$!
fi
set +e
wait "$qpid"
qrc=$?
set -e
qpid=
if [ -n "${tpid:-}" ]; then
	sleep 0.3
	kill "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
fi
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "lab: guest did not finish within ${timeout}s (stuck?); see $out/console.log" >&2
	tail -n 20 "$out/console.log" >&2 || true
	exit 124
fi
if [ ! -s "$out/rc" ]; then
	echo "lab: guest ended without reporting a result (qemu exit $qrc); see $out/console.log" >&2
	grep -E 'lab init|Kernel panic|BUG|Oops' "$out/console.log" | tail -n 10 >&2 || true
	exit 1
fi
rc=$(cat "$out/rc")
printf 'lab: %s finished in %ss, exit %s\n' "$mode" "$secs" "$rc" >&2
exit "$rc"
