#!/usr/bin/env bash
# The test suite behind `make test` and `make check` (after `make deps`):
#
#   scripts/lab/suite.sh test    build what the lab runs (iscsictl, the module); then, at once:
#                                (a) every e2e scenario in the lab (LAB_GUESTS guests share
#                                them) on the terminal, and
#                                (b) beside it, logged: the lint and host tests (the lab
#                                launcher's faults among them), the unit tests
#                                (plain build), the ASan+UBSan build (clang) with its unit run
#                                and fuzz smoke (JOBS_BESIDE_LAB jobs at nice
#                                NICE_BESIDE_LAB), on the CPU time the lab's guests leave
#   scripts/lab/suite.sh check   the inner loop: build, lint, host tests, unit tests, the
#                                scenarios in CHECK_SCENARIOS (one each that touches the
#                                module, reconcile and the daemon)
#
# Each stage's output goes to build/suite/<stage>.log (the build and the lab also to the
# terminal). Ends with a table of the stages (counts, seconds) and the line
# `N passed, N failed` over every test case, check and scenario; exit 0 only if none failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
mode=${1:-test}
case "$mode" in test | check | beside) ;; *) echo "suite: test or check, not '$mode'" >&2; exit 2 ;; esac
MAKE=${MAKE:-make}
logs=$repo/build/suite
mkdir -p "$logs"
# What the lab waits for while the stages beside it build it (kmod-K: the modules of kernel K).
pending=$logs/pending
t_start=$(date +%s.%N)
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }'; }

rows=()
total_pass=0
total_fail=0
# count LOG RC: "P F" from a log: the last "N passed, N failed" line, else doctest's
# "test cases: N | P passed | F failed", else 1 0 or 0 1 by the exit status.
count() {
	local c
	c=$(sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$1" | tail -n1)
	[ -n "$c" ] || c=$(sed -n 's/^\[doctest\] test cases: *[0-9]* *| *\([0-9]*\) passed *| *\([0-9]*\) failed.*/\1 \2/p' "$1" | tail -n1)
	[ -n "$c" ] || { [ "$2" -eq 0 ] && c="1 0" || c="0 1"; }
	# A non-zero exit with nothing counted as failed is still a failure.
	[ "$2" -eq 0 ] || [ "${c#* }" != 0 ] || c="${c% *} 1"
	echo "$c"
}
# record NAME LOG RC SECS [NOTE] (in the "beside" process: a line of build/suite/beside.tsv
# for the main one to record)
record() {
	local p f
	if [ "$mode" = beside ]; then
		printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$logs/beside.tsv"
		[ "$3" -eq 0 ]
		return
	fi
	read -r p f <<<"$(count "$2" "$3")"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	rows+=("$(printf '%-44s %5s passed %3s failed %6ss  %s' "$1" "$p" "$f" "$4" "${5:-}")")
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
	local main=
	[ -z "$main_part" ] || main=" (the main kernel's scenarios done at $main_part s)"
	echo "  make $mode: $(since "$t_start") s wall$main"
	echo "$total_pass passed, $total_fail failed"
	[ "$total_fail" -eq 0 ]
}

bg=
main_part=
cleanup() {
	[ -z "$bg" ] || kill -TERM -- "-$bg" 2>/dev/null
	[ "$mode" = beside ] || rm -rf "$pending"
}
trap cleanup EXIT
trap 'echo "suite: interrupted" >&2; exit 130' INT TERM

# The stages beside the lab (run as `suite.sh beside` in its own process group).
if [ "$mode" = beside ]; then
	exec </dev/null
	# First what the lab waits for: the other kernels' modules (their guests boot after the
	# main kernel's scenarios). Each kernel's pending marker goes when its build ends, failed
	# or not (the lab then reports what is missing).
	other_modules() {
		local k rc=0
		for k in ${LAB_EXTRA_KERNELS:-}; do
			# Not niced: a guest may wait for it (about 30 s of one core a kernel).
			"$MAKE" --no-print-directory lab-modules LAB_KERNEL="$k" || rc=1
			rm -f "$pending/kmod-$k"
		done
		return $rc
	}
	stage "modules for ${LAB_EXTRA_KERNELS:-no other kernel}" modules-other --quiet other_modules
	stage "layer includes (and self-test)" lint-includes --quiet "$MAKE" --no-print-directory lint-includes
	stage "checkpatch (kmod/)" checkpatch --quiet "$MAKE" --no-print-directory checkpatch
	stage "lint of the scenarios" lint --quiet tests/e2e/lib/lint.sh
	stage "wait_for and lint (host)" wait-for --quiet tests/host/wait_for_test.sh
	stage "launcher's queue (host)" lab-queue --quiet tests/host/lab_queue_test.sh
	# A lock of their own (LAB_LOCK_FILE): beside the lab, not after it (18 s).
	stage "lab launcher faults (host)" lab-faults --quiet tests/host/lab_faults_test.sh
	unit() {
		nice -n "${NICE_BESIDE_LAB:-0}" "$MAKE" --no-print-directory userspace JOBS="${JOBS_BESIDE_LAB:-1}" &&
			build/iscsictl_test
	}
	stage "unit tests" unit --quiet unit
	stage "man pages, completion, unit file (host)" pkg-check --quiet "$MAKE" --no-print-directory pkg-check JOBS="${JOBS_BESIDE_LAB:-1}"
	asan() {
		nice -n "${NICE_BESIDE_LAB:-0}" "$MAKE" --no-print-directory unit-asan JOBS="${JOBS_BESIDE_LAB:-1}"
	}
	stage "unit tests (ASan+UBSan)" unit-asan --quiet asan
	fuzz() {
		nice -n "${NICE_BESIDE_LAB:-0}" "$MAKE" --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SMOKE_SECONDS:-5}" FUZZ_JOBS="${JOBS_BESIDE_LAB:-1}" \
			JOBS="${JOBS_BESIDE_LAB:-1}"
	}
	stage "fuzz smoke (libFuzzer, ASan+UBSan, ${FUZZ_SMOKE_SECONDS:-5} s a target)" fuzz --quiet fuzz
	exit 0
