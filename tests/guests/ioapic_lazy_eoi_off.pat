# The ioapic guest under -accel hvsim,lazy-eoi=off (run-guest.sh pattern
# file, RUN_GUEST_BUG_MODE; expected exit status 3: the guest failed).
# AVIC completes the PIT's edge EOIs without an exit; without the lazy
# IOAPIC EOI (seed 002) the re-injecting 8254 never sees the first tick
# acknowledged and raises no other: the guest gets one tick, then none.
# (With pit-reinject=off the same run passes.)
^PASS: edge: PIT IRQ0 arrives on IOAPIC pin 2$
^FAIL: edge: PIT rate via IOAPIC plausible \(~1 kHz\) \(0 interrupts in 50 ms
^DONE: ioapic: [0-9]+ checks, 1 failed$
