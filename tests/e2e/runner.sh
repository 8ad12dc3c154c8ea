#!/bin/bash
# Guest-side e2e runner: runs scenarios (tests/e2e/*.sh, or the ones named) one after the
# other in this boot, each in its own process with a timeout, then resets the lab and
# checks the kernel log. Prints one PASS/FAIL line per scenario and a closing count.
#   runner.sh [-o OUTDIR] [SCENARIO...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
LAB_REPO=${LAB_REPO:-$(cd "$here/../.." && pwd)}
export LAB_REPO
outdir=${LAB_OUT:-/tmp}/scenarios
if [ "${1:-}" = -o ]; then outdir=$2; shift 2; fi
mkdir -p "$outdir"
. "$LAB_REPO/scripts/lab/lib/lab.sh"

# Kernel log lines that fail a scenario whatever it asserted.
KERNEL_BAD='BUG:|WARNING:|Oops|general protection|kmemleak|blocked for more than|hung_task|Call Trace:'

list=()
if [ $# -gt 0 ]; then
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

pass=0
failed=()
dmesg -c >/dev/null
for f in "${list[@]}"; do
	name=$(basename "$f" .sh)
	log=$outdir/$name.log
	t0=$(date +%s.%N)
	# A scenario may ask for more time with a line "# lab-timeout: SECS".
	limit=$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)
	timeout -k 5 "${LAB_SCENARIO_TIMEOUT:-${limit:-300}}" bash -c '. "$LAB_REPO/scripts/lab/lib/lab.sh"; set -e; . "$1"' _ "$f" >"$log" 2>&1
	rc=$?
	lab_reset >>"$log" 2>&1
	dmesg -c >"$outdir/$name.dmesg"
	secs=$(awk -v s="$t0" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
	why=
	[ $rc -eq 124 ] && why="timed out"
	[ $rc -ne 0 ] && [ -z "$why" ] && why="exit $rc: $(grep -m1 '^FAIL' "$log" || tail -n1 "$log")"
	bad=$(grep -E "$KERNEL_BAD" "$outdir/$name.dmesg" | head -n1)
	[ -n "$bad" ] && why="${why:+$why; }kernel: $bad"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "PASS $name (${secs}s)"
	else
		failed+=("$name")
		echo "FAIL $name (${secs}s): $why"
		tail -n 15 "$log" | sed 's/^/    | /'
	fi
done
echo "${pass} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
