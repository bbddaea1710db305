#!/usr/bin/env bash
# run-bench.sh BUILD - runs the benchmarks and prints Markdown tables for
# docs/performance.md.  Ratios are taken in one process/script run.
set -euo pipefail
build=${1:-build}
cmake --build "$build" --target bench_engine -j2 >/dev/null
echo "## Engine (bench/bench_engine.c)"
"$build/bench/bench_engine"
echo
echo "## Own guests (wall seconds, hvsim)"
for g in pit_pic_realmode lapic_timer longmode_paging; do
	s=$(date +%s.%N)
	"$build/hvsim" -kernel "$build/guests/x86/$g.elf" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	printf '| %s | %.2f s |\n' "$g" "$(echo "$e - $s" | bc)"
done

# Real boots to the initramfs power-off: hvsim vs QEMU TCG on the same image
# (guests/images/qemu-boot.sh runs QEMU), wall seconds and their ratio.
echo
echo "## Real boot to power-off (wall seconds)"
images="$build/guests/images"
hvsim_boot() {  # hvsim_boot ARGS...: prints wall seconds, fails on no marker
	local s e log
	log=$(mktemp)
	s=$(date +%s.%N)
	"$build/hvsim" -m 512M -no-reboot -serial "file:$log" "$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	if ! grep -aq 'hvsim-initramfs: hello from Linux' "$log"; then
		rm -f "$log"
		echo "FAILED"
		return
	fi
	rm -f "$log"
	echo "$e - $s" | bc
}
qemu_boot() {  # qemu_boot IMAGE: prints wall seconds or "-"
	local s e
	command -v qemu-system-x86_64 >/dev/null || { echo "-"; return; }
	s=$(date +%s.%N)
	QEMU_TIMEOUT=300 bash guests/images/qemu-boot.sh "$1" >/dev/null 2>&1 || { echo "FAILED"; return; }
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
echo "| boot | QEMU 7.2 TCG | hvsim | hvsim / QEMU |"
echo "|---|---|---|---|"
for img in syslinux grub; do
	q=$(qemu_boot "$images/$img.img")
	h=$(hvsim_boot -drive "file=$images/$img.img,format=raw")
	r=$(awk -v q="$q" -v h="$h" 'BEGIN { if (q + 0 > 0 && h + 0 > 0) printf "%.1f", h / q; else print "-" }')
	printf '| SeaBIOS → %s → Linux → initramfs → S5 | %.1f s | %.1f s | %s |\n' "$img" "$q" "$h" "$r"
done
h=$(hvsim_boot -kernel "$(readlink -f .deps/guest/vmlinuz)" -initrd "$images/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 nokaslr")
printf '| direct bzImage → Linux → initramfs → 0xF4 | - | %.1f s | - |\n' "$h"
