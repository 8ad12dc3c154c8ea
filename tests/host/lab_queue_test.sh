#!/usr/bin/env bash
# Host-side tests of the launcher's queue (scripts/lab/run.sh --guests N, --kernels), with a
# stand-in for qemu that plays the guests: it takes scenarios from the shared queue the way
# tests/e2e/runner.sh does (a rename into taken/), "runs" each as its header says
# (`# fake: pass SECS`, `# fake: fail`, `# fake: die` = the guest dies running it) and
# reports results.tsv and rc. Checks: every scenario runs exactly once, spread over the
# guests, longest first; a dead guest's scenario and the ones nobody took are failures;
# the tagged scenarios also run on the extra kernels; the table, the top five and the
# closing count; a second run waits for the lock while the first run's guests share it.
# No lab needed (nor its lock): a few seconds.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
run=$repo/scripts/lab/run.sh
pass=0 failn=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { failn=$((failn + 1)); echo "FAIL $1"; [ -z "${2:-}" ] || sed 's/^/    | /' "$2" | tail -n 25; }
check() { # NAME FILE PATTERN: FILE has a line matching PATTERN (ERE)
	if grep -qE -- "$3" "$2"; then ok "$1"; else bad "$1" "$2"; fi
}
check_not() {
	if grep -qE -- "$3" "$2"; then bad "$1" "$2"; else ok "$1"; fi
}

mkdir -p "$tmp/bin" "$tmp/scen" "$tmp/cache"
cat >"$tmp/bin/qemu-system-x86_64" <<'FAKE'
#!/usr/bin/env bash
# A guest, played: see lab_queue_test.sh.
own= share= side= cmdline=
while [ $# -gt 0 ]; do
	case "$1" in
	-virtfs) case "$2" in *mount_tag=labout*) own=${2#*path=}; own=${own%%,*} ;;
		*mount_tag=labshare*) share=${2#*path=}; share=${share%%,*} ;; esac; shift 2 ;;
	-chardev) case "$2" in file,id=side,path=*) side=${2#*path=} ;; file,id=con,path=*) : >"${2#*path=}" ;; esac; shift 2 ;;
	-append) cmdline=$2; shift 2 ;;
	*) shift ;;
	esac
done
q=$(sed -n 's/.*lab\.queue=\([^ ]*\).*/\1/p' <<<"$cmdline")
exec >>"$side" 2>&1
[ -z "${FAKE_DIE_AT_BOOT:-}" ] || { echo "panic at boot"; exit 1; }
echo "lab: guest up (fake, queue $q)"
sleep "${FAKE_BOOT:-0.3}"
mkdir -p "$share/queue/$q/taken"
np=0 nf=0
while :; do
	e=
	for c in "$share/queue/$q"/[0-9]*; do
		[ -f "$c" ] && mv "$c" "$share/queue/$q/taken/" 2>/dev/null && { e=$share/queue/$q/taken/${c##*/}; break; }
	done
	[ -n "$e" ] || break
	f=$share/in/$(basename "$(cat "$e")")
	name=$(basename "$f" .sh)
	echo "$name $q $(basename "$own")" >>"$share/ran.log"
	read -r _ _ what secs < <(grep '^# fake:' "$f")
	case "$what" in
	pass) sleep "${secs:-0.1}"; echo "PASS $name"; printf '%s\tPASS\t%s\t0.1\t\n' "$name" "${secs:-0.1}" >>"$own/results.tsv"; np=$((np + 1)) ;;
	fail) echo "FAIL $name"; printf '%s\tFAIL\t0.2\t0.1\tdeliberate\n' "$name" >>"$own/results.tsv"; nf=$((nf + 1)) ;;
	die) echo "guest dies"; exit 1 ;;
	esac
done
echo "this guest: $np passed, $nf failed"
[ "$nf" -eq 0 ] && echo 0 >"$own/rc" || echo 1 >"$own/rc"
FAKE
chmod 755 "$tmp/bin/qemu-system-x86_64"
# The lab kernel and initramfs, stood in for (run.sh only passes their paths to qemu).
mkdir -p "$tmp/k/boot"
: >"$tmp/initrd"
cat >"$tmp/bin/kernel.sh" <<'K'
#!/bin/sh
echo "${FAKE_KTREE}"
K
chmod 755 "$tmp/bin/kernel.sh"

