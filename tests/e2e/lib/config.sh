# iscsictl config files in the e2e scenarios (part of tests/e2e/lib/e2e.sh): one builder,
# so no scenario writes config JSON by hand (a deliberately broken file excepted).
#
#   cfg_begin [MEMBER...]      a new config: "version": 1 and the top-level members given,
#                              e.g. "$CFG_LOGIN5" or '"session_defaults": {...}'
#   cfg_target [-m MEMBER]... IQN PORTAL SESSION...
#                              one entry of "targets" (tpgt 1) at PORTAL ("-": none, the
#                              address comes from conn_defaults); SESSION is a NIC (MAC, name)
#                              or a whole session object '{"iface": ..., "conns": [...]}';
#                              -m adds a member to the entry ('"session_defaults": {...}')
#   cfg_print                  the config (one line of JSON)
#   cfg_write [FILE]           the config into FILE (default $CONF), written in place
# No fork: jq costs ~0.2 s a call under TCG.

# The lab's usual connection defaults: a login gives up after 5 s.
CFG_LOGIN5='"conn_defaults": {"timeo": {"login_timeout": 5}}'

cfg_begin() {
	CFG_TOP=('"version": 1' "$@")
	CFG_TARGETS=()
}

_cfg_join() { local IFS=,; CFG_JOINED="$*"; }

cfg_target() {
	local members=() sessions=() s t
	while [ "${1:-}" = -m ]; do
		members+=("$2")
		shift 2
	done
	[ $# -ge 2 ] || fail "cfg_target: IQN and PORTAL needed"
	t="{\"name\": \"$1\", \"tpgt\": 1"
	[ "$2" = - ] || t="$t, \"portal\": {\"address\": \"$2\"}"
	shift 2
	for s in "${members[@]}"; do t="$t, $s"; done
	for s in "$@"; do
		case "$s" in
		"{"*) sessions+=("$s") ;;
		*) sessions+=("{\"iface\": \"$s\"}") ;;
		esac
	done
	_cfg_join "${sessions[@]}"
	CFG_TARGETS+=("$t, \"sessions\": [$CFG_JOINED]}")
}

cfg_print() {
	local top
	_cfg_join "${CFG_TOP[@]}"
	top=$CFG_JOINED
	_cfg_join "${CFG_TARGETS[@]}"
	echo "{$top, \"targets\": [$CFG_JOINED]}"
}

cfg_write() { cfg_print >"${1:-$CONF}"; }
