#!/usr/bin/env bash
# mk-initramfs.sh - build hvsim's tiny test initramfs (gzip'ed newc cpio).
#
# Usage: mk-initramfs.sh OUTPUT.cpio.gz [INIT_SCRIPT]
#
# Contents: busybox-static's /bin/busybox, symlinks for the few applets /init
# uses, empty /dev /proc /sys, and /init (default: init next to this script),
# which prints "hvsim-initramfs: hello from Linux <uname -r>" and powers off.
# No device nodes (they would need root): /init mounts devtmpfs itself.
#
# Deterministic: sorted file list, all mtimes 0, owner 0:0, cpio
# --reproducible (renumbered inodes), gzip -n.  Same inputs, same bytes.
#
# Environment: BUSYBOX (default /bin/busybox from Debian's busybox-static).
set -eu
export LC_ALL=C

die() { echo "mk-initramfs: error: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	die "usage: $0 OUTPUT.cpio.gz [INIT_SCRIPT]"
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
init=${2:-$here/init}
busybox=${BUSYBOX:-/bin/busybox}

[ -f "$init" ] || die "init script '$init' not found"
[ -x "$busybox" ] || die "'$busybox' not found: apt-get install busybox-static (or run tools/setup.sh)"
if ! file -b "$busybox" 2>/dev/null | grep -q 'statically linked'; then
	# Without `file`, trust the caller; with it, refuse a dynamic busybox.
	command -v file >/dev/null && die "'$busybox' is not statically linked: install busybox-static, not busybox"
fi
command -v cpio >/dev/null || die "cpio not found: apt-get install cpio"
command -v gzip >/dev/null || die "gzip not found"

stage=$(mktemp -d "${TMPDIR:-/tmp}/hvsim-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/root/bin" "$stage/root/dev" "$stage/root/proc" "$stage/root/sys"
cp "$busybox" "$stage/root/bin/busybox"
chmod 0755 "$stage/root/bin/busybox"
for applet in sh mount uname poweroff dd printf cat ls sleep; do
	ln -s busybox "$stage/root/bin/$applet"
done
cp "$init" "$stage/root/init"
chmod 0755 "$stage/root/init"
chmod 0755 "$stage/root" "$stage/root/dev" "$stage/root/proc" "$stage/root/sys" "$stage/root/bin"

# Fixed mtimes (touch -h: the symlinks themselves, not busybox).
find "$stage/root" -exec touch -h -d @0 {} +

repro=""
cpio --help 2>/dev/null | grep -q -- '--reproducible' && repro="--reproducible"

(
	cd "$stage/root"
	find . -mindepth 1 | sed 's|^\./||' | sort |
		cpio -o -H newc -R 0:0 $repro --quiet
) | gzip -n -9 >"$stage/out.cpio.gz"

mkdir -p "$(dirname "$out")"
mv "$stage/out.cpio.gz" "$out"
echo "mk-initramfs: wrote $out ($(wc -c <"$out") bytes)"