scen() { # NAME HOW [TAG]
	printf '# fake: %s\n%s\n' "$2" "${3:-}" >"$tmp/scen/$1.sh"
}
# Longest first: durations say c is longest, then a.
printf 'a\t20\nb\t1\nc\t30\nd\t2\ne\t3\nf\t4\n' >"$tmp/durations.tsv"
scen a "pass 0.6" "# lab-kernels: all"
scen b "pass 0.2"
scen c "pass 0.8"
scen d "pass 0.2" "# lab-kernels: 9.9"
scen e "pass 0.2" "# lab-kernels: 9.9"
scen f "pass 0.2"

# run.sh finds its kernel and initramfs helpers next to itself: a copy of scripts/lab with
# stand-ins for the three, so no download and no real kernel are involved.
lab=$tmp/lab
mkdir -p "$lab/scripts/lab" "$lab/tests/e2e/lib"
# Its lock too: no real lab is involved, so these runs need not queue behind real ones
# (the lock's logic is the same, checked in 4. below on the private file).
sed "s#/run/lock/iscsictl-lab.lock#$tmp/lab.lock#g" "$run" >"$lab/scripts/lab/run.sh"
grep -q "$tmp/lab.lock" "$lab/scripts/lab/run.sh" || { echo "FAIL run.sh has no lock path to replace"; exit 1; }
cp "$repo/tests/e2e/lib/times.sh" "$lab/tests/e2e/lib/"
printf '#!/bin/sh\necho %s\n' "$tmp/k" >"$lab/scripts/lab/kernel.sh"
printf '#!/bin/sh\necho "0.0.0-fake${LAB_KERNEL:+-$LAB_KERNEL}"\n' >"$lab/scripts/lab/kernel-version.sh"
printf '#!/bin/sh\necho %s\n' "$tmp/initrd" >"$lab/scripts/lab/initramfs.sh"
chmod 755 "$lab/scripts/lab/"*.sh
frun() { env PATH="$tmp/bin:$PATH" "$lab/scripts/lab/run.sh" "$@"; }
names() { for n in "$@"; do echo "$tmp/scen/$n.sh"; done; }

# 1. Two guests, six scenarios, two extra kernels for the tagged ones.
cp "$tmp/durations.tsv" "$tmp/logs1-durations.tsv"
mkdir -p "$tmp/logs1"
cp "$tmp/durations.tsv" "$tmp/logs1/durations.tsv"
frun --guests 2 --kernels "9.9 8.8" --log-dir "$tmp/logs1" $(names a b c d e f) >"$tmp/out1" 2>&1
rc=$?
out=$tmp/logs1/test
[ $rc -eq 0 ] && ok "all pass: exit 0" || bad "all pass: exit 0 (got $rc)" "$tmp/out1"
check "closing count over every kernel" "$tmp/out1" '^10 passed, 0 failed$'
n=$(grep -c ' main ' "$out/ran.log")
[ "$n" = 6 ] && ok "main kernel: each scenario once" || bad "main kernel: each scenario once ($n)" "$out/ran.log"
[ "$(grep -c '^a main' "$out/ran.log")" = 1 ] && ok "a ran once on main" || bad "a ran once on main" "$out/ran.log"
check "tagged 'all' ran on 9.9" "$out/ran.log" '^a 9\.9 '
check "tagged 'all' ran on 8.8" "$out/ran.log" '^a 8\.8 '
check "tagged '9.9' ran on 9.9" "$out/ran.log" '^d 9\.9 '
check_not "tagged '9.9' not on 8.8" "$out/ran.log" '^d 8\.8 '
check_not "untagged not on 9.9" "$out/ran.log" '^[bcf] 9\.9 '
# The other kernels get a guest each, side by side, before either gets a second one (9.9
# has three scenarios, 8.8 one): the boots go main, main, 9.9, 8.8.
boots=$(sed -n 's/^lab: booting [^ ]* (test, g[0-9]*\(.*\)).*/\1/p' "$tmp/out1" | head -n4 | xargs)
[ "$boots" = "9.9 8.8" ] && ok "other kernels: a guest each before a second one" ||
	bad "other kernels: a guest each before a second one (boots after main's: '$boots')" "$tmp/out1"
