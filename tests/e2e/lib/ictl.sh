# iscsictl in the e2e scenarios (part of tests/e2e/lib/e2e.sh): run it and check its exit
# and output, list sessions, spy on its iscsiadm calls, run the daemon.
BIN=$LAB_REPO/build/iscsictl
[ -x "$BIN" ] || fail "$BIN not built (make userspace)"
ICTL_DIR=/tmp/ictl
CONF=$ICTL_DIR/iscsictl.json
mkdir -p "$ICTL_DIR"

# ictl ARGS...: iscsictl with the scenario's config; stdout+stderr to $ICTL_DIR/last.log
# (and to the scenario log); returns iscsictl's exit status.
ictl() {
	local rc=0
	"$BIN" -c "$CONF" "$@" >"$ICTL_DIR/last.log" 2>&1 || rc=$?
	sed 's/^/    | /' "$ICTL_DIR/last.log"
	return $rc
}

# ictl_expect RC ARGS...: run iscsictl and fail unless it exits with RC.
ictl_expect() {
	local want=$1 rc=0
	shift
	ictl "$@" || rc=$?
	[ "$rc" = "$want" ] || fail "iscsictl $*: exit $rc, expected $want"
}

# ictl_log_has TEXT: the last iscsictl output contains TEXT.
ictl_log_has() { grep -qF -- "$1" "$ICTL_DIR/last.log" || fail "iscsictl output lacks '$1'"; }

# _ictl_scan: every session's iface, target, portal:port and state into ICTL_IF, ICTL_TG,
# ICTL_PT, ICTL_ST (indexed by sid, so "${!ICTL_ST[@]}" is in sid order). No process: the
# wait_for predicates below run it every 0.1 s, and a process costs ~0.1 s under TCG.
_ictl_scan() {
	local s sid c i t a p st
	ICTL_IF=() ICTL_TG=() ICTL_PT=() ICTL_ST=()
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		sid=${s##*session}
		c=/sys/class/iscsi_connection/connection$sid:0
		i= t= a= p= st=
		IFS= read -r i 2>/dev/null <"$s/ifacename" || :
		IFS= read -r t 2>/dev/null <"$s/targetname" || :
		IFS= read -r a 2>/dev/null <"$c/persistent_address" || :
		IFS= read -r p 2>/dev/null <"$c/persistent_port" || :
		IFS= read -r st 2>/dev/null <"$s/state" || :
		ICTL_IF[sid]=$i ICTL_TG[sid]=$t ICTL_PT[sid]=$a:$p ICTL_ST[sid]=$st
	done
}

# ictl_sessions: "sid iface target portal:port state" for every session, sorted by sid.
ictl_sessions() {
	local sid
	_ictl_scan
	for sid in "${!ICTL_ST[@]}"; do
		echo "$sid ${ICTL_IF[sid]} ${ICTL_TG[sid]} ${ICTL_PT[sid]} ${ICTL_ST[sid]}"
	done
}

# ictl_sid IFACE [PORT]: sid of the session through iface record IFACE (to port PORT).
ictl_sid() {
	local sid
	_ictl_scan
	for sid in "${!ICTL_ST[@]}"; do
		[ "${ICTL_IF[sid]}" = "$1" ] || continue
		[ -z "${2:-}" ] || [ "${ICTL_PT[sid]##*:}" = "$2" ] || continue
		echo "$sid"
	done
}

# ictl_iface_of_mac MAC: iscsictl's iface record name for a NIC.
ictl_iface_of_mac() { echo "ictl-$(echo "$1" | tr -d : | tr A-F a-f)"; }

# ictl_no_duplicates: no two sessions share (iface, target, portal).
ictl_no_duplicates() {
	local dups
	dups=$(ictl_sessions | awk '{ print $2, $3, $4 }' | sort | uniq -d)
	[ -z "$dups" ] || fail "duplicate sessions: $dups"
}

# ictl_spy [--login-delay SECS | --login-hold FILE]: an iscsiadm wrapper that records each
# call in $ICTL_DIR/spy.log (emptied); prints its path. With --login-delay every login waits
# SECS first; with --login-hold a login waits while FILE exists (at most 60 s), so it is in
# progress for as long as the scenario wants.
ictl_spy() {
	local hold=
	case "${1:-}" in
	--login-delay) hold="sleep $2" ;;
	--login-hold) hold="i=0; while [ -e '$2' ] && [ \$i -lt 300 ]; do sleep 0.2; i=\$((i + 1)); done" ;;
	esac
	cat >"$ICTL_DIR/iscsiadm-spy" <<-SPY
	#!/bin/sh
	echo "\$*" >>$ICTL_DIR/spy.log
	case "\$*" in *--login*) $hold ;; esac
	exec iscsiadm "\$@"
	SPY
	chmod 755 "$ICTL_DIR/iscsiadm-spy"
	: >"$ICTL_DIR/spy.log"
	echo "$ICTL_DIR/iscsiadm-spy"
}

