# lab-timeout: 240
# The udev rule (issue 7) only hands the event over: for a NIC `add` it sets
# SYSTEMD_WANTS=iscsictl.service (TAG systemd) and runs no program (no RUN from our file);
# its cost is measured with `udevadm test` (median of 15 runs with our rules file and
# without it) and from udevd's debug log (time from the rule file's first line to the
# event's end for a real veth add). Figures are printed, the check is only that nothing
# of ours runs in udev.
RULES=/etc/udev/rules.d/90-iscsictl.rules
[ -f "$RULES" ] || fail "$RULES not installed by the lab setup"
lab_veth_add ve1 02:00:00:00:0b:01 171

step "udevadm test: properties and no RUN of ours"
udevadm test --action=add /sys/class/net/ve1 >"$ICTL_DIR/udevtest.log" 2>&1 || true
grep -E 'SYSTEMD_WANTS|TAGS|RUN|90-iscsictl' "$ICTL_DIR/udevtest.log" | sed 's/^/    | /'
grep -q 'SYSTEMD_WANTS=iscsictl.service' "$ICTL_DIR/udevtest.log" || fail "no SYSTEMD_WANTS=iscsictl.service"
grep -E "^run: " "$ICTL_DIR/udevtest.log" | grep -qi iscsictl && fail "our rules RUN something"
grep -qE '^[^#]*RUN' "$RULES" && fail "$RULES has a RUN key"

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run_ms() {
	local i t
	for i in $(seq 15); do
		t=$(date +%s%N)
		udevadm test --action=add /sys/class/net/ve1 >/dev/null 2>&1
		echo $((($(date +%s%N) - t) / 1000))
	done | median
}
step "udevadm test timing, with and without our rules"
with=$(run_ms)
mv "$RULES" /tmp/ictl/90-iscsictl.rules.off
without=$(run_ms)
mv /tmp/ictl/90-iscsictl.rules.off "$RULES"
echo "udevadm test (whole rule set, median of 15): with 90-iscsictl.rules ${with} us, without ${without} us, difference $((with - without)) us (TCG noise is larger than our three matches)"

step "a real add: KERNEL -> UDEV event time (udevadm monitor), whole rule set"
udevadm monitor --kernel --udev --subsystem-match=net >"$ICTL_DIR/monitor.log" 2>&1 &
mon=$!
sleep 0.5
lab_veth_add ve2 02:00:00:00:0b:02 172
udevadm settle
sleep 0.3
kill $mon 2>/dev/null
grep -E 'add .*/net/ve2 ' "$ICTL_DIR/monitor.log" | sed 's/^/    | /'
k=$(sed -n 's/^KERNEL\[\([0-9.]*\)\] add .*\/net\/ve2 .*/\1/p' "$ICTL_DIR/monitor.log" | head -n1)
u=$(sed -n 's/^UDEV *\[\([0-9.]*\)\] add .*\/net\/ve2 .*/\1/p' "$ICTL_DIR/monitor.log" | head -n1)
[ -n "$k" ] && [ -n "$u" ] || fail "no kernel/udev add events for ve2"
echo "ve2 add: kernel event -> udev event after every rule: $(awk -v k="$k" -v u="$u" 'BEGIN { printf "%.1f", (u - k) * 1000 }') ms (whole rule set, TCG)"
true
