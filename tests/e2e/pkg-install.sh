# lab-timeout: 600
# The Debian packages (issue 18), installed as an admin would: `dpkg -i` of build/deb's
# iscsictl and iscsi-iface-attrs-dkms (`make deb`), then `apt-get -f install` (nothing
# missing: the guest's dpkg database is the host's). Then, with only installed files:
# - DKMS built the module for the lab kernel, signed with its own key (/var/lib/dkms/mok.*:
#   the signature is checked with openssl against that certificate), and the unit's
#   ExecStartPre loads it from updates/dkms;
# - the installed unit passes `systemd-analyze verify`, is enabled, and its udev rule
#   (/lib/udev/rules.d, the lab's copy moved aside) asks systemd for it on a NIC add;
# - with /etc/iscsictl/iscsictl.json written, the unit's ExecStartPre and ExecStart (PID 1
#   is not systemd here: run as the unit says, with /etc/default/iscsictl) bring up one
#   session per NIC, READY=1 on the notify socket, `status` verified through the module,
#   the daemon's Prometheus textfile (--textfile) shows both sessions logged in (and
#   passes `promtool check metrics` when make deps unpacked it);
# - upgrade: `dpkg -i` of a newer build of iscsictl while the sessions are up, then the
#   restart postinst asks systemd for: no iscsiadm call at all (a spy bind-mounted over
#   /usr/sbin/iscsiadm: the package's binary has no --iscsiadm, which is checked), the
#   admin's /etc/default/iscsictl (a conffile) kept across the upgrade, same session ids;
# - remove, then purge: sessions, ictl-* records and the admin's config stay; every file
#   the packages installed is gone, and nothing else appeared or vanished in /etc,
#   /var/lib, /lib/modules/KVER, /usr/src (except DKMS's signing key, which stays).
# PKG_DKMS=1 (tests/e2e/soak/pkg-install-dkms.sh, `make soak`) also installs
# iscsi-iface-attrs-dkms: DKMS builds the module in the guest, which takes 5-9 minutes under
# TCG. `make test` (PKG_DKMS=0) installs the iscsictl package only and loads the build
# tree's module, which the unit's ExecStartPre then finds loaded.
PKG_DKMS=${PKG_DKMS:-0}
LAB_PKG_DIR=$LAB_REPO/build/deb
W=/tmp/ictl-pkg
mkdir -p "$W"
KVER=$(uname -r)
IQN=$LAB_IQN_PREFIX:pkg
P1=${LAB_PORTAL_IPS[0]}
MAC1=02:00:00:00:18:01
MAC2=02:00:00:00:18:02
IF1=ictl-020000001801
IF2=ictl-020000001802
UNIT=/lib/systemd/system/iscsictl.service
DLOG=$W/daemon.log
PKGS=(iscsictl)
[ "$PKG_DKMS" = 1 ] && PKGS+=(iscsi-iface-attrs-dkms)
ko=
export DEBIAN_FRONTEND=noninteractive

deb_of() { ls "$LAB_PKG_DIR/$1"_*.deb 2>/dev/null | grep -v dbgsym | head -n1; }
DEB_CTL=$(deb_of iscsictl)
DEB_DKMS=$(deb_of iscsi-iface-attrs-dkms)
[ -n "$DEB_CTL" ] || fail "no iscsictl package in $LAB_PKG_DIR (make deb)"
[ "$PKG_DKMS" = 0 ] || [ -n "$DEB_DKMS" ] || fail "no iscsi-iface-attrs-dkms package in $LAB_PKG_DIR (make deb)"

# The lab guest differs from an installed host in four ways, undone on exit:
# - its /etc/udev/rules.d holds the build tree's copy of the rule, which would shadow the
#   package's /lib/udev/rules.d/90-iscsictl.rules: moved aside;
# - /lib/modules/KVER is the lab cache's tree (a bind mount), without the `build` link to
#   the headers that linux-headers-KVER gives the host (dpkg here knows it installed);
# - man-db's trigger would index every man page of the host under TCG: switched off;
# - /dev/fd, which systemd makes on a host and dkms needs (`<(...)`), is missing.
made_build=0
made_fd=0
made_spy=0
if [ ! -e /dev/fd ]; then
	ln -s /proc/self/fd /dev/fd
	made_fd=1
