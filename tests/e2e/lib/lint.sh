#!/usr/bin/env bash
# Lint of the e2e scenarios and their library (host side, run by `make test` and `make
# check`): a wait_for whose predicate is computed once can never become true later.
#   tests/e2e/lib/lint.sh [FILE...]     (default: tests/e2e/**/*.sh and scripts/lab/lib/*.sh)
# Flags every wait_for call (backslash-continued lines joined) whose command is
#   - [, [[, test with no file operator (-e -f -S ...): a comparison of words expanded once,
#   - true, false or :,
#   - sh -c / bash -c "..." with an unescaped $( or ` in the double-quoted script (expanded
#     by the scenario once, before wait_for runs it),
#   - missing (fewer than three words).
# And a scenario (tests/e2e/*.sh, tests/e2e/soak/*.sh) that sources a library file itself:
# the runner sources the one test library, tests/e2e/lib/e2e.sh, for every scenario.
# wait_for itself refuses the first two kinds at run time (scripts/lab/lib/assert.sh); the
# third can only be seen in the text. Prints FILE:LINE: reason per finding; exit 1 if any.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
if [ $# -eq 0 ]; then
	mapfile -t files < <(cd "$repo" && find tests/e2e scripts/lab/lib -name '*.sh' | sort)
	cd "$repo" || exit 2
else
	files=("$@")
fi

# One word of a shell command line: "..." (with $(...) inside), '...', or unquoted.
W='(?:"(?:[^"\\$]|\\.|\$\((?:[^()]|\([^()]*\))*\)|\$)*"|'"'"'[^'"'"']*'"'"'|[^\s"'"'"';|&]+)+'
findings=0
for f in "${files[@]}"; do
	case "$f" in
	*/lib/* | */runner.sh) ;;
	*)
		while IFS=: read -r n code; do
			echo "$f:$n: sources a library itself; the runner sources tests/e2e/lib/e2e.sh for every scenario: drop the line"
			echo "    $code"
			findings=$((findings + 1))
		done < <(grep -nE '^\s*(\.|source)\s+"?\$\{?LAB_REPO\}?/(tests/e2e/lib|scripts/lab/lib|kmod/tests)/' "$f")
		;;
	esac
	# Join continuation lines, keeping the number of the line the call starts on.
	awk '{ if (cont) { buf = buf " " $0 } else { buf = $0; start = NR }
		if (sub(/\\$/, "", buf)) { cont = 1; next } cont = 0; print start ":" buf }' "$f" |
		grep -P '(^\d+:|[\s;&|(])wait_for(\s|$)' |
		grep -vP '^\d+:\s*(#|wait_for\s*\(\))' >"${TMPDIR:-/tmp}/lint.$$" || true
	while IFS= read -r line; do
		n=${line%%:*}
		code=${line#*:}
		code=${code#"${code%%wait_for*}"} # from the call on
		why=
		if ! grep -qP "^wait_for\s+$W\s+$W\s+$W" <<<"$code"; then
			why="wait_for needs SECS, a description and a command"
		else
			cmd=$(grep -oP "^wait_for\s+$W\s+$W\s+\K.*" <<<"$code")
			case "$cmd" in
			'[ '* | '[[ '* | 'test '*)
				grep -qP '\s-(?:[abcdefghkprstuwxGLNOS]|ef|nt|ot)\s' <<<" ${cmd%%]*} " ||
					why="'${cmd%% *}' compares words expanded once; pass a function that recomputes them"
				;;
			true | true\ * | false | false\ * | : | :\ *)
				why="'${cmd%% *}' never changes its answer"
				;;
			sh\ -c\ \"* | bash\ -c\ \"*)
				script=$(grep -oP '^\S+\s+-c\s+\K"(?:[^"\\]|\\.)*"' <<<"$cmd")
				grep -qP '(?<!\\)(\$\(|`)' <<<"$script" &&
					why="$(cut -d' ' -f1 <<<"$cmd") -c \"...\" holds a \$(...) the scenario expands once; escape it (\\\$(...)) or use a function"
				;;
			esac
		fi
		if [ -n "$why" ]; then
			echo "$f:$n: $why"
			echo "    $code"
			findings=$((findings + 1))
		fi
	done <"${TMPDIR:-/tmp}/lint.$$"
	rm -f "${TMPDIR:-/tmp}/lint.$$"
done
if [ "$findings" -gt 0 ]; then
	echo "lint: $findings finding(s)" >&2
	exit 1
fi
echo "lint: ${#files[@]} files, every wait_for polls a command, no scenario sources a library"
