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