fi
if [ ! -e "/lib/modules/$KVER/build" ]; then
	[ -d "/usr/src/linux-headers-$KVER" ] || fail "linux-headers-$KVER is not installed on the host"
	ln -s "/usr/src/linux-headers-$KVER" "/lib/modules/$KVER/build"
	made_build=1
fi
mv /etc/udev/rules.d/90-iscsictl.rules "$W/lab-rule" 2>/dev/null || true
mv /var/lib/man-db/auto-update "$W/man-db-auto-update" 2>/dev/null || true
cleanup() {
	local rc=$?
	[ -s /run/iscsictl-daemon.pid ] && kill -TERM "$(cat /run/iscsictl-daemon.pid)" 2>/dev/null
	[ -n "${sink:-}" ] && kill "$sink" 2>/dev/null
	dpkg --purge "${PKGS[@]}" >>"$W/dpkg.log" 2>&1
	[ "$rc" -eq 0 ] || { echo "--- daemon log (tail)"; tail -n 40 "$DLOG" 2>/dev/null | sed 's/^/    d| /'; }
	[ -e "$W/lab-rule" ] && mv "$W/lab-rule" /etc/udev/rules.d/90-iscsictl.rules
	[ -e "$W/man-db-auto-update" ] && mv "$W/man-db-auto-update" /var/lib/man-db/auto-update
	[ "$made_build" = 1 ] && rm -f "/lib/modules/$KVER/build"
	[ "$made_fd" = 1 ] && rm -f /dev/fd
	[ "$made_spy" = 1 ] && umount /usr/sbin/iscsiadm
	rm -rf /etc/iscsictl
	[ "$PKG_DKMS" = 1 ] || rmmod iscsi_iface_attrs 2>/dev/null
	udevadm control --reload
	return $rc
}
trap cleanup EXIT

# snapshot: the paths below the places packages, maintainer scripts and DKMS write to
# (dpkg's own database aside), to compare before install and after purge.
snapshot() {
	{
		find /etc /var/lib /lib/modules/"$KVER" -xdev -path /var/lib/dpkg -prune -o -print
		find /usr/src /usr/share/doc /usr/share/iscsictl /lib/udev/rules.d /lib/systemd/system \
			/usr/share/bash-completion/completions /usr/share/man/man5 /usr/share/man/man8 \
			/usr/sbin -maxdepth 1 -print 2>/dev/null
	} | sort
}
# sessions: "sid iface target state" of every session.
sessions() {
	local s
	for s in /sys/class/iscsi_session/session*; do
		[ -e "$s" ] || continue
		echo "${s##*session} $(cat "$s/ifacename") $(cat "$s/targetname") $(cat "$s/state")"
	done | sort -n
}
logged_in_via() { sessions | awk -v i="$1" '$2 == i && $4 == "LOGGED_IN"' | grep -q .; }
# iscsi_db: open-iscsi's database, paths and contents (purge must leave it alone).
iscsi_db() { find /etc/iscsi -type f | sort | xargs -r sha256sum; }
unit_line() { sed -n "s/^$1=//p" "$UNIT"; }

