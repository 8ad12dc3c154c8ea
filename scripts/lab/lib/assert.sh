# Assertions for e2e scenarios. Each failure prints what and where, then exits 1.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# wait_for SECS DESCRIPTION CMD...: poll CMD until it succeeds.
wait_for() {
	local secs=$1 what=$2 i
	shift 2
	for i in $(seq $((secs * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "timed out after ${secs}s waiting for: $what"
}

step() { echo "--- [$(cut -d" " -f1 /proc/uptime)] $*"; }
