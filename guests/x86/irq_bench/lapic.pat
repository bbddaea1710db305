# Required output lines of irq_bench -append "src=lapic n=..." (tests/guests/
# run-guest.sh pattern file: one grep -E pattern per line).  Expected exit
# status: 1.  The BENCH line is what bench/run-bench.sh reads.
^BENCH: src=lapic n=[0-9]+ irqs=[0-9]+ tsc=[0-9]+ virt_us=[0-9]+$
^PASS: lapic: [0-9]+ interrupts delivered$
^PASS: no spurious interrupts$
^DONE: irq_bench: [0-9]+ checks, 0 failed$
