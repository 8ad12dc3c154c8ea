#!/usr/bin/env bash
# Boot the iscsictl lab: Debian's own kernel under qemu (q35, TCG), host root over
# virtio-9p read-only with a tmpfs overlay, no network to the outside.
#
#   scripts/lab/run.sh [--mode test|demo|shell] [--timeout SECS] [--log-dir DIR]
#                      [--guests N] [--kernels 'K...'] [SCENARIO...]
#
# --mode test  (default) run the e2e scenarios (all of tests/e2e/*.sh, or the ones named)
# --mode demo  bring up the demo and print the session table
# --mode shell interactive root shell in the guest (Ctrl-D or 'poweroff -f' to leave)
# --guests N   (test; LAB_GUESTS, default 1) N guests at once share the scenarios: each
#              takes the next one from a queue when it is free
# --kernels K  (test; LAB_EXTRA_KERNELS) also run the scenarios tagged `# lab-kernels: all`
#              on each LAB_KERNEL value K (a guest per kernel, when a slot is free)
# The exit status is the guests' verdict; console and dmesg go to DIR/<mode>/[gN/]console.log.
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
guests=${LAB_GUESTS:-1}
extra_kernels=${LAB_EXTRA_KERNELS:-}
scenarios=()
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) mode=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--log-dir) logdir=$2; shift 2 ;;
	--guests) guests=$2; shift 2 ;;
	--kernels) extra_kernels=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "lab: unknown option $1" >&2; exit 2 ;;
	*) scenarios+=("$1"); shift ;;
	esac
done
case "$mode" in test|demo|shell) ;; *) echo "lab: unknown mode '$mode'" >&2; exit 2 ;; esac
case "$guests" in [1-9]) ;; *) echo "lab: --guests wants 1..9, not '$guests'" >&2; exit 2 ;; esac
[ "$mode" = test ] || { guests=1; extra_kernels=; }

