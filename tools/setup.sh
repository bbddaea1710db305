#!/usr/bin/env bash
# setup.sh - install everything hvsim needs to build, test and boot its
# default guest, from Debian packages only.  Idempotent; safe to rerun.
#
# Unicorn/Capstone: hvsim needs Unicorn >= 2.1 and Capstone >= 5.  Debian
# bookworm has 2.0.1/4.0.2, so on such a machine we download trixie's
# libunicorn2t64/libunicorn-dev (2.1.1) and libcapstone5/libcapstone-dev
# (5.0.7) by package name through a *private* apt configuration (its own
# sources list, lists and cache under .deps/apt) and unpack them with
# dpkg -x into .deps/prefix.  Why not a pinned trixie source in the system's
# apt: that would let apt upgrade unrelated system packages to trixie; the
# private configuration cannot touch the system.  The trixie packages
# depend only on libc6 >= 2.34, which bookworm has; CMake links them with an
# rpath.  Where the distro itself is new enough, its packages are used.
#
# Guest payloads (the Debian kernel image) are downloaded and unpacked into
# .deps/guest, never installed on the host.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
deps="$root/.deps"
mkdir -p "$deps"
export DEBIAN_FRONTEND=noninteractive

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

host_pkgs=(
	build-essential cmake pkg-config libelf-dev libcmocka-dev libssl-dev
	binutils-s390x-linux-gnu gcc-s390x-linux-gnu
	binutils-powerpc64-linux-gnu gcc-powerpc64-linux-gnu
	seabios syslinux syslinux-common isolinux extlinux grub-pc-bin
	busybox-static mtools dosfstools fdisk cpio xz-utils zstd
	qemu-system-x86
)

missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
		|| missing+=("$p")
done
stamp="$deps/apt-updated"
if [ ${#missing[@]} -gt 0 ] || [ ! -e "$stamp" ]; then
	echo "setup: apt-get update"
	$sudo_cmd apt-get update -q >/dev/null
	touch "$stamp"
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	$sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Unicorn >= 2.1 and Capstone >= 5 ---------------------------------------
version_ok() {	# version_ok PKG MIN: candidate version of PKG >= MIN?
	local v
	v=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
	[ -n "$v" ] && [ "$v" != "(none)" ] && dpkg --compare-versions "$v" ge "$2"
}

prefix="$deps/prefix"
if version_ok libunicorn-dev 2.1 && version_ok libcapstone-dev 5; then
	echo "setup: the distro's Unicorn/Capstone are new enough"
	$sudo_cmd apt-get install -y -q libunicorn-dev libcapstone-dev >/dev/null
elif [ -e "$prefix/.complete" ]; then
	echo "setup: Unicorn 2.1 / Capstone 5 already in $prefix"
else
	echo "setup: fetching Unicorn 2.1 / Capstone 5 from Debian trixie into $prefix"
	apt_dir="$deps/apt"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/prefs.d" "$apt_dir/dl"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
		> "$apt_dir/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::State::Lists=$apt_dir/lists"
		-o "Dir::Cache=$apt_dir/cache"
		-o "Dir::State::Status=/dev/null"
		-o "Dir::Etc::Preferences=/dev/null"
		-o "Dir::Etc::PreferencesParts=$apt_dir/prefs.d"
		-o "APT::Sandbox::User=root")
	apt-get "${apt_opts[@]}" update -q >/dev/null
	(cd "$apt_dir/dl" && apt-get "${apt_opts[@]}" download -q \
		libunicorn2t64 libunicorn-dev libcapstone5 libcapstone-dev >/dev/null)
	rm -rf "$prefix"
	mkdir -p "$prefix"
	for deb in "$apt_dir"/dl/*.deb; do dpkg -x "$deb" "$prefix"; done
	touch "$prefix/.complete"
fi

# --- Guest payloads: the Debian kernel --------------------------------------
guest="$deps/guest"
if [ ! -e "$guest/.complete" ]; then
	echo "setup: fetching the Debian linux-image-amd64 kernel into $guest"
	mkdir -p "$guest/dl"
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null \
		| awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	[ -n "$kpkg" ] || { echo "setup: cannot resolve linux-image-amd64" >&2; exit 1; }
	(cd "$guest/dl" && apt-get download -q -o APT::Sandbox::User=root "$kpkg" >/dev/null)
	rm -rf "$guest/root"
	dpkg -x "$guest"/dl/"$kpkg"_*.deb "$guest/root"
	ln -sf "$(ls "$guest"/root/boot/vmlinuz-* | head -n1)" "$guest/vmlinuz"
	touch "$guest/.complete"
fi
echo "setup: done"
