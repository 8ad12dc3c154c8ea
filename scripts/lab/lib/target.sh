# LIO targets through configfs. Network portals are created from inside the target
# namespace (nsenter --net, which keeps /sys and configfs; `ip netns exec` remounts /sys).

LIO=/sys/kernel/config/target
LAB_IQN_PREFIX=iqn.2026-11.lab.target
LAB_BS_DIR=/tmp/lab-backstores

# lab_target_create [options] IQN
#   --luns N            LUNs (default 1)
#   --size MB           size of each LUN (default 16)
#   --backstore KIND    ramdisk (default) or fileio
#   --portal IP:PORT    listen there (repeatable; default 10.33.0.10:3260)
#   --chap USER:PASS    one-way CHAP (the target checks the initiator)
#   --mutual USER:PASS  mutual CHAP (the initiator checks the target too)
#   --attr NAME=VALUE   a TPG parameter, e.g. --attr MaxRecvDataSegmentLength=65536
lab_target_create() {
	local luns=1 size=16 bs=ramdisk chap= mutual= portals=() attrs=() iqn=
	while [ $# -gt 0 ]; do
		case "$1" in
		--luns) luns=$2; shift 2 ;;
		--size) size=$2; shift 2 ;;
		--backstore) bs=$2; shift 2 ;;
		--portal) portals+=("$2"); shift 2 ;;
		--chap) chap=$2; shift 2 ;;
		--mutual) mutual=$2; shift 2 ;;
		--attr) attrs+=("$2"); shift 2 ;;
		-*) echo "lab_target_create: unknown option $1" >&2; return 2 ;;
		*) iqn=$1; shift ;;
		esac
	done
	[ -n "$iqn" ] || { echo "lab_target_create: IQN missing" >&2; return 2; }
	[ ${#portals[@]} -gt 0 ] || portals=("${LAB_PORTAL_IPS[0]}:3260")
	# Few processes: a fork+exec costs ~50-150 ms under TCG, so directories are made in one
	# mkdir each step and the backstore names hashed by the shell.
	local t=$LIO/iscsi/$iqn/tpgt_1 i name d key dirs=() lundirs=() nps=()
	_lab_hash "$iqn"
	key=$LAB_HASH
	case "$bs" in
	ramdisk | fileio) ;;
	*) echo "lab_target_create: backstore $bs?" >&2; return 2 ;;
	esac
	for ((i = 0; i < luns; i++)); do
		dirs+=("$LIO/core/${bs/ramdisk/rd_mcp}_0/${key}_$i")
		lundirs+=("$t/lun/lun_$i")
	done
	[ "$bs" = fileio ] && [ "$luns" -gt 0 ] && dirs+=("$LAB_BS_DIR")
	mkdir -p "$t" "${dirs[@]}" || return 1
	if [ "$bs" = fileio ] && [ "$luns" -gt 0 ]; then
		local imgs=()
		for ((i = 0; i < luns; i++)); do imgs+=("$LAB_BS_DIR/${key}_$i.img"); done
		truncate -s "${size}M" "${imgs[@]}" || return 1 # one process for every backing file
	fi
	for ((i = 0; i < luns; i++)); do
		name=${key}_$i
		d=${dirs[$i]}
		if [ "$bs" = ramdisk ]; then
			echo "rd_pages=$((size * 256))" >"$d/control" || return 1
		else
			echo "fd_dev_name=$LAB_BS_DIR/$name.img,fd_dev_size=$((size * 1048576))" >"$d/control" || return 1
		fi
		echo "$name" >"$d/wwn/vpd_unit_serial" 2>/dev/null
		echo 1 >"$d/enable" || return 1
	done
	if [ "$luns" -gt 0 ]; then
		mkdir "${lundirs[@]}" || return 1
		if [ "$luns" -ge 16 ]; then
			# Each LUN's link sits in its own directory: one python for all of them rather than
			# an ln per LUN (192 LUNs: about 40 s of ln under TCG).
			local pairs=()
			for ((i = 0; i < luns; i++)); do pairs+=("${dirs[$i]}" "${lundirs[$i]}/${key}_$i"); done
			python3 -c 'import os, sys