die() { echo "lab: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (qemu's 9p export of / and the guest's root view need it)"
qemu=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 not found (run 'make deps')"

# Scenarios by path or by name (tests/e2e/NAME[.sh]); the guests see them as /lab-share/in/.
scen_files=()
for s in "${scenarios[@]}"; do
	f=
	for c in "$s" "$repo/$s" "$repo/tests/e2e/$s" "$repo/tests/e2e/$s.sh"; do
		[ -f "$c" ] && { f=$c; break; }
	done
	[ -n "$f" ] || die "no such scenario: $s"
	scen_files+=("$f")
done
if [ "$mode" = test ] && [ ${#scen_files[@]} -eq 0 ]; then
	# Every scenario, except those that need a kernel built by hand (`# lab-kernels:
	# upstream`: make e2e-upstream names them).
	for f in "$repo"/tests/e2e/*.sh; do
		[ "$(basename "$f")" != runner.sh ] || continue
		grep -q '^# lab-kernels: upstream' "$f" && continue
		scen_files+=("$f")
	done
fi

# The main kernel and initramfs once before the lock too, so that a missing image or a
# failed download is reported at once rather than after waiting for another run.
"$here/kernel.sh" >/dev/null
"$here/initramfs.sh" "$("$here/kernel.sh")" >/dev/null

# One lab run at a time on this machine (2 cores): this run's own guests share it, any
# other run waits. Taken before the output directory is prepared: a waiting run must not
# replace the scenarios of the run that holds it.
# (LAB_LOCK_FILE: another lock, for the launcher's own fault tests, which boot no scenario
# and run beside the lab in make test.)
lock=${LAB_LOCK_FILE:-/run/lock/iscsictl-lab.lock}
mkdir -p "$(dirname "$lock")"
exec 9>"$lock"
if ! flock -n 9; then
	echo "lab: another lab run holds $lock; waiting" >&2
	flock 9
fi
mkdir -p "$logdir"
out=$logdir/$mode
rm -rf "$out"
mkdir -p "$out"

# Kernels: "main" is the one LAB_KERNEL (or its default) names; each extra kernel K runs
# the scenarios tagged "# lab-kernels: all" (or naming K). Trees and initramfs are
# prepared (downloaded once; cached, so the main kernel's again costs nothing) with the
# lock held, and the initramfs copied into the run's directory: another checkout's
# launcher may replace the cached one (its guest/init differs) while this run waits or
# still boots guests.
kernels=(main)
for k in $extra_kernels; do kernels+=("$k"); done
declare -A ktree kver initrd
for k in "${kernels[@]}"; do
	if [ "$k" = main ]; then
		ktree[$k]=$("$here/kernel.sh")
		kver[$k]=$("$here/kernel-version.sh")
		initrd[$k]=$("$here/initramfs.sh" "${ktree[$k]}")
	else
		ktree[$k]=$(LAB_KERNEL=$k "$here/kernel.sh")
		kver[$k]=$(LAB_KERNEL=$k "$here/kernel-version.sh")
		initrd[$k]=$(LAB_KERNEL=$k "$here/initramfs.sh" "${ktree[$k]}")
	fi
	cp "${initrd[$k]}" "$out/initrd-$k.cpio.gz" || die "cannot copy ${initrd[$k]}"
	initrd[$k]=$out/initrd-$k.cpio.gz
done


# The queues (test mode): $out/queue/<kernel>/NNNN holds a scenario's path in the guest.
# Longest first (by the durations of the last run on this machine, else the committed
# ones), so that the guests finish together.
durations=$logdir/durations.tsv
[ -s "$durations" ] || durations=$repo/tests/e2e/durations.tsv
if [ "$mode" = test ]; then
	mkdir -p "$out/in" "$out/scenarios"
	for f in "${scen_files[@]}"; do cp "$f" "$out/in/"; done
	for k in "${kernels[@]}"; do
		mkdir -p "$out/queue/$k"
		i=0
		for f in "${scen_files[@]}"; do
			name=$(basename "$f" .sh)
			if [ "$k" != main ]; then
				tag=$(sed -n 's/^# lab-kernels: *//p' "$f" | head -n1)
				tag=${tag%%(*} # a remark in parentheses names no kernel
				case " $tag " in *" all "* | *" $k "*) ;; *) continue ;; esac
			fi
			d=$(awk -F'\t' -v n="$name" '$1 == n { d = $2 } END { print d + 0 }' "$durations" 2>/dev/null || echo 0)
			printf '%s\t%s\n' "$d" "$(basename "$f")"
		done | sort -t$'\t' -k1,1nr -k2,2 | while IFS=$'\t' read -r _ b; do
			i=$((i + 1))
			printf '/lab-share/in/%s\n' "$b" >"$out/queue/$k/$(printf %04d "$i")"
		done
	done
fi

qpids=()
tpids=()
cleanup() {
	local rc=$? p
	trap - EXIT INT TERM
	for p in "${qpids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ ${#qpids[@]} -gt 0 ]; then
		sleep 0.5
		for p in "${qpids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	fi
	for p in "${tpids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -f "$out"/qmp.sock "$out"/g*/qmp.sock
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "lab: interrupted" >&2; exit 130' INT TERM

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

# boot KERNEL DIR [LABEL]: start a guest whose own files (console, guest log, rc, iscsid
# log) go to DIR; test mode also shares $out with it (/lab-share: queue, scenario logs).
# Sets QPID; its output is shown live, prefixed with LABEL.
boot() {
	local k=$1 dir=$2 label=${3:-} side share=() cmdline
	mkdir -p "$dir"
	if [ "$mode" = shell ]; then
		side=(-chardev stdio,id=side,signal=off)
	else
		side=(-chardev "file,id=side,path=$dir/guest.log")
	fi
	cmdline="console=ttyS0 mitigations=off panic=-1 oops=panic loglevel=6 rdinit=/init"
	cmdline="$cmdline lab.repo=$repo lab.kver=${kver[$k]} lab.cache=$(dirname "${ktree[$k]}") lab.mode=$mode"
	[ "$k" = main ] || cmdline="$cmdline lab.kernel=$k"
	[ "$mode" = shell ] && cmdline="$cmdline lab.interactive=1"
	if [ "$mode" = test ]; then
		cmdline="$cmdline lab.queue=$k"
		share=(-virtfs "local,path=$out,mount_tag=labshare,security_model=none")
	fi
	# `make test` builds the other kernels' modules beside the lab: their guests wait for them
	# (scripts/lab/suite.sh removes LAB_PENDING_DIR/kmod-K when that build ended).
	if [ -n "${LAB_PENDING_DIR:-}" ] && [ -e "$LAB_PENDING_DIR/kmod-$k" ]; then
		echo "lab: waiting for the $k modules being built beside the lab" >&2
		while [ -e "$LAB_PENDING_DIR/kmod-$k" ]; do sleep 1; done
	fi
	echo "lab: booting ${kver[$k]} ($mode${label:+, $label}), log $dir/console.log" >&2
	timeout -k 10 "$timeout" "$qemu" \
		-machine q35,accel=tcg -cpu max -smp "$smp" -m "$mem" \
		-nodefaults -display none -no-reboot -nic none \
		-kernel "${ktree[$k]}/boot/vmlinuz-${kver[$k]}" -initrd "${initrd[$k]}" -append "$cmdline" \
		-chardev "file,id=con,path=$dir/console.log" -serial chardev:con \
		"${side[@]}" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$dir,mount_tag=labout,security_model=none" "${share[@]}" \
		-chardev "socket,id=qmpsrv,path=$dir/qmp.sock,server=on,wait=off" -mon chardev=qmpsrv,mode=control \
		-chardev "socket,id=qmpguest,path=$dir/qmp.sock,reconnect=1" \
		-device virtio-serial-pci -device virtconsole,chardev=side,name=lab.console \
		-device virtserialport,chardev=qmpguest,name=lab.qmp \
		"${ports[@]}" "${nics[@]}" 2> >(grep -v 'hub 0 is not connected to host network' >&2) &
	QPID=$!
	qpids+=("$QPID")
	if [ "$mode" != shell ]; then
		# Show the guest's output live; it stays in guest.log.
		for _ in $(seq 50); do [ -e "$dir/guest.log" ] && break; sleep 0.1; done
		if [ -n "$label" ]; then
			tail -n +1 -F --pid="$QPID" "$dir/guest.log" 2>/dev/null | sed -u "s/^/[$label] /" &
		else
			tail -n +1 -F --pid="$QPID" "$dir/guest.log" 2>/dev/null &
		fi
		tpids+=("$!")
	fi
}

# remaining K: scenarios of kernel K nobody has taken yet.
remaining() { find "$out/queue/$1" -maxdepth 1 -type f -name '[0-9]*' 2>/dev/null | wc -l; }

start=$(date +%s.%N)
declare -A gdir gkernel grc running_on left_at_boot dead kdone
for k in "${kernels[@]}"; do running_on[$k]=0; done
ng=0
timed_out=0
live=()
if [ "$mode" != test ]; then
	boot main "$out"
	gdir[$QPID]=$out
	live=("$QPID")
else
	# start_guest: a guest for the main kernel while it has more scenarios left than guests,
	# else for the first other kernel with scenarios left and no guest yet, else for the
	# first with more scenarios left than guests on it (a kernel whose guest took none is
	# not booted again). The other kernels thus get a guest each, side by side, rather than
	# two guests one kernel after the other: two boots fewer for the same work.
	start_guest() {
		local k label r pass
		for pass in first more; do
		for k in "${kernels[@]}"; do
			[ -z "${dead[$k]:-}" ] || continue
			r=$(remaining "$k")
			[ "$r" -gt "${running_on[$k]}" ] || continue
			[ "$pass" = more ] || [ "$k" = main ] || [ "${running_on[$k]}" -eq 0 ] || continue
			label=
			if [ "$guests" -gt 1 ] || [ ${#kernels[@]} -gt 1 ]; then label="g$ng"; fi
			[ "$k" = main ] || label="g$ng $k"
			boot "$k" "$out/g$ng" "$label"
			gdir[$QPID]=$out/g$ng
			gkernel[$QPID]=$k
			left_at_boot[$QPID]=$r
			running_on[$k]=$((running_on[$k] + 1))
			live+=("$QPID")
			ng=$((ng + 1))
			return 0
		done
		done
		return 1
	}
	for ((s = 0; s < guests; s++)); do start_guest || break; done
fi

# Wait for the guests; in test mode a slot that frees up boots the next kernel with work left.
while [ ${#live[@]} -gt 0 ]; do
	done_pid=
	set +e
	wait -n -p done_pid "${live[@]}"
	qrc=$?
	set -e
	[ -n "$done_pid" ] || break
	grc[$done_pid]=$qrc
	rest=()
	for p in "${live[@]}"; do [ "$p" = "$done_pid" ] || rest+=("$p"); done
	live=("${rest[@]}")
	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then timed_out=1; fi
	if [ "$mode" = test ]; then
		k=${gkernel[$done_pid]}
		running_on[$k]=$((running_on[$k] - 1))
		# When the last guest of a kernel is done: that kernel's part of the run.
		if [ "${running_on[$k]}" -eq 0 ] && [ "$(remaining "$k")" -eq 0 ]; then
			kdone[$k]=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
		fi
		[ "$(remaining "$k")" -lt "${left_at_boot[$done_pid]}" ] || dead[$k]=1
		[ "$timed_out" = 1 ] || start_guest || true
	fi
done
sleep 0.3
for p in "${tpids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
tpids=()
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
allq=("${qpids[@]}")
qpids=()

if [ "$timed_out" = 1 ]; then
	echo "lab: a guest did not finish within ${timeout}s (stuck?); see $out/**/console.log" >&2
	for p in "${allq[@]}"; do tail -n 20 "${gdir[$p]}/console.log" >&2 || true; done
	exit 124
fi
verdict=0
for p in "${allq[@]}"; do
	d=${gdir[$p]}
	if [ ! -s "$d/rc" ]; then
		echo "lab: guest ended without reporting a result (qemu exit ${grc[$p]}); see $d/console.log" >&2
		grep -E 'lab init|Kernel panic|BUG|Oops' "$d/console.log" | tail -n 10 >&2 || true
		verdict=1
	elif [ "$(cat "$d/rc")" != 0 ]; then
		verdict=$(cat "$d/rc")
	fi
done
if [ "$mode" != test ]; then
	printf 'lab: %s finished in %ss, exit %s\n' "$mode" "$secs" "$verdict" >&2
	exit "$verdict"
fi

# Test mode: every guest's results, scenarios a guest took but never reported, scenarios
# nobody took; the time table, the durations for the next run's order, the count.
results=$out/results.tsv
: >"$results"
for p in "${allq[@]}"; do
	k=${gkernel[$p]}
	awk -F'\t' -v OFS='\t' -v k="${k/#main/}" '{ $6 = k; print }' "${gdir[$p]}/results.tsv" 2>/dev/null >>"$results" || true
done
for k in "${kernels[@]}"; do
	for e in "$out/queue/$k"/taken/* "$out/queue/$k"/[0-9]*; do
		[ -f "$e" ] || continue
		name=$(basename "$(cat "$e")" .sh)
		awk -F'\t' -v n="$name" -v k="${k/#main/}" '$1 == n && $6 == k { f = 1 } END { exit !f }' "$results" && continue
		case "$e" in */taken/*) why="its guest ended while running it" ;; *) why="never run (no guest left)" ;; esac
		kl=${k/#main/}
		echo "FAIL $name${kl:+ [$kl]}: $why"
		printf '%s\tFAIL\t0\t0\t%s\t%s\n' "$name" "$why" "${k/#main/}" >>"$results"
	done
done
bash "$repo/tests/e2e/lib/times.sh" --wall "$secs" --guests "$ng" "$results"
{
	awk -F'\t' '$2 == "PASS" && $6 == "" { printf "%s\t%s\n", $1, $3 }' "$results"
	[ ! -s "$logdir/durations.tsv" ] ||
		awk -F'\t' 'NR == FNR { if ($6 == "") seen[$1] = 1; next } !($1 in seen)' "$results" "$logdir/durations.tsv"
} | sort >"$logdir/durations.tsv.new" && mv "$logdir/durations.tsv.new" "$logdir/durations.tsv"
npass=$(awk -F'\t' '$2 == "PASS"' "$results" | wc -l)
nfail=$(awk -F'\t' '$2 != "PASS"' "$results" | wc -l)
if [ ${#kernels[@]} -gt 1 ]; then
	for k in "${kernels[@]}"; do
		echo "lab: ${k/#main/main kernel} (${kver[$k]}): its last guest ended ${kdone[$k]:-?} s into the run" >&2
	done
fi
printf 'lab: test finished in %ss on %s guest(s), exit %s\n' "$secs" "$ng" "$verdict" >&2
echo "$npass passed, $nfail failed"
[ "$verdict" = 0 ] && [ "$nfail" = 0 ] || exit 1
