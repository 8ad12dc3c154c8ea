# Assertions for e2e scenarios. Each failure prints what and where, then exits 1.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# wait_for SECS DESCRIPTION CMD...: poll CMD until it succeeds (wall-clock bound; CMD is
# run anew each time, so pass a command, not a value computed once).
wait_for() {
	local secs=$1 what=$2 end=$((SECONDS + $1))
	shift 2
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@" >/dev/null 2>&1 && return 0
	fail "timed out after ${secs}s waiting for: $what"
}

step() { echo "--- [$(cut -d" " -f1 /proc/uptime)] $*"; }