g0=$(awk '$2 == "main" && $3 == "g0"' "$out/ran.log" | wc -l)
g1=$(awk '$2 == "main" && $3 == "g1"' "$out/ran.log" | wc -l)
[ "$g0" -ge 1 ] && [ "$g1" -ge 1 ] && ok "both guests took scenarios ($g0 + $g1)" || bad "both guests took scenarios ($g0 + $g1)" "$out/ran.log"
first2=$(grep ' main ' "$out/ran.log" | head -n2 | cut -d' ' -f1 | sort | xargs)
[ "$first2" = "a c" ] && ok "longest first (c, a)" || bad "longest first (got '$first2')" "$out/ran.log"
check "time table with the total" "$tmp/out1" '^  total +[0-9.]+ .*10 scenarios, [0-9.]+ s wall on [0-9]+ guest'
check "five slowest" "$tmp/out1" '^  slowest: c 0\.8, a 0\.6'
check "other kernels' rows named" "$tmp/out1" '^  a \[9\.9\] '
check "guests' output prefixed" "$tmp/out1" '^\[g1\] '
check "durations kept for the next run" "$tmp/logs1/durations.tsv" '^c	0\.8$'

# 2. A failing scenario, a guest that dies in one: both failures named, the rest still run.
scen x "fail"
scen y "die"
frun --guests 2 --log-dir "$tmp/logs2" $(names b c x y e f) >"$tmp/out2" 2>&1
rc=$?
[ $rc -ne 0 ] && ok "failures: non-zero exit" || bad "failures: non-zero exit" "$tmp/out2"
check "failed scenario counted" "$tmp/out2" '^4 passed, 2 failed$'
check "dead guest's scenario named" "$tmp/out2" '^FAIL y: its guest ended while running it'
check "dead guest named" "$tmp/out2" 'guest ended without reporting a result'
check "failing one in the table" "$tmp/out2" '^  x +0\.2 .*FAIL'
check "durations written on a first run" "$tmp/logs2/durations.tsv" '^b	0\.2$'
left=$(awk '$2 == "main"' "$tmp/logs2/test/ran.log" | wc -l)
[ "$left" = 6 ] && ok "every scenario still ran" || bad "every scenario still ran ($left)" "$tmp/logs2/test/ran.log"

# 3. A guest that dies in a scenario is replaced (the next one runs the rest); one that
#    dies before taking any is not booted again, and what nobody took is reported.
mkdir -p "$tmp/logs3"
printf 'y\t50\n' >"$tmp/logs3/durations.tsv"
frun --guests 1 --log-dir "$tmp/logs3" $(names y b e) >"$tmp/out3" 2>&1
check "dead guest replaced: the rest ran" "$tmp/out3" '^2 passed, 1 failed$'
n=$(grep -c 'lab: booting' "$tmp/out3")
[ "$n" = 2 ] && ok "dead guest replaced once ($n boots)" || bad "dead guest replaced once ($n boots)" "$tmp/out3"
FAKE_DIE_AT_BOOT=1 frun --guests 1 --log-dir "$tmp/logs3b" $(names b e) >"$tmp/out3b" 2>&1
check "never run: named" "$tmp/out3b" '^FAIL (b|e): never run'
check "never run: counted" "$tmp/out3b" '^0 passed, 2 failed$'
n=$(grep -c 'lab: booting' "$tmp/out3b")
[ "$n" = 1 ] && ok "a guest that took nothing is not booted again ($n boot)" || bad "not booted again ($n boots)" "$tmp/out3b"

# 4. The lock: a second run waits while the first run's two guests run together.
scen s1 "pass 2"
scen s2 "pass 2"
frun --guests 2 --log-dir "$tmp/logs4" $(names s1 s2) >"$tmp/out4a" 2>&1 &
a=$!
for _ in $(seq 100); do grep -q 'lab: booting' "$tmp/out4a" 2>/dev/null && break; sleep 0.1; done
t0=$(date +%s.%N)
frun --guests 1 --log-dir "$tmp/logs5" $(names b) >"$tmp/out4b" 2>&1
t1=$(date +%s.%N)
wait "$a"
check "second run waited for the lock" "$tmp/out4b" 'another lab run holds'
[ "$(grep -c 'lab: booting' "$tmp/out4a")" = 2 ] && ok "first run's guests both booted under one lock" ||
	bad "first run's guests both booted" "$tmp/out4a"
w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 10 }')
[ "$w" -ge 15 ] && ok "second run ran after the first (waited $((w / 10)).$((w % 10)) s)" || bad "second run ran after the first ($w)" "$tmp/out4b"

echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
