# Assertions for e2e scenarios. Each failure prints what and where, then exits 1.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# (lab_nap comes with the lab's machinery; outside the lab a plain sleep.)
declare -F lab_nap >/dev/null || lab_nap() { sleep "$1"; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# wait_for SECS DESCRIPTION CMD...: poll CMD until it succeeds (wall-clock bound). CMD is
# run anew each time, so it must be a command that looks again (a function, grep FILE,
# test -e FILE...), never a value computed once: `wait_for 9 x [ "$(f)" = 1 ]` would
# compare two fixed strings forever. Such a CMD is refused at once (wait_for_refuses).
wait_for() {
	local secs=$1 what=$2 end=$((SECONDS + $1))
	shift 2
	# (no $(...) here: a fork costs ~50 ms under TCG and wait_for runs hundreds of times)
	! wait_for_refuses "$@" || fail "wait_for \"$what\": $WAIT_FOR_WHY"
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		lab_nap 0.1
	done
	"$@" >/dev/null 2>&1 && return 0
	fail "timed out after ${secs}s waiting for: $what"
}

# wait_for_refuses CMD...: true (the reason in WAIT_FOR_WHY) when CMD cannot change its
# answer between two polls: true/false/:, or [ / test with no operator that looks at the
# file system (only string and integer comparisons of words already expanded), or CMD is
# no command at all. tests/e2e/lib/lint.sh finds the other kind (sh -c "...$(...)...") in the
# scenarios' text.
wait_for_refuses() {
	WAIT_FOR_WHY="no command to poll"
	[ $# -gt 0 ] || return 0
	local a
	case "$1" in
	true | false | :)
		WAIT_FOR_WHY="'$1' never changes its answer; pass a command that looks again"
		return 0
		;;
	'[' | test)
		for a in "${@:2}"; do
			case "$a" in
			-[abcdefghkprstuwxGLNOS] | -ef | -nt | -ot) return 1 ;; # looks at a file
			esac
		done
		WAIT_FOR_WHY="'$*' compares words expanded once (a \$(...) argument is not run again); pass a function that recomputes them"
		return 0
		;;
	esac
	WAIT_FOR_WHY="'$1' is not a command or function"
	type -t -- "$1" >/dev/null || return 0
	WAIT_FOR_WHY=
	return 1
}

step() { local u _; read -r u _ </proc/uptime; echo "--- [$u] $*"; }
