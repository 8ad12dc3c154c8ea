#!/usr/bin/env bash
# Host-side tests of the lab launcher's faults: each must end with one clear message
# naming what is missing and a non-zero exit, never a hang, and leave no qemu behind.
# Cheap (no full boot): run by `make test` beside the e2e scenarios. Its launchers take a
# lock of their own (LAB_LOCK_FILE), not the lab's: nothing of theirs is shared with a lab
# run (their logs, their qemu and the checks on it are under this test's directory).
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
run=$repo/scripts/lab/run.sh
pass=0 failn=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LAB_LOCK_FILE=$tmp/lab.lock

check() { # NAME EXPECTED-RC-KIND(nonzero|N) PATTERN -- CMD...
	local name=$1 want=$2 pat=$3
	shift 4
	local out rc
	# Generous outer bound (the lab's guests may be using the CPU).
	out=$(timeout 600 "$@" 2>&1)
	rc=$?
	local ok=1
	if [ "$want" = nonzero ]; then [ $rc -ne 0 ] || ok=0; else [ $rc -eq "$want" ] || ok=0; fi
	grep -qE "$pat" <<<"$out" || ok=0
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		failn=$((failn + 1)); echo "FAIL $name (exit $rc)"; sed 's/^/    | /' <<<"$out" | tail -n 8
	fi
}

# A PATH with everything run.sh needs but qemu.
mkdir -p "$tmp/bin"
for t in bash awk sed cat id flock mkdir dirname basename grep date seq tail env; do
	ln -sf "$(command -v $t)" "$tmp/bin/$t"
done
check "no qemu: named, non-zero" nonzero 'qemu-system-x86_64 not found' -- \
	env PATH="$tmp/bin" "$run" --timeout 5

check "kernel image not in the archive: named, non-zero" nonzero 'cannot download linux-image-0.0.0-none-amd64' -- \
	env LAB_KVER=0.0.0-none-amd64 LAB_CACHE="$tmp/cache" "$run" --timeout 5

check "unknown scenario: named, exit 1" 1 'no such scenario: no-such-scenario' -- "$run" no-such-scenario
check "bad option: exit 2" 2 'unknown option --bogus' -- "$run" --bogus

check "stuck guest: timeout named, exit 124" 124 'did not finish within 4s' -- \
	"$run" --timeout 4 --log-dir "$tmp/logs"

# Ctrl-C: qemu goes away with the launcher, nothing is left running.
# As a terminal's Ctrl-C: SIGINT to the launcher's whole process group. Job control on, so
# the background launcher gets its own group. The launcher starts with SIGINT at its default
# disposition whatever this test inherited: run in the background by a non-interactive shell
# (`nohup make test &` from a script) everything starts with SIGINT ignored, and a shell
# cannot trap a signal that was ignored when it started (the launcher would then die of
# nothing and the check would see "exit 124").
set -m
env --default-signal=INT "$run" --log-dir "$tmp/logs-int" --timeout 60 >"$tmp/int.out" 2>&1 &
lpid=$!
set +m
for _ in $(seq 36000); do pgrep -f "qemu-system-x86_64.*$tmp/logs-int" >/dev/null && break; sleep 0.1; done
sleep 1
kill -INT -- "-$lpid"
wait "$lpid"
irc=$?
sleep 1
if [ $irc -ne 0 ] && ! pgrep -f "qemu-system-x86_64.*$tmp/logs-int" >/dev/null && grep -q interrupted "$tmp/int.out"; then
	pass=$((pass + 1)); echo "PASS interrupted: qemu gone, non-zero"
else
	failn=$((failn + 1)); echo "FAIL interrupted (exit $irc)"; pkill -f "qemu-system-x86_64.*$tmp/logs-int"
fi

echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
