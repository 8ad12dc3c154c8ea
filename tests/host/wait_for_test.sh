#!/usr/bin/env bash
# Host-side tests of wait_for (tests/e2e/lib/assert.sh) and of the scenario lint
# (tests/e2e/lib/lint.sh): a predicate computed once is refused at once (never polled until the
# timeout), a command that looks again is polled until it succeeds, and the lint names the
# file and line of every wait_for that polls a value expanded once (the bugs fixed by hand
# in kmod-netlink and daemon-config before). No lab needed; a few seconds.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 failn=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # NAME WANT-RC PATTERN -- CMD...: CMD exits WANT-RC and its output matches PATTERN
	local name=$1 want=$2 pat=$3 out rc
	shift 4
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -qE -- "$pat" <<<"$out"; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		failn=$((failn + 1)); echo "FAIL $name (exit $rc, expected $want)"; sed 's/^/    | /' <<<"$out" | tail -n 6
	fi
}

# wf SECS DESCRIPTION CMD...: wait_for in a fresh shell with the lab's assertions; prints
# how long it took (whole seconds) before its verdict.
cat >"$tmp/wf.sh" <<'WF'
# As in a scenario: the lab's machinery (lab_nap), the assertions, set -e.
LAB_REPO=$1
. "$1/scripts/lab/lib/lab.sh" || exit 99
. "$1/tests/e2e/lib/assert.sh" || exit 99
set -e
shift
t0=$SECONDS
flag=$TMPDIR_WF/flag
looks() { [ -e "$flag" ]; }
count_is() { [ "$(cat "$TMPDIR_WF/n" 2>/dev/null)" = "$1" ]; }
trap 'echo "took $((SECONDS - t0))s"' EXIT
wait_for "$@"
echo ok
WF
wf() { TMPDIR_WF=$tmp bash "$tmp/wf.sh" "$repo" "$@"; }
later() { (sleep 1; eval "$1") >/dev/null 2>&1 & }

check "[ with a \$(...) result: refused at once" 1 "took 0s" -- \
	wf 30 "n becomes 2" [ "$(cat "$tmp/n" 2>/dev/null)" = 2 ]
check "test with a fixed word: refused, reason named" 1 'compares words expanded once' -- \
	wf 30 "x" test "$(echo a)" = b
check "true: refused" 1 'never changes its answer' -- wf 30 "x" true
check "no command: refused" 1 'no command to poll' -- wf 30 "x"
check "unknown command: refused" 1 "'no_such_fn' is not a command" -- wf 30 "x" no_such_fn
later "touch '$tmp/flag'"
check "function predicate: polled until true" 0 '^ok$' -- wf 10 "flag" looks
rm -f "$tmp/flag"
later "echo 2 >'$tmp/n'"
check "function with an expected value: polled until true" 0 '^ok$' -- wf 10 "n is 2" count_is 2
later "touch '$tmp/flag'"
check "[ with a file operator: polled" 0 '^ok$' -- wf 10 "flag" [ -e "$tmp/flag" ]
check "timeout still named" 1 'timed out after 1s waiting for: never' -- wf 1 "never" count_is 99

# The lint: planted bad calls are named with file and line; the scenarios as they are pass.
cat >"$tmp/bad.sh" <<'BAD'
step "a planted scenario"
wait_for 20 "session_add event" [ "$(nl_events_of "$ev" session_add)" -ge 1 ]
wait_for 60 "session via $IF1" test "$(ictl_logged_in_via "$IF1")" = 1
wait_for 30 "leaves LOGGED_IN" \
	sh -c "[ \"$(cat $s/state)\" != LOGGED_IN ]"
wait_for 30 "fine: escaped" sh -c "[ \"\$(cat $s/state)\" != LOGGED_IN ]"
wait_for 30 "fine: $(echo file) test" [ -S /run/x.sock ]
wait_for 10 "fine: function, expected value computed once" iface_is "$sid" "$(expected "$sid")"
BAD
check "lint: [ with \$(...) named" 1 "bad.sh:2: '\\[' compares words" -- "$repo/tests/e2e/lib/lint.sh" "$tmp/bad.sh"
check "lint: test with \$(...) named" 1 "bad.sh:3: 'test' compares words" -- "$repo/tests/e2e/lib/lint.sh" "$tmp/bad.sh"
check "lint: sh -c \"\$(...)\" across a continuation named" 1 'bad.sh:4: sh -c' -- "$repo/tests/e2e/lib/lint.sh" "$tmp/bad.sh"
check "lint: exactly the three bad calls" 1 'lint: 3 finding' -- "$repo/tests/e2e/lib/lint.sh" "$tmp/bad.sh"
printf '%s\n' '. "$LAB_REPO/kmod/tests/lab-lib.sh"' 'step x' >"$tmp/sources.sh"
check "lint: a scenario sourcing a library named" 1 'sources.sh:1: sources a library itself' -- \
	"$repo/tests/e2e/lib/lint.sh" "$tmp/sources.sh"
check "lint: the scenarios and libraries pass" 0 'every wait_for polls a command' -- "$repo/tests/e2e/lib/lint.sh"

echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