# unit_start: what systemd does for `start` (ExecStartPre, then ExecStart with
# EnvironmentFile's variables, NOTIFY_SOCKET set), the daemon in the background.
unit_start() {
	local pre cmd
	[ -e "$(unit_line ConditionPathExists)" ] || fail "ConditionPathExists is not met"
	pre=$(unit_line ExecStartPre)
	cmd=$(unit_line ExecStart)
	set -a
	. "$(unit_line EnvironmentFile | sed 's/^-//')"
	set +a
	# "-": a failure does not stop the unit.
	eval "${pre#-}" || [ "${pre:0:1}" = - ] || fail "ExecStartPre failed: $pre"
	eval "set -- $cmd"
	NOTIFY_SOCKET=$W/notify.sock "$@" >>"$DLOG" 2>&1 </dev/null &
	echo $! >/run/iscsictl-daemon.pid
}
# unit_stop: SIGTERM to the main process only (KillMode=process); wait for its exit.
unit_stop() {
	local pid i
	pid=$(cat /run/iscsictl-daemon.pid)
	kill -TERM "$pid"
	for i in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && fail "the daemon did not stop on SIGTERM"
	rm -f /run/iscsictl-daemon.pid
}
notified_ready() { [ "$(grep -c 'READY=1' "$W/notify.log" 2>/dev/null)" -gt "$1" ]; }

lab_target_create --luns 1 --portal "$P1:3260" "$IQN"
lab_veth_add ve1 "$MAC1" 181
lab_veth_add ve2 "$MAC2" 182
before_install=$(snapshot)

debs=("$DEB_CTL")
[ "$PKG_DKMS" = 1 ] && debs+=("$DEB_DKMS")
step "dpkg -i ${debs[*]##*/}"
t0=$SECONDS
dpkg -i "${debs[@]}" >"$W/dpkg.log" 2>&1 || { cat "$W/dpkg.log"; fail "dpkg -i failed"; }
sed 's/^/    | /' "$W/dpkg.log"
echo "installed in $((SECONDS - t0)) s$([ "$PKG_DKMS" = 1 ] && echo " (DKMS build included)")"
apt-get -f install -y -o Dpkg::Use-Pty=0 >"$W/apt.log" 2>&1 || { cat "$W/apt.log"; fail "apt-get -f install failed"; }
grep -q '^0 upgraded, 0 newly installed, 0 to remove' "$W/apt.log" ||
	fail "apt-get -f install wanted changes: $(grep -E 'newly installed|NEW packages' "$W/apt.log")"
for p in "${PKGS[@]}"; do
	assert_eq "$p state" "install ok installed" "$(dpkg-query -W -f='${Status}' "$p")"
	dpkg-query -L "$p" >"$W/files.$p"
done

