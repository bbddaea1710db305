# Required output lines of bootmgr_like (tests/guests/run-guest.sh pattern
# file: one grep -E pattern per line).  Expected exit status: 1.
^PASS: CPUID\.1:EDX\[9\] reports a local APIC$
^PASS: LAPIC LINT0 = ExtINT, unmasked \(virtual wire\)$
^PASS: real mode entered \(CR0\.PE=0\)$
^PASS: 8259 pair programmed \(vector bases 0x08/0x70, only IRQ0 unmasked\)$
^bootmgr-like: starting in 3$
^bootmgr-like: starting in 2$
^bootmgr-like: starting in 1$
^PASS: countdown on IRQ0 ticks \(8259 -> LINT0 ExtINT -> IVT vector 8\)$
^PASS: ticks taken only in the sti;nop;cli windows$
^PASS: tick rate plausible vs PIT channel 2 \(100 Hz\)$
^bootmgr-like: switched to 32-bit protected mode$
^PASS: back in 32-bit protected mode \(CR0\.PE=1\)$
^PASS: IRQ0 ticks arrive via the 8259 in protected mode \(IDT vector 0x20\)$
^DONE: bootmgr_like: [0-9]+ checks, 0 failed$
