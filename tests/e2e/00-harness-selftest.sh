# The harness itself: a failing scenario fails the run, a kernel WARN during a scenario
# is caught by the dmesg check, a hung scenario is stopped by the timeout, a passing
# one passes, and the runner's exit status says so.
sel=$LAB_REPO/tests/e2e/selftest
[ -f "$LAB_REPO/build/kmod/$(uname -r)/lab_warn.ko" ] || fail "lab_warn.ko not built (make)"
out=/tmp/selftest
set +e
LAB_SCENARIO_TIMEOUT=3 bash "$LAB_REPO/tests/e2e/runner.sh" -o "$out" \
	"$sel/pass.sh" "$sel/fail.sh" "$sel/warn.sh" "$sel/hang.sh" >/tmp/selftest.out 2>&1
rc=$?
set -e
cat /tmp/selftest.out
[ $rc -ne 0 ] || fail "runner exited 0 although scenarios failed"
grep -q '^PASS pass ' /tmp/selftest.out || fail "passing scenario not reported PASS"
grep -q '^FAIL fail .*deliberate mismatch' /tmp/selftest.out || fail "failing scenario not reported with its reason"
grep -q '^FAIL warn .*kernel: .*WARNING' /tmp/selftest.out || fail "kernel WARN not caught"
grep -q '^FAIL hang .*timed out' /tmp/selftest.out || fail "hung scenario not timed out"
grep -qx '1 passed, 3 failed' /tmp/selftest.out || fail "closing count wrong"
