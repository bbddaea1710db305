# Required output lines of lapic_timer (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# TSC-deadline lines differ between CPU models: only the prefix is required
^PASS: CPUID\.1:EDX\[9\] reports a local APIC$
^PASS: IA32_APIC_BASE: 0xFEE00000, enabled, BSP$
^PASS: SVR software enable reads back$
^PASS: LAPIC version: integrated, >= 4 LVTs$
^PASS: current count decreases$
^PASS: initial count 0 stops the timer$
^PASS: LAPIC timer rate measurable \(>= 1 MHz\)$
^PASS: divide configuration: DCR=0xb \(/1\)$
^PASS: divide configuration: DCR=0x0 \(/2\)$
^PASS: divide configuration: DCR=0x1 \(/4\)$
^PASS: divide configuration: DCR=0x2 \(/8\)$
^PASS: divide configuration: DCR=0x3 \(/16\)$
^PASS: divide configuration: DCR=0x8 \(/32\)$
^PASS: divide configuration: DCR=0x9 \(/64\)$
^PASS: divide configuration: DCR=0xa \(/128\)$
^PASS: one-shot counting, not fired after 1 of 20 ms$
^PASS: one-shot interrupt arrives \(divide 16, 20 ms\)$
^PASS: one-shot fires only once$
^PASS: one-shot CCR stays 0 after expiry$
^PASS: ISR bit set in handler, cleared by EOI$
^PASS: masked LVT timer: expires without interrupt$
^PASS: periodic interrupt rate \(1 ms period over 50 ms\)$
^PASS: periodic current count reloads from initial count$
^PASS: periodic stops on initial count 0$
^PASS: tsc-deadline 
^PASS: no spurious LAPIC interrupts$
^DONE: lapic_timer: [0-9]+ checks, 0 failed$
