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
	if [ "$img" = syslinux ]; then h_syslinux=$h; fi
done
h=$(hvsim_boot -kernel "$(readlink -f .deps/guest/vmlinuz)" -initrd "$images/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 nokaslr")
printf '| direct bzImage → Linux → initramfs → 0xF4 | - | %.1f s | - |\n' "$h"

# The syslinux boot above (-accel hvsim, AVIC on) against the same image on
# the bare engine, and their ratio.
echo
echo "## syslinux boot: -accel hvsim (AVIC on) vs -accel bare (wall seconds)"
b=$(hvsim_boot -accel bare -drive "file=$images/syslinux.img,format=raw")
r=$(awk -v b="$b" -v h="$h_syslinux" 'BEGIN { if (b + 0 > 0 && h + 0 > 0) printf "%.2f", h / b; else print "-" }')
echo "| boot | -accel bare | -accel hvsim | hvsim / bare |"
echo "|---|---|---|---|"
printf '| SeaBIOS → syslinux → Linux → initramfs → S5 | %.1f s | %.1f s | %s |\n' "$b" "$h_syslinux" "$r"

# Interrupt delivery paths: guests/x86/irq_bench counts the interrupts it
# took (its "BENCH: ... irqs=N" line); wall seconds of the run minus those
# of an n=1 run of the same command (start-up, calibration) give
# interrupts per host second.  Exits come from the hvsim core's summary at
# exit, parsed loosely (first number on its "total" line; "-" on bare).
# Ratios are to the bare run of the same guest in this script run.
echo
echo "## Interrupt delivery paths (-accel hvsim vs bare)"
irq_elf="$build/guests/x86/irq_bench.elf"
irq_run() {  # irq_run ACCEL APPEND: prints "wall irqs exits path_count"
	local out s e irqs exits
	out=$(mktemp)
	s=$(date +%s.%N)
	"$build/hvsim" -accel "$1" -hang-timeout 0 -kernel "$irq_elf" -append "$2" >"$out" 2>&1 || true
	e=$(date +%s.%N)
	irqs=$(sed -n 's/^BENCH: .* irqs=\([0-9]*\) .*/\1/p' "$out")
	exits=$(awk 'tolower($0) ~ /total/ { gsub(/[|,]/, " "); for (i = 1; i <= NF; i++)
		if ($i ~ /^[0-9]+$/) { print $i; exit } }' "$out")
	rm -f "$out"
	echo "$(echo "$e - $s" | bc) ${irqs:-0} ${exits:--}"
}
echo "| source, rate | -accel | path under hvsim | wall s | interrupts | interrupts / host s | exits | exits / host s | vs bare |"
echo "|---|---|---|---|---|---|---|---|---|"
# source n hz: 20 kHz, the rate a guest might use (extint: the guest's
# IF=0 work between ticks dominates); extint at the PIT's highest rate
# (divisor 2) keeps the window path saturated (lapic: the guest halts
# between interrupts, so it is saturated at any rate).
for cfg in "lapic 200000 20000" "extint 20000 20000" "extint 200000 600000"; do
	set -- $cfg
	src=$1 n=$2 hz=$3
	base=""
	for accel in bare hvsim hvsim,avic=off; do
		case $src,$accel in
		lapic,hvsim) path="AVIC posted" ;;
		lapic,hvsim,avic=off) path="EVENTINJ (LAPIC)" ;;
		extint,hvsim) path="IRQWIN, V_IRQ, VINTR, EVENTINJ (ExtINT)" ;;
		extint,hvsim,avic=off) path="V_IRQ, VINTR, EVENTINJ (ExtINT)" ;;
		*) path="-" ;;
		esac
		read -r w0 _ _ <<<"$(irq_run "$accel" "src=$src n=1 hz=$hz")"
		read -r w irqs exits <<<"$(irq_run "$accel" "src=$src n=$n hz=$hz")"
		line=$(awk -v w="$w" -v w0="$w0" -v i="$irqs" -v x="$exits" -v base="$base" 'BEGIN {
			net = w - w0; if (net <= 0) net = w
			rate = i / net
			xs = (x ~ /^[0-9]+$/) ? sprintf("%.3g", x / net) : "-"
			ratio = (base + 0 > 0) ? sprintf("%.2f", rate / base) : "1"
			printf "%.2f|%.3g|%s|%s|%.6g\n", w, rate, xs, ratio, rate }')
		IFS='|' read -r ws rate xs ratio raw <<<"$line"
		if [ "$accel" = bare ]; then base=$raw; fi
		printf '| %s, %s Hz | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
			"$src" "$hz" "$accel" "$path" "$ws" "$irqs" "$rate" "$exits" "$xs" "$ratio"
	done
done

# s390 AP: scenarios run by the driver guest (which prints one line per
# step: part of what is measured), against libcrypto's own RSA-2048
# private-key rate (`openssl speed`, CRT) measured in the same run.
echo
echo "## s390 AP crypto (hvsim ap-scenario, bench/ap/*.aps)"
ap_run() {  # ap_run NAME: wall seconds; the summary lines go to $ap_log
	local s e
	s=$(date +%s.%N)
	"$build/hvsim" ap-scenario "bench/ap/$1.aps" >/dev/null 2>"$ap_log" ||
		{ echo "FAILED"; return; }
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
ap_log=$(mktemp)
rt=$(ap_run roundtrip)
crt=$(ap_run crt2048)
irq=$(ap_run irq)
lat=$(sed -n 's/.*delivery latency \([0-9.]*\) guest instructions on average, \([0-9]*\) at most.*/\1 (max \2)/p' "$ap_log")
rm -f "$ap_log"
ossl=$(openssl speed -seconds 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { print $6 }')
echo "| measurement | result |"
echo "|---|---|"
printf '| NQAP/DQAP round trips (1024-bit ME, polled) | %.0f per second |\n' "$(echo "1000 / $rt" | bc -l)"
printf '| RSA-2048 CRT through the simulated adapter | %.0f per second |\n' "$(echo "500 / $crt" | bc -l)"
printf '| RSA-2048 private key, libcrypto directly | %s per second |\n' "$ossl"
printf '| ratio simulated / libcrypto | %.2f |\n' "$(echo "500 / $crt / $ossl" | bc -l)"
printf '| interrupt-driven completions (guest sleeps, GIB alert wakes it) | %.0f per second |\n' "$(echo "500 / $irq" | bc -l)"
echo "| delivery latency, vCPU woken to I/O handler | $lat guest instructions |"
