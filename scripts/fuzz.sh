#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus (userspace/fuzz/corpus/<target>,
# read only) and a working corpus in BUILD/corpus/<target>; prints executions per target.
#   [FUZZ_JOBS=N] scripts/fuzz.sh BUILD SECONDS TARGET...
# FUZZ_JOBS targets run at once (default 1); the lines come out in the order given.
# Exit 1 if a target crashed (its input is saved as BUILD/crash-<target>-*).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$1 secs=$2
shift 2
jobs=${FUZZ_JOBS:-1}
case "$jobs" in '' | *[!0-9]* | 0) echo "fuzz: FUZZ_JOBS must be a positive number, not '$jobs'" >&2; exit 2 ;; esac
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# one TARGET: runs it; its exit status in BUILD/TARGET.rc.
one() {
	local t=$1
	mkdir -p "$build/corpus/$t"
	"$build/$t" -max_total_time="$secs" -print_final_stats=1 -max_len=65536 -timeout=10 \
		-artifact_prefix="$build/crash-$t-" "$build/corpus/$t" "$repo/userspace/fuzz/corpus/$t" \
		>"$build/$t.log" 2>&1
	echo $? >"$build/$t.rc"
}
running=0
for t in "$@"; do
	rm -f "$build/$t.rc"
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	one "$t" &
	running=$((running + 1))
done
wait

status=0 total=0
for t in "$@"; do
	log=$build/$t.log
	rc=$(cat "$build/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" 2>/dev/null | tail -n1)
	total=$((total + ${execs:-0}))
	if [ "$rc" -ne 0 ]; then
		status=1
		echo "fuzz: $t CRASHED after ${execs:-?} executions (log $log)"
		grep -m5 -E "ERROR|SUMMARY|runtime error" "$log" | sed 's/^/    /'
	else
		echo "fuzz: $t ${execs:-?} executions in ${secs}s, no crash"
	fi
done
echo "fuzz: $total executions in total"
exit $status
