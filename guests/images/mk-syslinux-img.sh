#!/usr/bin/env bash
# mk-syslinux-img.sh - build hvsim's syslinux.img: a raw BIOS-bootable disk.
#
# Usage: mk-syslinux-img.sh OUTPUT.img KERNEL INITRAMFS
#
# Layout (see common.sh): MBR = syslinux-common's mbr.bin (boots the active
# partition), partition 1 = FAT16 at sector 2048 holding
#   ldlinux.sys + ldlinux.c32   (syslinux --install --offset, mtools installer)
#   menu.c32, libutil.c32       (the menu with the 3 s countdown)
#   syslinux.cfg                (syslinux.cfg next to this script, @CMDLINE@
#                                replaced by the kernel command line)
#   vmlinuz, initramfs.cpio.gz
# No root, no loop devices: sfdisk, mkfs.fat --offset, mtools, dd.
#
# Environment: SYSLINUX_MBR (default /usr/lib/syslinux/mbr/mbr.bin),
# SYSLINUX_MODULES (default /usr/lib/syslinux/modules/bios), DISK_MIB (64),
# HVSIM_CMDLINE, SOURCE_DATE_EPOCH.
set -eu
prog=mk-syslinux-img
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

[ $# -eq 3 ] || die "usage: $0 OUTPUT.img KERNEL INITRAMFS"
out=$1 kernel=$2 initrd=$3
mbr=${SYSLINUX_MBR:-/usr/lib/syslinux/mbr/mbr.bin}
mods=${SYSLINUX_MODULES:-/usr/lib/syslinux/modules/bios}

[ -f "$kernel" ] || die "kernel '$kernel' not found: run tools/setup.sh"
[ -f "$initrd" ] || die "initramfs '$initrd' not found: build it with mk-initramfs.sh"
[ -f "$mbr" ] || die "'$mbr' not found: apt-get install syslinux-common"
for m in ldlinux.c32 menu.c32 libutil.c32; do
	[ -f "$mods/$m" ] || die "'$mods/$m' not found: apt-get install syslinux-common"
done
need syslinux syslinux

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
stage=$(mktemp -d "${TMPDIR:-/tmp}/hvsim-syslinux.XXXXXX")
trap 'rm -rf "$stage" "$tmp"' EXIT

make_fat_disk "$tmp" 48564d53 HVSIM-SYSL

# syslinux's mtools installer: writes the FAT boot sector (ldlinux.bss,
# keeping the BPB), ldlinux.sys (patched with its own sector list) and
# ldlinux.c32 into the file system at the given byte offset.
syslinux --install --offset $(( PART_START * 512 )) "$tmp" \
	|| die "syslinux --install failed"

# MBR boot code: first 440 bytes only, keeping signature + partition table.
dd if="$mbr" of="$tmp" bs=440 count=1 conv=notrunc status=none \
	|| die "writing $mbr failed"

subst_cmdline "$here/syslinux.cfg" "$stage/syslinux.cfg"
fat_put "$tmp" "$stage/syslinux.cfg" ::/syslinux.cfg
fat_put "$tmp" "$mods/menu.c32" ::/menu.c32
fat_put "$tmp" "$mods/libutil.c32" ::/libutil.c32
fat_put "$tmp" "$kernel" ::/vmlinuz
fat_put "$tmp" "$initrd" ::/initramfs.cpio.gz

mv "$tmp" "$out"
echo "$prog: wrote $out"
