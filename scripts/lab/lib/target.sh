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
	local t=$LIO/iscsi/$iqn/tpgt_1 i name d base
	mkdir -p "$t" || return 1
	base=$(echo "$iqn" | md5sum | cut -c1-10)
	for ((i = 0; i < luns; i++)); do
		name=${base}_$i
		case "$bs" in
		ramdisk)
			d=$LIO/core/rd_mcp_0/$name
			mkdir -p "$d" || return 1
			echo "rd_pages=$((size * 256))" >"$d/control" || return 1
			;;
		fileio)
			d=$LIO/core/fileio_0/$name
			mkdir -p "$d" "$LAB_BS_DIR" || return 1
			truncate -s "${size}M" "$LAB_BS_DIR/$name.img"
			echo "fd_dev_name=$LAB_BS_DIR/$name.img,fd_dev_size=$((size * 1048576))" >"$d/control" || return 1
			;;
		*) echo "lab_target_create: backstore $bs?" >&2; return 2 ;;
		esac
		echo "$name" >"$d/wwn/vpd_unit_serial" 2>/dev/null
		echo 1 >"$d/enable" || return 1
		mkdir "$t/lun/lun_$i" && ln -s "$d" "$t/lun/lun_$i/$name" || return 1
	done
	for d in "${portals[@]}"; do
		tgt_exec mkdir "$t/np/$d" || { echo "lab: cannot listen on $d" >&2; return 1; }
	done
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

# lab_targets_create N LUNS [options]: N targets named $LAB_IQN_PREFIX:tN.
lab_targets_create() {
	local n=$1 luns=$2 i
	shift 2
	for ((i = 0; i < n; i++)); do
		lab_target_create --luns "$luns" "$@" "$LAB_IQN_PREFIX:t$i" || return 1
	done
}

lab_target_destroy() {
	local iqn=$1 t d l
	for t in "$LIO/iscsi/$iqn"/tpgt_*; do
		[ -d "$t" ] || continue
		echo 0 >"$t/enable" 2>/dev/null
		for d in "$t"/np/*; do [ -d "$d" ] && rmdir "$d"; done
		for d in "$t"/acls/*; do
			[ -d "$d" ] || continue
			for l in "$d"/lun_*; do [ -d "$l" ] && { rm -f "$l"/*; rmdir "$l"; }; done
			rmdir "$d"
		done
		for d in "$t"/lun/lun_*; do
			[ -d "$d" ] || continue
			find "$d" -maxdepth 1 -type l -delete
			rmdir "$d"
		done
		rmdir "$t"
	done
	rmdir "$LIO/iscsi/$iqn" 2>/dev/null
}

lab_target_destroy_all() {
	local d
	for d in "$LIO"/iscsi/*:*; do
		[ -d "$d" ] && lab_target_destroy "$(basename "$d")"
	done
	for d in "$LIO"/core/rd_mcp_*/* "$LIO"/core/fileio_*/*; do
		[ -d "$d" ] && [ -e "$d/enable" ] && rmdir "$d"
	done
	for d in "$LIO"/core/rd_mcp_* "$LIO"/core/fileio_*; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rm -rf "$LAB_BS_DIR"
	return 0
}

# lab_portal_down IP / lab_portal_up IP: the array port goes away (its address leaves
# br0: new logins fail, live connections stall until iscsid's recovery notices).
lab_portal_down() { tgt_exec ip addr del "$1/24" dev br0; }
lab_portal_up() { tgt_exec ip addr add "$1/24" dev br0; }