if [ "$PKG_DKMS" = 1 ]; then
step "DKMS built and signed the module for $KVER"
dkms status -m iscsi_iface_attrs | tee "$W/dkms.status"
grep -q ", $KVER, .*: installed" "$W/dkms.status" || fail "dkms: not installed for $KVER"
ko=$(modinfo -k "$KVER" -n iscsi_iface_attrs)
case "$ko" in "/lib/modules/$KVER/updates/dkms/"*) ;; *) fail "modinfo finds $ko, not DKMS's" ;; esac
assert_eq "signer" "DKMS module signing key" "$(modinfo -F signer "$ko")"
[ -s /var/lib/dkms/mok.key ] && [ -s /var/lib/dkms/mok.pub ] || fail "no DKMS key in /var/lib/dkms"
# The appended signature (PKCS#7 + struct module_signature + magic) verified with the
# certificate DKMS made, over the module without it.
[ "$(tail -c 28 "$ko")" = "~Module signature appended~" ] || fail "$ko carries no signature"
size=$(stat -c %s "$ko")
siglen=$(tail -c 32 "$ko" | head -c 4 | od -An -tu1 | awk '{ printf "%d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
head -c $((size - 40 - siglen)) "$ko" >"$W/mod.body"
tail -c $((siglen + 40)) "$ko" | head -c "$siglen" >"$W/mod.p7"
openssl x509 -inform DER -in /var/lib/dkms/mok.pub -out "$W/mok.pem"
openssl cms -verify -binary -inform DER -in "$W/mod.p7" -content "$W/mod.body" \
	-certfile "$W/mok.pem" -nointern -noverify -out /dev/null 2>"$W/cms.log" ||
	fail "the signature does not verify with /var/lib/dkms/mok.pub: $(cat "$W/cms.log")"
echo "signature of $ko ($siglen bytes) verified with /var/lib/dkms/mok.pub"
else
	step "the build tree's module (PKG_DKMS=0: the DKMS package is make soak's)"
	kmod_load
fi

step "the installed unit, rule, man pages, completion"
MANPATH=/usr/share/man systemd-analyze verify "$UNIT" >"$W/verify.log" 2>&1 || true
[ ! -s "$W/verify.log" ] || fail "systemd-analyze verify $UNIT: $(head -n 5 "$W/verify.log")"
[ -L /etc/systemd/system/multi-user.target.wants/iscsictl.service ] || fail "the unit is not enabled"
assert_eq "ExecStart binary" /usr/sbin/iscsictl "$(unit_line ExecStart | cut -d' ' -f1)"
udevadm control --reload
udevadm test --action=add /sys/class/net/ve1 >"$W/udevtest.log" 2>&1 || true
grep -q '/lib/udev/rules.d/90-iscsictl.rules' "$W/udevtest.log" || fail "udev does not read the package's rule"
grep -q 'SYSTEMD_WANTS=iscsictl.service' "$W/udevtest.log" || fail "no SYSTEMD_WANTS=iscsictl.service for ve1"
man -w iscsictl >/dev/null && man -w 5 iscsictl.json >/dev/null || fail "man pages not found"
bash -c '. /usr/share/bash-completion/bash_completion; . /usr/share/bash-completion/completions/iscsictl
	complete -p iscsictl' | grep -qx 'complete -F _iscsictl iscsictl' || fail "completion not loaded"
[ ! -e /etc/iscsictl/iscsictl.json ] || fail "a package created the admin's config"

step "a config, then the unit's ExecStartPre + ExecStart: one session per NIC"
mkdir -p /etc/iscsictl
cat >/etc/iscsictl/iscsictl.json <<EOF
{"targets": [{"name": "$IQN", "tpgt": 1, "portal": {"address": "$P1"},
  "conn_defaults": {"timeo": {"login_timeout": 5}},
  "sessions": [{"iface": "$MAC1"}, {"iface": "$MAC2"}]}]}
EOF
# The package's binary has no test-only options (no --iscsiadm): the spy is bind-mounted
# over /usr/sbin/iscsiadm, the one iscsictl runs (its fixed PATH), and records the calls
# whose parent is iscsictl (not this script's own iscsiadm calls).
cp /usr/sbin/iscsiadm "$W/iscsiadm.real"
cat >"$W/iscsiadm-spy" <<'SPY'
#!/bin/sh
case "$(cat /proc/$PPID/comm 2>/dev/null)" in iscsictl*) echo "$*" >>/tmp/ictl-pkg/spy.log ;; esac
exec /tmp/ictl-pkg/iscsiadm.real "$@"
SPY
chmod 755 "$W/iscsiadm-spy"
: >"$W/spy.log"
mount --bind "$W/iscsiadm-spy" /usr/sbin/iscsiadm
made_spy=1
/usr/sbin/iscsictl apply --iscsiadm /bin/true >"$W/seam.log" 2>&1 && fail "the package's iscsictl honours --iscsiadm"
grep -q -- '--iscsiadm' "$W/seam.log" || fail "no word of --iscsiadm in: $(cat "$W/seam.log")"
echo "the package's iscsictl refuses the test-only --iscsiadm: $(head -n 1 "$W/seam.log")"
# The admin's edit of the conffile (kept across the upgrade below).
OPTS="--textfile $W/iscsictl.prom"
sed -i "s|^ISCSICTL_DAEMON_OPTS=.*|ISCSICTL_DAEMON_OPTS=\"$OPTS\"|" /etc/default/iscsictl
python3 "$LAB_REPO/tests/e2e/lib/notify_sink.py" "$W/notify.sock" "$W/notify.log" &
sink=$!
wait_for 10 "the notify socket" test -S "$W/notify.sock"
unit_start
wait_for 120 "READY=1" notified_ready 0
lsmod | grep -q '^iscsi_iface_attrs ' || fail "ExecStartPre did not load the module"
wait_for 60 "a session via $IF1" logged_in_via "$IF1"
wait_for 60 "a session via $IF2" logged_in_via "$IF2"
sessions
# The spy sees the daemon's logins (so that "no call" below means something).
grep -q -- '--login' "$W/spy.log" || fail "the spy saw no login by the daemon: $(cat "$W/spy.log")"
/usr/sbin/iscsictl status >"$W/status.txt" 2>&1 || fail "iscsictl status: $(cat "$W/status.txt")"
sed 's/^/    | /' "$W/status.txt"
grep -q 'module iscsi_iface_attrs: loaded' "$W/status.txt" || fail "status does not see the module"
grep -qE "LOGGED_IN +ve1 +$MAC1 " "$W/status.txt" || fail "status lacks ve1's verified session"
grep -qE "LOGGED_IN +ve2 +$MAC2 " "$W/status.txt" || fail "status lacks ve2's verified session"
# The daemon's Prometheus textfile (--textfile), written after every pass.
prom_up() {
	grep -qxF "iscsictl_sessions_logged_in{target=\"$IQN\",portal=\"$P1:3260\",nic=\"$1\",mac=\"$2\"} 1" \
		"$W/iscsictl.prom" 2>/dev/null
}
wait_for 30 "the textfile's ve1 session" prom_up ve1 "$MAC1"
wait_for 30 "the textfile's ve2 session" prom_up ve2 "$MAC2"
grep -E '^iscsictl_(module_loaded|target_paths_|daemon_last_pass_result\{result="converged"\})' \
	"$W/iscsictl.prom" | sed 's/^/    | /'
