#!/bin/bash
# The time table of an e2e run from the runner's results files (one or several guests):
# every scenario with its wall time (the reset after it included, and shown apart), the
# total, and the five slowest.
#   times.sh [--wall SECS --guests N] RESULTS.tsv...
# RESULTS lines: name TAB PASS|FAIL TAB seconds TAB reset-seconds TAB reason [TAB kernel]
wall= guests=
while [ $# -gt 0 ]; do
	case "$1" in
	--wall) wall=$2; shift 2 ;;
	--guests) guests=$2; shift 2 ;;
	*) break ;;
	esac
done
cat "$@" 2>/dev/null | awk -F'\t' -v wall="$wall" -v guests="$guests" '
NF >= 3 {
	n++; name[n] = $1 ($6 != "" ? " [" $6 "]" : ""); st[n] = $2; t[n] = $3; r[n] = $4
	tot += $3; rtot += $4
}
END {
	if (n == 0) exit
	printf "== scenario times (s, the reset after each included)\n"
	# sorted by name
	for (i = 1; i <= n; i++) idx[i] = i
	for (i = 2; i <= n; i++) for (j = i; j > 1 && name[idx[j-1]] > name[idx[j]]; j--) { x = idx[j]; idx[j] = idx[j-1]; idx[j-1] = x }
	for (k = 1; k <= n; k++) { i = idx[k]; printf "  %-34s %7.1f  (reset %4.1f)%s\n", name[i], t[i], r[i], st[i] == "PASS" ? "" : "  " st[i] }
	line = sprintf("  %-34s %7.1f  (reset %4.1f)  %d scenarios", "total", tot, rtot, n)
	if (wall != "") line = line sprintf(", %s s wall on %s guest(s)", wall, guests)
	print line
	# five slowest
	for (i = 1; i <= n; i++) idx[i] = i
	for (i = 2; i <= n; i++) for (j = i; j > 1 && t[idx[j-1]] < t[idx[j]]; j--) { x = idx[j]; idx[j] = idx[j-1]; idx[j-1] = x }
	s = "  slowest:"
	for (k = 1; k <= n && k <= 5; k++) s = s sprintf(" %s %.1f%s", name[idx[k]], t[idx[k]], k < 5 && k < n ? "," : "")
	print s
}'
