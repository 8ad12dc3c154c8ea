# Sourced by scripts/lab/kernel*.sh and scripts/checkpatch.sh: which Debian kernel series
# the lab boots (LAB_KERNEL=5.10|6.1|6.12, default 6.1) and a private apt view of the suite
# that carries it. The machine's apt sources are never edited: the suite's lists live under
# the lab cache and apt is pointed at them with -o options. The mirror is the one the
# machine already uses for bookworm (and bookworm-security for bullseye-security).
#
#   ks_series            5.10, 6.1 or 6.12 (dies on anything else)
#   ks_private           true when the series needs the private lists (not 6.1)
#   ks_apt_get ARGS...   apt-get on the series' private lists
#   ks_apt_cache ARGS... apt-cache on the series' private lists (updated once if empty)
#   ks_kver              the ABI name linux-headers-amd64 of the series depends on
#   ks_fetch PKG DIR     download PKG into DIR, checked against the index's SHA256; prints the .deb

KS_CACHE=${LAB_CACHE:-/var/cache/iscsictl-lab}

ks_die() { echo "lab kernel: $*" >&2; exit 1; }

ks_series() {
	case "${LAB_KERNEL:-6.1}" in
	5.10 | 5.10.*) echo 5.10 ;;
	6.1 | 6.1.*) echo 6.1 ;;
	6.12 | 6.12.*) echo 6.12 ;;
	*) ks_die "LAB_KERNEL=${LAB_KERNEL} is not one of 5.10, 6.1, 6.12" ;;
	esac
}

ks_private() { [ "$(ks_series)" != 6.1 ]; }

ks_apt_dir() { echo "$KS_CACHE/apt/$(ks_series)"; }

# The base URI the machine uses for a bookworm suite (e.g. "bookworm", "bookworm-security").
ks_mirror() {
	apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk -v r="$1" '$2 == r { print $1; exit }'
}

# Write the sources list of the series (only the private ones).
ks_sources() {
	local d main sec key=/usr/share/keyrings/debian-archive-keyring.gpg
	d=$(ks_apt_dir)
	main=$(ks_mirror bookworm)
	[ -n "$main" ] || ks_die "no bookworm mirror in the machine's apt sources"
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	: >"$d/status"
	case "$(ks_series)" in
	5.10)
		sec=$(ks_mirror bookworm-security)
		{
			echo "deb [signed-by=$key] $main bullseye main"
			[ -n "$sec" ] && echo "deb [signed-by=$key] $sec bullseye-security main"
		} >"$d/sources.list.tmp"
		;;
	6.12)
		echo "deb [signed-by=$key] $main bookworm-backports main" >"$d/sources.list.tmp"
		;;
	esac
	mv "$d/sources.list.tmp" "$d/sources.list"
}

ks_opts() {
	local d
	d=$(ks_apt_dir)
	# An empty dpkg status: candidates come from the series' lists only, never from
	# what the machine has installed.
	printf '%s\n' -o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=- \
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" \
		-o "Dir::State::status=$d/status" -o APT::Get::List-Cleanup=0
}

ks_apt_get() {
	local -a o
	mapfile -t o < <(ks_opts)
	apt-get "${o[@]}" "$@"
}

ks_update() {
	ks_sources
	ks_apt_get -qq update >/dev/null 2>"$(ks_apt_dir)/update.err" ||
		ks_die "apt-get update of the $(ks_series) lists failed: $(tail -n1 "$(ks_apt_dir)/update.err")"
}

ks_apt_cache() {
	local -a o
	if ! ks_private; then
		apt-cache "$@"
		return
	fi
	if ! ls "$(ks_apt_dir)"/lists/*_Packages* >/dev/null 2>&1; then
		ks_update
	fi
	mapfile -t o < <(ks_opts)
	apt-cache "${o[@]}" "$@"
}

ks_kver() {
	local dep v
	if [ -n "${LAB_KVER:-}" ]; then
		echo "$LAB_KVER"
		return
	fi
	if ks_private; then
		dep=$(ks_apt_cache show linux-headers-amd64 2>/dev/null | sed -n 's/^Depends: //p' | head -n1)
	else
		dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
			ks_die "linux-headers-amd64 is not installed (run 'make deps')"
	fi
	v=$(printf '%s\n' "$dep" | tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n1)
	[ -n "$v" ] || ks_die "cannot find the $(ks_series) kernel ABI (linux-headers-amd64 depends on '$dep')"
	echo "$v"
}

ks_want_sha() { ks_apt_cache show "$1" 2>/dev/null | sed -n 's/^SHA256: //p' | head -n1; }

ks_deb_ok() {
	local deb=$1 sha=$2
	[ -s "$deb" ] || return 1
	if [ -n "$sha" ]; then
		[ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$sha" ] || return 1
	fi
	dpkg-deb --info "$deb" >/dev/null 2>&1
}

ks_fetch() {
	local pkg=$1 dir=$2 deb sha
	mkdir -p "$dir"
	sha=$(ks_want_sha "$pkg")
	if [ -z "$sha" ] && ! ks_private; then
		apt-get update -qq >/dev/null 2>&1 || true
		sha=$(ks_want_sha "$pkg")
	fi
	deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	if [ -n "$deb" ] && ks_deb_ok "$deb" "$sha"; then
		echo "$deb"
		return
	fi
	[ -n "$deb" ] && echo "lab kernel: cached $(basename "$deb") is damaged; fetching again" >&2
	rm -f "$dir/${pkg}"_*.deb
	if ks_private; then
		(cd "$dir" && ks_apt_get -qq download "$pkg" >/dev/null 2>"$dir/download.err")
	else
		(cd "$dir" && apt-get -qq download "$pkg" >/dev/null 2>"$dir/download.err")
	fi || ks_die "cannot download $pkg (no network to the package mirror?): $(tail -n1 "$dir/download.err")"
	deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
	[ -n "$deb" ] && ks_deb_ok "$deb" "$sha" || ks_die "downloaded $pkg fails its checksum"
	echo "$deb"
}