grep -qx 'iscsictl_module_loaded 1' "$W/iscsictl.prom" || fail "textfile: module not loaded"
grep -qxF "iscsictl_target_paths_wanted{target=\"$IQN\"} 2" "$W/iscsictl.prom" ||
	fail "textfile: not 2 paths wanted"
grep -qE '^iscsictl_daemon_actions_total\{kind="login",result="ok"\} 2$' "$W/iscsictl.prom" ||
	fail "textfile: not 2 logins counted"
assert_eq "textfile mode" 644 "$(stat -c %a "$W/iscsictl.prom")"
/usr/sbin/iscsictl status --format prometheus >"$W/status.prom" 2>&1 || fail "status --format prometheus failed"
prom=$LAB_REPO/.deps/prometheus/usr/bin/promtool
if [ -x "$prom" ]; then
	"$prom" check metrics <"$W/iscsictl.prom" >"$W/promtool.log" 2>&1 ||
		fail "promtool check metrics on the textfile: $(cat "$W/promtool.log")"
	"$prom" check metrics <"$W/status.prom" >"$W/promtool.log" 2>&1 ||
		fail "promtool check metrics on status: $(cat "$W/promtool.log")"
	echo "promtool check metrics: the textfile and status --format prometheus pass"
fi
before_upgrade=$(sessions)
db_before=$(iscsi_db)

# The daemon's package; the module's upgrade is a DKMS remove and rebuild (2 minutes more
# under TCG) that never unloads the module: that part is its remove, tested below.
step "upgrade iscsictl to a newer build with the sessions up"
old=$(dpkg-query -W -f='${Version}' iscsictl)
new=$old+1
rm -rf "$W/repack"
dpkg-deb -R "$DEB_CTL" "$W/repack"
sed -i "s/^Version: .*/Version: $new/" "$W/repack/DEBIAN/control"
dpkg-deb -Zgzip -z1 -b "$W/repack" "$W/iscsictl_new.deb" >/dev/null
: >"$W/spy.log"
lines=$(wc -l <"$DLOG")
t0=$SECONDS
dpkg -i "$W/iscsictl_new.deb" >"$W/dpkg.log" 2>&1 ||
	{ cat "$W/dpkg.log"; fail "dpkg -i of the newer build failed"; }
