#!/usr/bin/env bash
# Counts the assertions the tests make, so a change can show it kept them all.
#   unit:  doctest assertion macros (CHECK*, REQUIRE*) in userspace's *_test.cc
#   shell: calls of the shell assertion helpers (fail, assert_*, wait_for, *_expect,
#          *_has, ictl_no_duplicates, ictl_daemon_alive, check) in tests/, kmod/tests/
#          and scripts/lab/lib/, not counting comment lines and the lines that define them.
# Prints "unit N", "shell N", "total N".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
unit=$(git ls-files -co --exclude-standard -- 'userspace/*_test.cc' |
	xargs -r grep -ohE '\b(CHECK|REQUIRE)(_[A-Z_]+)?\(' | wc -l)
helpers='fail|die|assert_[a-z_]+|wait_for|[a-z_]+_expect|ictl_log_has|ictl_dlog_has|[a-z_]+_has|ictl_no_duplicates|ictl_daemon_alive|check'
shell=$(git ls-files -co --exclude-standard -- 'tests/*.sh' 'kmod/tests/*.sh' 'scripts/lab/lib/*.sh' |
	xargs -r grep -hE "\b($helpers)\b" |
	grep -vE '^\s*(#|(function\s+)?[a-z_]+\s*\(\))' |
	grep -oE "(^|[^a-z_\$-])($helpers)\b" | wc -l)
echo "unit $unit"
echo "shell $shell"
echo "total $((unit + shell))"
