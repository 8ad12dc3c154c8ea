#!/usr/bin/env bash
# Include direction of userspace/src: every layer may include only the layers below it
# (docs/ARCHITECTURE.md, "Layers"). A product file's `#include "layer/file.h"` must name its
# own layer or one that LAYER_DEPS lists for it; a quoted include without a layer must be one
# of EXTERNAL (headers from outside userspace/src). Tests (`*_test.cc`) and testing/ sit
# above everything and may include any layer. Every folder under src/ must be a known layer.
#
#   scripts/check-includes.sh [SRC_DIR]   check (default: userspace/src); exit 1 on a violation
#   scripts/check-includes.sh --self-test plant an upward include in a copy and expect a failure
set -euo pipefail

declare -A LAYER_DEPS=(
	[base]=""
	[model]="base"
	[config]="model base"
	[store]="model base"
	[sources]="model base"
	[plan]="model base"
	[exec]="plan store sources config model base"
	[report]="plan model base"
	[daemon]="exec report plan store sources config model base"
	[cli]="daemon exec report plan store sources config model base"
)
EXTERNAL="iscsi_iface_nl.h"

repo=$(cd "$(dirname "$0")/.." && pwd)

check() {
	local src=$1 bad=0 file layer rel line inc target allowed
	for dir in "$src"/*/; do
		layer=$(basename "$dir")
		if [[ $layer != testing && -z ${LAYER_DEPS[$layer]+x} ]]; then
			echo "$dir: not a known layer (add it to LAYER_DEPS in $0 and docs/ARCHITECTURE.md)"
			bad=1
		fi
	done
	while IFS= read -r -d '' file; do
		rel=${file#"$src"/}
		layer=${rel%%/*}
		if [[ $rel != */* ]]; then
			echo "$rel: a source file outside the layer folders"
			bad=1
			continue
		fi
		[[ $layer == testing || $rel == *_test.cc ]] && continue
		allowed=" $layer ${LAYER_DEPS[$layer]-} "
		while IFS= read -r line; do
			inc=${line#*:}
			inc=${inc#*\"}
			inc=${inc%%\"*}
			if [[ $inc != */* ]]; then
				[[ " $EXTERNAL " == *" $inc "* ]] && continue
				echo "$rel:${line%%:*}: #include \"$inc\" names no layer (write \"layer/$inc\")"
				bad=1
				continue
			fi
			target=${inc%%/*}
			if [[ $allowed != *" $target "* ]]; then
				echo "$rel:${line%%:*}: #include \"$inc\" points from $layer/ to $target/;" \
					"$layer/ may include only: ${LAYER_DEPS[$layer]:-(nothing)}"
				bad=1
			fi
		done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" || true)
	done < <(find "$src" -type f \( -name '*.h' -o -name '*.cc' \) -print0 | sort -z)
	return $bad
}

self_test() {
	local tmp rc=0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	cp -r "$repo/userspace/src" "$tmp/src"
	check "$tmp/src" >/dev/null || { echo "self-test: the tree fails before anything is planted"; return 1; }
	echo '#include "cli/cli.h"' >>"$tmp/src/plan/plan.h"
	if out=$(check "$tmp/src"); then
		echo "self-test: an upward include (plan/ -> cli/) passed the check"
		rc=1
	elif [[ $out != *'plan/plan.h'*'points from plan/ to cli/'* ]]; then
		echo "self-test: the check failed without naming the planted include: $out"
		rc=1
	fi
	sed -i '$d' "$tmp/src/plan/plan.h"
	echo '#include "sources/nics.h"' >>"$tmp/src/store/record_store.cc"
	if check "$tmp/src" >/dev/null; then
		echo "self-test: a sideways include (store/ -> sources/) passed the check"
		rc=1
	fi
	[[ $rc == 0 ]] && echo "self-test: upward and sideways includes are refused"
	return $rc
}

if [[ ${1-} == --self-test ]]; then
	self_test
else
	src=${1:-$repo/userspace/src}
	if check "$src"; then
		echo "includes: every layer of ${src#"$repo"/} includes only the layers below it"
	else
		exit 1
	fi
fi
