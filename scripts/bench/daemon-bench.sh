# lab-timeout: 420
# Figures, not a test (issue 7):
#  1. a hot-added e1000e (QMP device_add) whose MAC the config names, 8 sessions through it
#     (4 targets x 2 portals): time from device_add to all 8 LOGGED_IN with the daemon
#     running (the scenario addresses the NIC as soon as it appears), split into
#     device_add -> netdev, netdev -> address, address -> LOGGED_IN; side by side with the
#     same NIC logged in by hand: `iscsiadm -m node -L all` of the same 8 node
#     records, prepared beforehand (the login command alone is timed).
#  2. the daemon idle for BENCH_IDLE seconds (60): CPU ticks (utime+stime from
#     /proc/PID/stat), context switches (wakeups) and RSS from /proc/PID/status.
# Run in the lab:  scripts/lab/run.sh scripts/bench/daemon-bench.sh
P1=${LAB_PORTAL_IPS[0]}
P2=${LAB_PORTAL_IPS[1]}
MAC=52:54:00:0c:00:09
IF=$(ictl_iface_of_mac "$MAC")
IDLE=${BENCH_IDLE:-60}
ms() { echo $((($(date +%s%N) - $1) / 1000000)); }
for i in 0 1 2 3; do
	lab_target_create --luns 1 --portal "$P1:3260" --portal "$P2:3260" "$LAB_IQN_PREFIX:h$i"
done
t=""
for i in 0 1 2 3; do
	for p in "$P1" "$P2"; do
		t="$t{\"name\": \"$LAB_IQN_PREFIX:h$i\", \"tpgt\": 1, \"portal\": {\"address\": \"$p\"}, \"sessions\": [{\"iface\": \"$MAC\"}]},"
	done
done
echo "{\"version\": 1, \"conn_defaults\": {\"timeo\": {\"login_timeout\": 5}}, \"targets\": [${t%,}]}" >"$CONF"

# carrier_ms DEV T0: wait for DEV's carrier, print ms since T0.
carrier_ms() { lab_wait_carrier "$1" 30 && ms "$2"; }

step "manual: hot-add, address, carrier, records by hand, then one timed iscsiadm -m node -L all"
t0=$(date +%s%N)
dev=$(lab_pci_nic_add bench0 "$MAC" rp5)
m_netdev=$(ms "$t0")
lab_nic_up "$dev" 181
m_carrier=$(carrier_ms "$dev" "$t0")
lab_iface_bind if-bench "$dev"
for i in 0 1 2 3; do for p in "$P1" "$P2"; do lab_node_new "$LAB_IQN_PREFIX:h$i" "$p:3260" if-bench; done; done
t1=$(date +%s%N)
iscsiadm -m node -L all >/dev/null || true
m_login=$(ms "$t1")
m_up=$(ictl_logged_in_via if-bench)
iscsiadm -m node -U all >/dev/null 2>&1
iscsiadm -m node -I if-bench -o delete >/dev/null 2>&1
iscsiadm -m iface -I if-bench -o delete >/dev/null 2>&1
lab_pci_nic_del bench0 "$MAC"

step "daemon: device_add -> all 8 sessions LOGGED_IN"
ictl_daemon_start --quiet-events
t0=$(date +%s%N)
dev=$(lab_pci_nic_add bench0 "$MAC" rp5)
d_netdev=$(ms "$t0")
lab_nic_up "$dev" 181
d_addr=$(ms "$t0")
d_carrier=$(carrier_ms "$dev" "$t0")
# One process per check (ictl_sessions forks ~5 per session: slow under TCG).
all_up() { [ "$(grep -lx LOGGED_IN /sys/class/iscsi_session/session*/state 2>/dev/null | wc -l)" = 8 ]; }
wait_for 180 "8 sessions LOGGED_IN" all_up
d_total=$(ms "$t0")
ictl_no_duplicates
grep -E 'action=login|event=reconcile|note=' "$DLOG" | tail -n 14 | sed 's/^/    | /'

echo
echo "hot-added e1000e, 8 sessions (4 targets x 2 portals); ms after device_add"
printf '%-52s %10s %10s\n' "" "manual" "daemon"
printf '%-52s %10s %10s\n' "netdev appears" "$m_netdev" "$d_netdev"
printf '%-52s %10s %10s\n' "addressed (by the scenario)" "-" "$d_addr"
printf '%-52s %10s %10s\n' "carrier up" "$m_carrier" "$d_carrier"
printf '%-52s %10s %10s\n' "all 8 LOGGED_IN" "-" "$d_total"
printf '%-52s %10s %10s\n' "iscsiadm -m node -L all alone (records made by hand)" "$m_login" "-"
printf '%-52s %10s %10s\n' "carrier up -> all LOGGED_IN" "$m_login+" "$((d_total - d_carrier))"
printf '%-52s %10s %10s\n' "sessions LOGGED_IN" "$m_up" "$(ictl_logged_in_via "$IF")"

step "daemon idle for ${IDLE}s"
pid=$(ictl_daemon_pid)
wait_for 30 "settled" ictl_quiet
sleep 3
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
ctx() { awk '/^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 } END { print v, n }' "/proc/$pid/status"; }
rss() { awk '/^VmRSS/ { print $2 " " $3 }' "/proc/$pid/status"; }
c0=$(ticks)
read -r v0 n0 <<<"$(ctx)"
lines0=$(wc -l <"$DLOG")
sleep "$IDLE"
c1=$(ticks)
read -r v1 n1 <<<"$(ctx)"
lines1=$(wc -l <"$DLOG")
echo "daemon idle ${IDLE}s: CPU ticks $((c1 - c0)) (USER_HZ $(getconf CLK_TCK)), voluntary context switches $((v1 - v0)), involuntary $((n1 - n0)), log records $((lines1 - lines0)), RSS $(rss)"
ictl_daemon_stop
true
