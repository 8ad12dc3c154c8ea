#!/bin/bash
# Guest-side e2e runner: runs scenarios one after the other in this boot, each in its own
# process with a timeout, then resets the lab and checks the kernel log. Prints one
# PASS/FAIL line per scenario (with its wall time), a time table with the total and the
# five slowest, and a closing count.
#   runner.sh [-o OUTDIR] [-r RESULTS] [SCENARIO...]   the scenarios named (default: all)
#   runner.sh [-o OUTDIR] [-r RESULTS] -q QUEUE         scenarios claimed from QUEUE, a
#       directory shared by every guest of the run (run.sh --guests N): each entry is a
#       file holding a scenario path; a guest claims one by renaming it into QUEUE/taken/
#       (atomic on the host over 9p), so each scenario runs once, in whichever guest is free.
# RESULTS (default OUTDIR/../results.tsv) gets a line per scenario: name, PASS|FAIL,
# seconds, seconds of the reset after it, reason; run.sh merges the guests' files.
set -u
here=$(cd "$(dirname "$0")" && pwd)
LAB_REPO=${LAB_REPO:-$(cd "$here/../.." && pwd)}
export LAB_REPO
outdir=${LAB_SHARED:-${LAB_OUT:-/tmp}}/scenarios
results=
queue=
while [ $# -gt 0 ]; do
	case "$1" in
	-o) outdir=$2; shift 2 ;;
	-r) results=$2; shift 2 ;;
	-q) queue=$2; shift 2 ;;
	*) break ;;
	esac
done
mkdir -p "$outdir"
[ -n "$results" ] || results=$outdir/../results.tsv
: >"$results"
. "$LAB_REPO/scripts/lab/lib/lab.sh"

# Kernel log lines that fail a scenario whatever it asserted.
KERNEL_BAD='BUG:|WARNING:|Oops|general protection|kmemleak|blocked for more than|hung_task|Call Trace:'
# Known kernel warnings that are not ours, dropped before KERNEL_BAD is applied, each a whole
# "cut here" ... "end trace" block whose headline matches and with no frame in our module:
# - Debian 6.1's scsi_transport_iscsi unbinds a session on its WQ_MEM_RECLAIM iscsi_ctrl
#   workqueue and removing the SCSI target flushes a pending runtime-PM work
#   (check_flush_dependency), a race of the stock modules seen without iscsi_iface_attrs
#   loaded (reconcile-concurrent, 2026-12-07).
KERNEL_KNOWN='WQ_MEM_RECLAIM iscsi_ctrl_[0-9:]+:__iscsi_unbind_session \[scsi_transport_iscsi\] is flushing !WQ_MEM_RECLAIM pm:pm_runtime_work'
# kernel_log_filtered FILE: FILE without the known blocks; each dropped block is named on stderr.
kernel_log_filtered() {
	awk -v known="$KERNEL_KNOWN" '
		function flush(   i, ours) {
			ours = 0
			for (i = 1; i <= n; i++) if (blk[i] ~ /\+0x[0-9a-f]+\/0x[0-9a-f]+ \[iscsi_iface_attrs\]/) ours = 1
			if (isknown && !ours) { print "known kernel warning (not ours), ignored: " head > "/dev/stderr" }
			else for (i = 1; i <= n; i++) print blk[i]
			n = 0; inblk = 0; isknown = 0; head = ""
		}
		/-+\[ cut here \]-+/ { if (inblk) flush(); inblk = 1 }
		inblk { blk[++n] = $0; if ($0 ~ known) { isknown = 1; head = $0 } if ($0 ~ /---\[ end trace/) flush(); next }
		{ print }
		END { if (inblk) flush() }
	' "$1"
}

list=()
if [ -n "$queue" ]; then
	:
elif [ $# -gt 0 ]; then
	for s in "$@"; do
		for f in "$s" "$LAB_REPO/$s" "$here/$s" "$here/$s.sh"; do
			[ -f "$f" ] && { list+=("$f"); break; }
		done
	done
else
	for f in "$here"/*.sh; do
		[ "$(basename "$f")" = runner.sh ] || list+=("$f")
	done
fi

# next_scenario: the next scenario file in NEXT (from the list, or claimed from the queue).
li=0
next_scenario() {
	local e
	if [ -z "$queue" ]; then
		[ "$li" -lt "${#list[@]}" ] || return 1
		NEXT=${list[$li]}
		li=$((li + 1))
		return 0
	fi
	mkdir -p "$queue/taken"
	for e in "$queue"/[0-9]*; do
		[ -f "$e" ] || continue
		if mv "$e" "$queue/taken/" 2>/dev/null; then
			NEXT=$(cat "$queue/taken/${e##*/}")
			return 0
		fi
	done
	return 1
}

# now: seconds since boot (no fork: /proc/uptime through a builtin read).
now() { local u _; read -r u _ </proc/uptime; echo "$u"; }
secs_between() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }

pass=0
failed=()
dmesg -c >/dev/null
while next_scenario; do
	f=$NEXT
	name=$(basename "$f" .sh)
	log=$outdir/$name.log
	t0=$(now)
	# A scenario may ask for more time with a line "# lab-timeout: SECS".
	limit=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)
	# The one test library (tests/e2e/lib/e2e.sh) is sourced for every scenario.
	timeout -k 5 "${LAB_SCENARIO_TIMEOUT:-${limit:-300}}" \
		bash -c '. "$LAB_REPO/tests/e2e/lib/e2e.sh"; set -e; . "$1"' _ "$f" >"$log" 2>&1
	rc=$?
	t1=$(now)
	lab_reset >>"$log" 2>&1
	dmesg -c >"$outdir/$name.dmesg"
	t2=$(now)
	secs=$(secs_between "$t0" "$t2")
	why=
	[ $rc -eq 124 ] && why="timed out"
	[ $rc -ne 0 ] && [ -z "$why" ] && why="exit $rc: $(grep -m1 '^FAIL' "$log" || tail -n1 "$log")"
	bad=$(kernel_log_filtered "$outdir/$name.dmesg" 2>"$outdir/$name.known" | grep -E "$KERNEL_BAD" | head -n1)
	[ ! -s "$outdir/$name.known" ] || sed 's/^/    /' "$outdir/$name.known" | tee -a "$log"
	rm -f "$outdir/$name.known"
	[ -n "$bad" ] && why="${why:+$why; }kernel: $bad"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "PASS $name (${secs}s)"
		printf '%s\tPASS\t%s\t%s\t\n' "$name" "$secs" "$(secs_between "$t1" "$t2")" >>"$results"
	else
		failed+=("$name")
		echo "FAIL $name (${secs}s): $why"
		tail -n 15 "$log" | sed 's/^/    | /'
		printf '%s\tFAIL\t%s\t%s\t%s\n' "$name" "$secs" "$(secs_between "$t1" "$t2")" "${why//$'\t'/ }" >>"$results"
	fi
done
if [ -z "$queue" ]; then
	bash "$LAB_REPO/tests/e2e/lib/times.sh" "$results"
	echo "${pass} passed, ${#failed[@]} failed"
else
	# run.sh prints the table and the count of the whole run, every guest's together.
	echo "this guest: ${pass} passed, ${#failed[@]} failed"
fi
[ ${#failed[@]} -eq 0 ]