# --- the event daemon (issue 7) ---------------------------------------------------------
DLOG=$ICTL_DIR/daemon.log
: >"$DLOG" # one log per scenario

# ictl_daemon_start [DAEMON-ARGS...]: `iscsictl daemon` in the background, its log appended
# to $DLOG; its pid in /run/iscsictl-daemon.pid (lab_reset kills it). Waits until its first
# reconcile pass has ended.
ictl_daemon_start() {
	local before
	before=$(grep -c 'event=reconcile ' "$DLOG" 2>/dev/null || true)
	"$BIN" -c "$CONF" daemon "$@" >>"$DLOG" 2>&1 </dev/null &
	echo $! >/run/iscsictl-daemon.pid
	# The scenario's own exit status stands: a failing step of the clean-up neither turns a
	# pass into a failure nor skips the rest of the clean-up (set +e).
	trap 'ictl_rc=$?; set +e; ictl_dlog_dump "$ictl_rc"; [ -z "${ICTL_EXIT_EXTRA:-}" ] || eval "$ICTL_EXIT_EXTRA"; exit "$ictl_rc"' EXIT
	wait_for 60 "the daemon's first pass" ictl_daemon_passes_above "${before:-0}"
}
ictl_daemon_pid() { local pid=; read -r pid 2>/dev/null </run/iscsictl-daemon.pid || [ -n "$pid" ] || return 1; echo "$pid"; }
ictl_daemon_passes_above() { [ "$(grep -c 'event=reconcile ' "$DLOG" 2>/dev/null)" -gt "$1" ]; }

# ictl_daemon_stop: SIGTERM and wait; fails if it does not exit within 10 s.
ictl_daemon_stop() {
	local pid i
	pid=$(ictl_daemon_pid) || return 0
	kill -TERM "$pid" 2>/dev/null || { rm -f /run/iscsictl-daemon.pid; return 0; }
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || { rm -f /run/iscsictl-daemon.pid; return 0; }
		lab_nap 0.1
	done
	fail "daemon $pid did not stop on SIGTERM"
}

# ictl_daemon_alive: the daemon still runs.
ictl_daemon_alive() { kill -0 "$(ictl_daemon_pid)" 2>/dev/null || fail "the daemon died: $(tail -n 5 "$DLOG")"; }

# ictl_logged_in_via IFACE: number of LOGGED_IN sessions through iface record IFACE.
ictl_logged_in_via() { _ictl_count "$1" LOGGED_IN; echo "$ICTL_N"; }
# _ictl_count IFACE|"" STATE|"": sessions through IFACE (any if empty) in STATE (any if
# empty) into ICTL_N.
_ictl_count() {
	local sid
	ICTL_N=0
	_ictl_scan
	for sid in "${!ICTL_ST[@]}"; do
		[ -z "$1" ] || [ "${ICTL_IF[sid]}" = "$1" ] || continue
		[ -z "$2" ] || [ "${ICTL_ST[sid]}" = "$2" ] || continue
		ICTL_N=$((ICTL_N + 1))
	done
}

# Predicates for wait_for (which re-runs a command, not a "$(...)" already expanded):
ictl_via_is() { _ictl_count "$1" LOGGED_IN; [ "$ICTL_N" = "$2" ]; }  # IFACE N: N LOGGED_IN via IFACE
ictl_none_via() { _ictl_count "$1" ""; [ "$ICTL_N" = 0 ]; }  # IFACE: none at all
ictl_logged_in_is() { _ictl_count "" LOGGED_IN; [ "$ICTL_N" = "$1" ]; }  # N in total
ictl_no_records() { [ -z "$(ictl_records_of "$1")" ]; }  # IFACE: no node/iface record
ictl_dlog_count_above() { [ "$(grep -c -- "$1" "$DLOG" 2>/dev/null)" -gt "$2" ]; }  # TEXT N

# ictl_dlog_dump: on a failing exit, the daemon log's tail goes to the scenario log.
ictl_dlog_dump() {
	local rc=${1:-$?}
	[ $rc -eq 0 ] || { echo "--- daemon log (tail)"; tail -n 80 "$DLOG" 2>/dev/null | sed 's/^/    d| /'; }
	return $rc
}

# ictl_quiet: every session is LOGGED_IN and none changed for 2 s.
ictl_quiet() {
	local a b line
	a=$(ictl_sessions)
	sleep 2
	b=$(ictl_sessions)
	[ "$a" = "$b" ] || return 1
	while read -r line; do
		[ -z "$line" ] || [ "${line##* }" = LOGGED_IN ] || return 1
	done <<<"$b"
}

# ictl_records_of IFACE: the node and iface record files of iface record IFACE.
ictl_records_of() { find /etc/iscsi/nodes /etc/iscsi/ifaces -name "$1*" 2>/dev/null; }

# ictl_dlog_has TEXT: the daemon's log contains TEXT.
ictl_dlog_has() { grep -qF -- "$1" "$DLOG" || fail "daemon log lacks '$1'"; }
