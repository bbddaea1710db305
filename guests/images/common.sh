# shellcheck shell=bash
# common.sh - shared settings and helpers for hvsim's image recipes.
# Sourced (not executed) by mk-syslinux-img.sh and mk-grub-img.sh.
#
# Disk layout shared by both images: a raw disk of DISK_MIB MiB with a DOS
# (MBR) partition table, one active FAT16 partition (type 0x06) from sector
# 2048 to the end.  The FAT is made with mkfs.fat --offset directly in the
# disk file and filled with mtools (image@@offset): no loop mounts, no root.

# mkfs.fat lives in /usr/sbin, which a non-root PATH often lacks.
PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C TZ=UTC          # mtools stamps FAT times in local time
# Fixed FAT timestamps: mtools honours SOURCE_DATE_EPOCH (mkfs.fat does not:
# it gets --invariant); 2000-01-01 00:00:00 UTC unless the caller sets one.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-946684800}
export MTOOLS_SKIP_CHECK=1      # no geometry sanity checks on image files
unset MTOOLSRC

DISK_MIB=${DISK_MIB:-64}
PART_START=2048                 # sectors
# Kernel command line used by both boot loaders (see docs/guest-images.md).
HVSIM_CMDLINE=${HVSIM_CMDLINE:-console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 panic=-1 nokaslr}
export HVSIM_CMDLINE

die() { echo "${prog:-hvsim-images}: error: $*" >&2; exit 1; }

need() {  # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found: apt-get install $2 (or run tools/setup.sh)"
}

# make_fat_disk IMAGE VOLUME_ID LABEL: create the partitioned disk and the
# empty FAT16 file system in it.  Prints nothing on success.
make_fat_disk() {
	local img=$1 volid=$2 label=$3
	need sfdisk fdisk
	need mkfs.fat dosfstools
	need mcopy mtools
	rm -f "$img"
	truncate -s "${DISK_MIB}M" "$img"
	# Disk signature fixed (= volume id) for determinism.
	printf 'label: dos\nlabel-id: 0x%s\nunit: sectors\nstart=%d, type=6, bootable\n' \
		"$volid" "$PART_START" | sfdisk --quiet --no-reread --no-tell-kernel "$img" \
		|| die "sfdisk failed on $img"
	local sectors=$(( DISK_MIB * 2048 - PART_START ))
	# -h: hidden sectors = partition start (used by the FAT VBR/ldlinux);
	# -D 0x80: first hard disk; --invariant: no time-based fields.
	mkfs.fat --offset="$PART_START" -h "$PART_START" -D 0x80 -F 16 --invariant -i "$volid" \
		-n "$label" "$img" $(( sectors / 2 )) >/dev/null \
		|| die "mkfs.fat failed on $img"
}

# subst_cmdline TEMPLATE OUTPUT: copy TEMPLATE with @CMDLINE@ replaced by
# $HVSIM_CMDLINE, taken literally (no sed/bash replacement metacharacters).
subst_cmdline() {
	case $HVSIM_CMDLINE in *"
"*) die "HVSIM_CMDLINE must be a single line" ;; esac
	awk '{ r = ENVIRON["HVSIM_CMDLINE"]
	       while ((i = index($0, "@CMDLINE@")) > 0)
	           $0 = substr($0, 1, i - 1) r substr($0, i + 9)
	       print }' "$1" >"$2" || die "cannot write $2"
}

# fat_put IMAGE SRC DEST: copy a file into the FAT partition (DEST ::/path).
fat_put() {
	mcopy -o -i "$1@@$(( PART_START * 512 ))" "$2" "$3" || die "mcopy $2 -> $3 failed"
}

fat_mkdir() {
	mmd -i "$1@@$(( PART_START * 512 ))" "$2" || die "mmd $2 failed"
}
