# lab-timeout: 300
# The event daemon (issue 7) and config edits: an edit in place and one by
# write-temp-and-rename converge without any command; an invalid edit changes no session and
# the log names the file and the JSON pointer (the last good config stays in force); a
# change the watch cannot see (written through a hard link in another directory) converges
# on SIGHUP, with RELOADING=1 then READY=1 on $NOTIFY_SOCKET (a stand-in for systemd).
IQN=$LAB_IQN_PREFIX:edits
topo_two_path --luns 1 "$IQN"
MAC1=${TOPO_MACS[0]}
MAC2=${TOPO_MACS[1]}
IF1=$(ictl_iface_of_mac "$MAC1")
IF2=$(ictl_iface_of_mac "$MAC2")
# config MAC...: the target (at $P1) through each MAC, printed.
config() { cfg_begin "$CFG_LOGIN5"; cfg_target "$IQN" "$P1" "$@"; cfg_print; }
config "$MAC1" >"$CONF"
NOTES=$ICTL_DIR/notify.log
: >"$NOTES"
python3 "$LAB_REPO/tests/e2e/lib/notify_sink.py" /run/ictl-notify.sock "$NOTES" &
sink=$!
ICTL_EXIT_EXTRA='kill $sink 2>/dev/null'
trap "$ICTL_EXIT_EXTRA" EXIT
wait_for 10 "notify socket" test -S /run/ictl-notify.sock
export NOTIFY_SOCKET=/run/ictl-notify.sock
ictl_daemon_start
unset NOTIFY_SOCKET
wait_for 60 "session via $IF1" ictl_via_is "$IF1" 1
wait_for 10 "READY=1" grep -q '^READY=1' "$NOTES"

step "edit in place: add $MAC2"
config "$MAC1" "$MAC2" >/tmp/ictl/next.json
cat /tmp/ictl/next.json >"$CONF" # truncate and write the same inode
wait_for 90 "session via $IF2" ictl_via_is "$IF2" 1
ictl_dlog_has "event=config-change file=$CONF"

step "edit by write-temp-and-rename: drop $MAC1"
config "$MAC2" >"$CONF.tmp"
mv "$CONF.tmp" "$CONF"
wait_for 90 "no session via $IF1" ictl_none_via "$IF1"
assert_eq "session via $IF2" 1 "$(ictl_logged_in_via "$IF2")"

step "invalid edit: refused with file and JSON pointer, no session changes"
before=$(ictl_sessions)
n0=$(grep -c 'event=config-invalid' "$DLOG" || true)
echo "{\"version\": 1, \"targets\": [{\"name\": \"$IQN\", \"portal\": {\"address\": \"$P1\", \"port\": \"x\"}, \"sessions\": []}]}" >"$CONF"
wait_for 30 "config-invalid logged" ictl_dlog_count_above 'event=config-invalid' "${n0:-0}"
sleep 3
grep 'event=config-invalid' "$DLOG" | sed 's/^/    | /'
ictl_dlog_has "event=config-invalid file=$CONF pointer=/targets/0/portal/port"
ictl_dlog_has "kept the last good config"
assert_eq "sessions" "$before" "$(ictl_sessions)"
ictl_daemon_alive

step "a change inotify cannot see, then SIGHUP: converges, RELOADING=1 then READY=1"
config "$MAC2" >"$CONF" # valid again (seen: nothing to do)
sleep 2
mkdir -p /tmp/ictl-hl
ln -f "$CONF" /tmp/ictl-hl/conf.json
config "$MAC1" "$MAC2" >/tmp/ictl/next.json
cat /tmp/ictl/next.json >/tmp/ictl-hl/conf.json # same inode, written through another directory
sleep 2
assert_eq "session via $IF1 before SIGHUP" 0 "$(ictl_sessions | grep -c " $IF1 " || true)"
kill -HUP "$(ictl_daemon_pid)"
wait_for 90 "session via $IF1 after SIGHUP" ictl_via_is "$IF1" 1
ictl_dlog_has "event=sighup"
wait_for 10 "RELOADING=1 then READY=1" sh -c "grep -A5 '^RELOADING=1' '$NOTES' | grep -q '^READY=1'"
ictl_no_duplicates
ictl_daemon_stop
wait_for 10 "STOPPING=1" grep -q '^STOPPING=1' "$NOTES"
cat "$NOTES" | sed 's/^/    notify| /'
true
