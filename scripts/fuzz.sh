#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS on its seed corpus (userspace/fuzz/corpus/<target>,
# read only) and a working corpus in BUILD/corpus/<target>; prints executions per target.
#   scripts/fuzz.sh BUILD SECONDS TARGET...
# Exit 1 if a target crashed (its input is saved as BUILD/crash-<target>-*).
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$1 secs=$2
shift 2
status=0 total=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "$@"; do
	mkdir -p "$build/corpus/$t"
	log=$build/$t.log
	"$build/$t" -max_total_time="$secs" -print_final_stats=1 -max_len=65536 -timeout=10 \
		-artifact_prefix="$build/crash-$t-" "$build/corpus/$t" "$repo/userspace/fuzz/corpus/$t" \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
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