fi

if [ "$mode" = check ]; then
	stage "build" build "$MAKE" --no-print-directory all || { summary; exit 1; }
	stage "layer includes (and self-test)" lint-includes --quiet "$MAKE" --no-print-directory lint-includes
	stage "lint of the scenarios" lint --quiet tests/e2e/lib/lint.sh
	stage "wait_for and lint (host)" wait-for --quiet tests/host/wait_for_test.sh
	stage "unit tests" unit --quiet build/iscsictl_test
	stage "e2e: ${CHECK_SCENARIOS:-}" e2e scripts/lab/run.sh --guests "${LAB_GUESTS:-1}" ${CHECK_SCENARIOS:-}
	summary
	exit
fi

# make test. 1. What the lab runs first: the iscsictl binary, the main kernel's module and
#    the lab's test module, the packages. Nothing can be tested without them.
# Each kernel's modules land in build/kmod/<release>/, which is what the guests load: the
# in-tree kmod/*.ko is whichever kernel's build ran last (the other kernels' run beside).
# The main kernel's only: the other kernels' modules are built beside the lab, which waits
# for them (pending markers in build/suite/pending/).
# The packages too (pkg-install installs them): built beside the lab with one job they took
# 805 s (measured), so here, with every core. No -dbgsym package, line tables only (-g1,
# appended to dpkg-buildflags' -g) and not optimised (noopt: -O0, which also drops
# _FORTIFY_SOURCE): pkg-install proves installing, upgrading and removing them, not their
# speed, and the compile is on the critical path. Otherwise they are what `make deb` builds.
# The packages' compile is also 8 files to a unit (pkg.iscsictl.unity: 94 s -> 50 s), and
# runs beside the binary's (after the modules, and with no Kbuild run beside it: the package
# copies kmod/, where even a Kbuild run with nothing to do makes temporary files; run K of
# make test failed so, tar: "kmod/.tmp_3396/tmp: Cannot stat"): the serial parts of each
# (configure, link, debhelper, lintian) overlap.
build_for_lab() {
	"$MAKE" --no-print-directory kmod lab-modules || return
	DEB_BUILD_OPTIONS="parallel=$(nproc) nocheck noautodbgsym noopt pkg.iscsictl.unity" DEB_CXXFLAGS_APPEND=-g1 \
		"$MAKE" --no-print-directory deb &
	local deb=$! rc=0
	"$MAKE" --no-print-directory lab-binary || rc=1
	wait "$deb" || rc=1
	return $rc
}
if ! stage "build (what the lab runs)" build build_for_lab; then
	summary
	exit 1
fi

# 2. Beside the lab, in its own process group (an interrupted suite stops it), logged.
: >"$logs/beside.tsv"
rm -rf "$pending"
mkdir -p "$pending"
for k in ${LAB_EXTRA_KERNELS:-}; do : >"$pending/kmod-$k"; done
export LAB_PENDING_DIR=$pending
echo "== beside the lab: lint, host tests, unit tests, the ASan+UBSan build and its unit run (logs in build/suite/)"
t_beside=$(date +%s.%N)
setsid "$here/suite.sh" beside >"$logs/beside.log" 2>&1 &
bg=$!

# 3. The lab.
t_e2e=$(date +%s.%N)
stage "e2e scenarios (${LAB_GUESTS:-1} guests)" e2e scripts/lab/run.sh --guests "${LAB_GUESTS:-1}"
# The main kernel's part of make test: from the start to its last guest's end.
main_end=$(sed -n 's/^lab: main kernel ([^)]*): its last guest ended \([0-9.]*\) s into the run$/\1/p' "$logs/e2e.log")
[ -z "$main_end" ] || main_part=$(awk -v a="$t_e2e" -v b="$t_start" -v m="$main_end" 'BEGIN { printf "%.0f", a - b + m }')

kill -0 "$bg" 2>/dev/null && echo "== waiting for the stages beside the lab ($(tail -n1 "$logs/beside.tsv" 2>/dev/null | cut -f1 || true) done so far)"
wait "$bg"
bg=
echo "== beside the lab: done $(since "$t_beside") s after the lab started"
while IFS=$'\t' read -r name log rc secs note; do
	[ "$rc" -eq 0 ] || { echo "== $name failed:"; tail -n 40 "$log" | sed 's/^/    | /'; }
	case "$name" in *ASan*) grep -E '^\[doctest\] (test cases|assertions)' "$log" | sed 's/^/    /' ;; esac
	record "$name (beside the lab)" "$log" "$rc" "$secs" "$note"
done <"$logs/beside.tsv"
[ "$(wc -l <"$logs/beside.tsv")" -ge 11 ] || record "stages beside the lab" "$logs/beside.log" 1 0 "ended early"
summary