sed 's/^/    | /' "$W/dpkg.log"
echo "upgraded in $((SECONDS - t0)) s"
assert_eq "version" "$new" "$(dpkg-query -W -f='${Version}' iscsictl)"
grep -q "ISCSICTL_DAEMON_OPTS=\"$OPTS\"" /etc/default/iscsictl ||
	fail "the upgrade lost the admin's /etc/default/iscsictl"
# postinst restarts the unit when PID 1 is systemd: the same here.
unit_stop
unit_start
wait_for 60 "READY=1 of the new daemon" notified_ready 1
sleep 3
assert_eq "sessions after the upgrade" "$before_upgrade" "$(sessions)"
assert_eq "iscsiadm calls during the upgrade" "" "$(cat "$W/spy.log")"
tail -n +"$((lines + 1))" "$DLOG" | grep -E '^iscsictl\[[0-9]+\]: action=' && fail "the restarted daemon acted"
lsmod | grep -q '^iscsi_iface_attrs ' || fail "the module was unloaded"

step "remove: the daemon stops (as prerm), sessions and records stay"
unit_stop
dpkg -r "${PKGS[@]}" >"$W/dpkg.log" 2>&1 || { cat "$W/dpkg.log"; fail "dpkg -r failed"; }
sed 's/^/    | /' "$W/dpkg.log"
assert_eq "sessions after remove" "$before_upgrade" "$(sessions)"
assert_eq "open-iscsi records after remove" "$db_before" "$(iscsi_db)"
[ -e /etc/default/iscsictl ] || fail "remove deleted the conffile (only purge does)"
[ ! -e /usr/sbin/iscsictl ] && [ ! -e "$ko" ] || fail "remove left the binary or the module file"
dkms status -m iscsi_iface_attrs | grep -q . && fail "dkms still knows the module: $(dkms status -m iscsi_iface_attrs)"
lsmod | grep -q '^iscsi_iface_attrs ' && echo "the loaded module stays loaded until rmmod or reboot"

step "purge: every file of the packages gone, nothing of the admin or open-iscsi touched"
dpkg -P "${PKGS[@]}" >"$W/dpkg.log" 2>&1 || { cat "$W/dpkg.log"; fail "dpkg -P failed"; }
sed 's/^/    | /' "$W/dpkg.log"
grep -q "left as they are: 2 sessions and 2 iface records" "$W/dpkg.log" ||
	fail "purge did not say what it left"
for p in "${PKGS[@]}"; do
	assert_eq "$p after purge" "" "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -v not-installed || true)"
	while read -r f; do
		# Directories other packages share (/usr, /lib -> usr/lib...) stay; one of ours
		# left behind shows in the snapshot below.
		[ -d "$f" ] && continue
		[ -e "$f" ] || [ -L "$f" ] && fail "$p's file $f survived the purge"
	done <"$W/files.$p"
done
assert_eq "sessions after purge" "$before_upgrade" "$(sessions)"
assert_eq "open-iscsi records after purge" "$db_before" "$(iscsi_db)"
[ -s /etc/iscsictl/iscsictl.json ] || fail "purge deleted the admin's config"
[ ! -e /run/lock/iscsictl.lock ] && [ ! -e /run/iscsictl ] || fail "purge left /run/lock/iscsictl.lock or /run/iscsictl"
# What appeared or vanished since before the install: only the admin's config, DKMS's
# signing key (dkms's own, for every module it builds; enrolled with mokutil, it must
# stay) and multipath-tools' record of the disks the sessions brought (/etc/multipath).
snapshot >"$W/after"
echo "$before_install" >"$W/before"
diff "$W/before" "$W/after" | sed -n 's/^[<>] //p' |
	grep -vxE '/etc/iscsictl|/etc/iscsictl/iscsictl.json|/var/lib/dkms/mok\.(key|pub)|/etc/multipath(/.*)?' \
	>"$W/leftover" || true
[ ! -s "$W/leftover" ] || fail "after purge, paths differ from before the install: $(head -n 10 "$W/leftover" | tr '\n' ' ')"
echo "purge: $(cat "$W"/files.* | wc -l) package paths gone; /etc/iscsi, sessions and the admin's config untouched"
