#!/usr/bin/env bash
# The test suite behind `make test` and `make check` (after `make deps`):
#
#   scripts/lab/suite.sh test    build; lint and host tests; unit tests; then, at once:
#                                (a) the lab launcher's faults and every e2e scenario in the
#                                lab (LAB_GUESTS guests share them), (b) the ASan+UBSan build
#                                and its unit run (JOBS_BESIDE_LAB jobs, nice NICE_BESIDE_LAB),
#                                on the core the lab's 1-vCPU guests leave
#   scripts/lab/suite.sh check   the inner loop: build, lint, unit tests, the scenarios in
#                                CHECK_SCENARIOS (one each that touches the module,
#                                reconcile and the daemon)
#
# Each stage's output goes to build/suite/<stage>.log (the build and the lab also to the
# terminal). Ends with a table of the stages (result, seconds) and the line
# `N passed, N failed` over every test case, check and scenario; exit 0 only if none failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
mode=${1:-test}
case "$mode" in test | check) ;; *) echo "suite: test or check, not '$mode'" >&2; exit 2 ;; esac
MAKE=${MAKE:-make}
logs=$repo/build/suite
mkdir -p "$logs"
t_start=$(date +%s.%N)
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }'; }

rows=()
total_pass=0
total_fail=0
# count LOG RC: "P F" from a log: the last "N passed, N failed" line, else doctest's
# "test cases: N | P passed | F failed", else 1 0 or 0 1 by the exit status.
count() {
	local c
	c=$(sed -n 's/^\(this guest: \)\{0,1\}\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\2 \3/p' "$1" | tail -n1)
	[ -n "$c" ] || c=$(sed -n 's/^\[doctest\] test cases: *[0-9]* *| *\([0-9]*\) passed *| *\([0-9]*\) failed.*/\1 \2/p' "$1" | tail -n1)
	[ -n "$c" ] || { [ "$2" -eq 0 ] && c="1 0" || c="0 1"; }
	# A non-zero exit with nothing counted as failed is still a failure.
	[ "$2" -eq 0 ] || [ "${c#* }" != 0 ] || c="${c% *} 1"
	echo "$c"
}
# record NAME LOG RC SECS [NOTE]
record() {
	local p f
	read -r p f <<<"$(count "$2" "$3")"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	rows+=("$(printf '%-28s %5s passed %3s failed %6ss  %s' "$1" "$p" "$f" "$4" "${5:-}")")
	[ "$3" -eq 0 ] && [ "$f" -eq 0 ]
}
# stage NAME LOG-NAME [--quiet] CMD...: run CMD (output to the log, and the terminal unless
# --quiet), time it, record it.
stage() {
	local name=$1 log=$logs/$2.log quiet= t rc
	shift 2
	[ "$1" = --quiet ] && { quiet=1; shift; }
	echo "== $name"
	t=$(date +%s.%N)
	if [ -n "$quiet" ]; then
		"$@" >"$log" 2>&1
		rc=$?
		[ $rc -eq 0 ] || tail -n 30 "$log" | sed 's/^/    | /'
	else
		"$@" 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
	fi
	record "$name" "$log" "$rc" "$(since "$t")"
}
summary() {
	local r
	echo "== summary ($mode, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
	for r in "${rows[@]}"; do echo "  $r"; done
	echo "  make $mode: $(since "$t_start") s wall"
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" -eq 0 ]
}

bg=
cleanup() { [ -z "$bg" ] || kill -TERM -- "-$bg" 2>/dev/null; }
trap cleanup EXIT
trap 'echo "suite: interrupted" >&2; exit 130' INT TERM

# 1. Build (plain): the binary, the unit tests, the module (every lab kernel) and the
#    lab's test module. Nothing can be tested without it.
build() {
	"$MAKE" --no-print-directory all || return
	local k
	for k in ${LAB_EXTRA_KERNELS:-}; do
		"$MAKE" --no-print-directory kmod LAB_KERNEL="$k" || return
	done
}
if ! stage "build" build build; then
	summary
	exit 1
fi

# 2. Cheap host-side checks.
stage "lint of the scenarios" lint --quiet tests/e2e/lib/lint.sh
stage "wait_for and lint (host)" wait-for --quiet tests/host/wait_for_test.sh
stage "launcher's queue (host)" lab-queue --quiet tests/host/lab_queue_test.sh

# 3. Unit tests (plain build).
stage "unit tests" unit --quiet build/iscsictl_test

if [ "$mode" = check ]; then
	stage "e2e: ${CHECK_SCENARIOS:-}" e2e scripts/lab/run.sh --guests "${LAB_GUESTS:-1}" ${CHECK_SCENARIOS:-}
	summary
	exit
fi

# 4. Beside the lab: the ASan+UBSan build and its unit run, in its own process group (so
#    an interrupted suite stops it), logged; the lab's stages on the terminal meanwhile.
asan() {
	nice -n "${NICE_BESIDE_LAB:-0}" "$MAKE" --no-print-directory unit-asan JOBS="${JOBS_BESIDE_LAB:-1}"
}
export -f asan
export MAKE NICE_BESIDE_LAB JOBS_BESIDE_LAB
echo "== unit tests under ASan+UBSan: building beside the lab (log build/suite/unit-asan.log)"
t_asan=$(date +%s.%N)
setsid bash -c 'asan >"$1" 2>&1; echo $? >"$1.rc"' _ "$logs/unit-asan.log" &
bg=$!
rm -f "$logs/unit-asan.log.rc"

stage "lab launcher faults (host)" lab-faults tests/host/lab_faults_test.sh
stage "e2e scenarios (${LAB_GUESTS:-1} guests)" e2e scripts/lab/run.sh --guests "${LAB_GUESTS:-1}"

if ! [ -s "$logs/unit-asan.log.rc" ]; then
	echo "== waiting for the ASan+UBSan build and unit run"
fi
wait "$bg"
bg=
rc=$(cat "$logs/unit-asan.log.rc" 2>/dev/null || echo 1)
asan_secs=$(awk -v s="$t_asan" -v e="$(stat -c %Y "$logs/unit-asan.log.rc" 2>/dev/null || date +%s)" 'BEGIN { printf "%.0f", e - s }')
grep -E '^\[doctest\] (test cases|assertions|Status)' "$logs/unit-asan.log" | sed 's/^/    /'
[ "$rc" -eq 0 ] || tail -n 40 "$logs/unit-asan.log" | sed 's/^/    | /'
record "unit tests (ASan+UBSan)" "$logs/unit-asan.log" "$rc" "$asan_secs" "built and run beside the lab"
summary
