#!/usr/bin/env bash
# qemu-boot.sh - boot one of hvsim's guest disk images under QEMU (TCG) as
# the reference that hvsim is measured against (see docs/guest-images.md).
#
# Usage: qemu-boot.sh IMAGE
#
# Runs exactly:
#   timeout ${QEMU_TIMEOUT:-120} qemu-system-x86_64 -M pc -accel tcg -m 512 \
#     -bios /usr/share/seabios/bios-256k.bin \
#     -drive file=IMAGE,format=raw,if=ide -nographic -no-reboot -nic none \
#     -device isa-debug-exit,iobase=0xf4,iosize=4
# Serial console (COM1) goes to stdout.  -nic none: no NIC, so no iPXE option
# ROM (hvsim has no NIC either).  The guest's /init powers off through ACPI
# S5 (QEMU exit 0) or, as a fallback, writes 0 to port 0xF4 (QEMU exit 1).
#
# Exit status: 0 if the serial output contained the initramfs marker line
# "hvsim-initramfs: hello from Linux" and QEMU exited 0 or 1, else 1.
# The wall-clock time is printed on stderr ("qemu-boot: IMAGE: N.NN s ...").
# Environment: QEMU (qemu-system-x86_64), QEMU_TIMEOUT (120), SEABIOS
# (/usr/share/seabios/bios-256k.bin).
set -eu

die() { echo "qemu-boot: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 IMAGE"
img=$1
qemu=${QEMU:-qemu-system-x86_64}
bios=${SEABIOS:-/usr/share/seabios/bios-256k.bin}
[ -f "$img" ] || die "image '$img' not found (build it: cmake --build build)"
[ -f "$bios" ] || die "'$bios' not found: apt-get install seabios"
command -v "$qemu" >/dev/null || die "'$qemu' not found: apt-get install qemu-system-x86"

log=$(mktemp "${TMPDIR:-/tmp}/qemu-boot.XXXXXX")
trap 'rm -f "$log"' EXIT

start=$(date +%s.%N)
set +e
timeout "${QEMU_TIMEOUT:-120}" "$qemu" -M pc -accel tcg -m 512 \
	-bios "$bios" \
	-drive "file=$img,format=raw,if=ide" -nographic -no-reboot -nic none \
	-device isa-debug-exit,iobase=0xf4,iosize=4 </dev/null | tee "$log"
rc=${PIPESTATUS[0]}
set -e
end=$(date +%s.%N)

secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
if grep -aq 'hvsim-initramfs: hello from Linux' "$log" && { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; }; then
	echo "qemu-boot: $img: $secs s, qemu exit $rc, marker line seen" >&2
	exit 0
fi
echo "qemu-boot: $img: FAILED after $secs s (qemu exit $rc$([ "$rc" -eq 124 ] && echo ', timeout'))" >&2
exit 1
