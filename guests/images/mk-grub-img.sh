#!/usr/bin/env bash
# mk-grub-img.sh - build hvsim's grub.img: a raw BIOS-bootable disk with
# GRUB 2 (i386-pc) from Debian's grub-pc-bin, without root and without
# grub-install/grub-bios-setup (those are in grub-pc, which is not needed).
#
# Usage: mk-grub-img.sh OUTPUT.img KERNEL INITRAMFS
#
# Layout (see common.sh):
#   sector 0        boot.img (first 440 bytes; signature + partition table
#                   kept), patched like grub-bios-setup does for a hard disk
#   sectors 1..     core.img = diskboot.img + lzma'd kernel.img + modules
#                   (grub-mkimage -O i386-pc, prefix (hd0,msdos1)/boot/grub),
#                   embedded in the gap before the partition (< 1 MiB)
#   partition 1     FAT16 at sector 2048 with /boot/grub/grub.cfg (grub.cfg
#                   next to this script, @CMDLINE@ replaced), /vmlinuz and
#                   /initramfs.cpio.gz.  All modules are built into core.img,
#                   so /boot/grub/i386-pc is not needed.
#
# What grub-bios-setup would patch, and why the defaults already fit:
#   boot.img 0x5c  kernel_sector (u64) = 1: core.img's first sector. Default 1.
#   boot.img 0x64  boot_drive = 0xff: use the drive in DL.           Default.
#   boot.img 0x66  "jmp 3f" -> 2 x NOP, so a DL without bit 7 is forced to
#                  0x80 (hard-disk workaround).                      Patched.
#   core.img 0x1f4 first blocklist start (u64) = 2: the rest of core.img
#                  follows diskboot at sector 2.                      Default.
#   core.img 0x1fc blocklist length (u16): set by grub-mkimage.
# grub-bios-setup would also add Reed-Solomon redundancy to core.img; that is
# optional (redundancy 0 = no recovery data) and left out.
#
# Environment: GRUB_DIR (default /usr/lib/grub/i386-pc), DISK_MIB (64),
# HVSIM_CMDLINE, SOURCE_DATE_EPOCH.
set -eu
prog=mk-grub-img
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

[ $# -eq 3 ] || die "usage: $0 OUTPUT.img KERNEL INITRAMFS"
out=$1 kernel=$2 initrd=$3
grubdir=${GRUB_DIR:-/usr/lib/grub/i386-pc}

[ -f "$kernel" ] || die "kernel '$kernel' not found: run tools/setup.sh"
[ -f "$initrd" ] || die "initramfs '$initrd' not found: build it with mk-initramfs.sh"
for f in boot.img diskboot.img kernel.img moddep.lst; do
	[ -f "$grubdir/$f" ] || die "'$grubdir/$f' not found: apt-get install grub-pc-bin"
done
need grub-mkimage grub-common

# Modules linked into core.img (grub-mkimage adds their dependencies from
# moddep.lst).  biosdisk/part_msdos/fat: find the prefix; normal: read
# grub.cfg and run the menu; serial/terminfo/terminal: COM1 console;
# linux/boot: load and start the kernel; echo/sleep/test: config helpers.
modules=(biosdisk part_msdos fat normal configfile linux boot serial terminal terminfo
	echo sleep test)

mkdir -p "$(dirname "$out")"
tmp="$out.tmp"
stage=$(mktemp -d "${TMPDIR:-/tmp}/hvsim-grub.XXXXXX")
trap 'rm -rf "$stage" "$tmp"' EXIT

grub-mkimage -O i386-pc -d "$grubdir" -p '(hd0,msdos1)/boot/grub' \
	-o "$stage/core.img" "${modules[@]}" || die "grub-mkimage failed"
core_sectors=$(( ($(wc -c <"$stage/core.img") + 511) / 512 ))
[ "$core_sectors" -lt "$PART_START" ] \
	|| die "core.img ($core_sectors sectors) does not fit before sector $PART_START"

make_fat_disk "$tmp" 48564d47 HVSIM-GRUB

dd if="$grubdir/boot.img" of="$tmp" bs=440 count=1 conv=notrunc status=none \
	|| die "writing boot.img failed"
printf '\220\220' | dd of="$tmp" bs=1 seek=$((0x66)) count=2 conv=notrunc status=none \
	|| die "patching boot.img failed"
dd if="$stage/core.img" of="$tmp" bs=512 seek=1 conv=notrunc status=none \
	|| die "embedding core.img failed"

subst_cmdline "$here/grub.cfg" "$stage/grub.cfg"
fat_mkdir "$tmp" ::/boot
fat_mkdir "$tmp" ::/boot/grub
fat_put "$tmp" "$stage/grub.cfg" ::/boot/grub/grub.cfg
fat_put "$tmp" "$kernel" ::/vmlinuz
fat_put "$tmp" "$initrd" ::/initramfs.cpio.gz

mv "$tmp" "$out"
echo "$prog: wrote $out (core.img: $core_sectors sectors)"