a = sys.argv[1:]
for i in range(0, len(a), 2):
    os.symlink(a[i], a[i + 1])' "${pairs[@]}" || return 1
		else
			for ((i = 0; i < luns; i++)); do
				ln -s "${dirs[$i]}" "${lundirs[$i]}/${key}_$i" || return 1
			done
		fi
	fi
	for d in "${portals[@]}"; do nps+=("$t/np/$d"); done
	tgt_exec mkdir "${nps[@]}" || { echo "lab: cannot listen on ${portals[*]}" >&2; return 1; }
	echo 1 >"$t/attrib/generate_node_acls"
	echo 1 >"$t/attrib/cache_dynamic_acls"
	echo 0 >"$t/attrib/demo_mode_write_protect"
	if [ -n "$chap" ]; then
		echo 1 >"$t/attrib/authentication"
		printf %s "${chap%%:*}" >"$t/auth/userid" # no newline: LIO keeps it
		printf %s "${chap#*:}" >"$t/auth/password"
		if [ -n "$mutual" ]; then
			printf %s "${mutual%%:*}" >"$t/auth/userid_mutual"
			printf %s "${mutual#*:}" >"$t/auth/password_mutual"
		fi
	else
		echo 0 >"$t/attrib/authentication"
	fi
	for d in "${attrs[@]}"; do
		echo "${d#*=}" >"$t/param/${d%%=*}" || { echo "lab: bad TPG param $d" >&2; return 1; }
	done
	echo 1 >"$t/enable"
}

# _lab_hash STRING: 8 hex digits of FNV-1a (32 bit) in LAB_HASH, without a process.
_lab_hash() {
	local s=$1 h=2166136261 i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 16777619 & 0xffffffff))
	done
	printf -v LAB_HASH '%08x' "$h"
}

# lab_targets_create N LUNS [options]: N targets named $LAB_IQN_PREFIX:tN.
lab_targets_create() {
	local n=$1 luns=$2 i
	shift 2
	for ((i = 0; i < n; i++)); do
		lab_target_create --luns "$luns" "$@" "$LAB_IQN_PREFIX:t$i" || return 1
	done
}

# lab_target_destroy IQN...: the targets go (their links, then their directories,
# children first, in one rm and one rmdir); their backstores stay.
lab_target_destroy() {
	local iqn t d l x links=() dirs=()
	for iqn in "$@"; do
		for t in "$LIO/iscsi/$iqn"/tpgt_*; do
			[ -d "$t" ] || continue
			echo 0 >"$t/enable" 2>/dev/null
			for d in "$t"/np/*; do [ -d "$d" ] && dirs+=("$d"); done
			for d in "$t"/acls/*; do
				[ -d "$d" ] || continue
				for l in "$d"/lun_*; do
					[ -d "$l" ] || continue
					for x in "$l"/*; do [ -L "$x" ] && links+=("$x"); done
					dirs+=("$l")
				done
				dirs+=("$d")
			done
			for d in "$t"/lun/lun_*; do
				[ -d "$d" ] || continue
				for x in "$d"/*; do [ -L "$x" ] && links+=("$x"); done
				dirs+=("$d")
			done
			dirs+=("$t")
		done
		[ -d "$LIO/iscsi/$iqn" ] && dirs+=("$LIO/iscsi/$iqn")
	done
	[ ${#links[@]} -eq 0 ] || rm -f "${links[@]}"
	[ ${#dirs[@]} -eq 0 ] || rmdir "${dirs[@]}" 2>/dev/null
	return 0
}

lab_target_destroy_all() {
	local d iqns=() devs=() hbas=()
	for d in "$LIO"/iscsi/*:*; do [ -d "$d" ] && iqns+=("${d##*/}"); done
	[ ${#iqns[@]} -eq 0 ] || lab_target_destroy "${iqns[@]}"
	for d in "$LIO"/core/rd_mcp_*/* "$LIO"/core/fileio_*/*; do
		[ -d "$d" ] && [ -e "$d/enable" ] && devs+=("$d")
	done
	for d in "$LIO"/core/rd_mcp_* "$LIO"/core/fileio_*; do [ -d "$d" ] && hbas+=("$d"); done
	[ ${#devs[@]} -eq 0 ] && [ ${#hbas[@]} -eq 0 ] || rmdir "${devs[@]}" "${hbas[@]}" 2>/dev/null
	[ ! -e "$LAB_BS_DIR" ] || rm -rf "$LAB_BS_DIR"
	return 0
}

# lab_portal_down IP / lab_portal_up IP: the array port goes away (its address leaves
# br0: new logins fail, live connections stall until iscsid's recovery notices).
lab_portal_down() { tgt_exec ip addr del "$1/24" dev br0; }
lab_portal_up() { tgt_exec ip addr add "$1/24" dev br0; }
