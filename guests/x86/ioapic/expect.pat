# Required output lines of ioapic (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# no -append needed
^PASS: IOAPIC version register \(>= 16 pins\)$
^PASS: redirection entries masked after reset$
^PASS: redirection entry write/read back$
^PASS: edge: PIT IRQ0 arrives on IOAPIC pin 2$
^PASS: edge: PIT rate via IOAPIC plausible \(~1 kHz\)$
^PASS: edge: nothing on IOAPIC pin 0 \(IRQ0 is overridden to GSI 2\)$
^PASS: edge: LAPIC TMR clear for an edge vector$
^PASS: edge: masked redirection entry delivers nothing$
^PASS: level: remote IRR and LAPIC IRR set on delivery \(IF=0\)$
^PASS: level: UART THRE interrupt arrives on IOAPIC pin 4$
^PASS: level: IIR shows THRE as the source$
^PASS: level: LAPIC TMR set for a level vector$
^PASS: level: remote IRR set while in service$
^PASS: level: remote IRR cleared by LAPIC EOI$
^PASS: level: no re-delivery once the source dropped before EOI$
^PASS: level: re-fires after EOI while the source is still asserted$
^PASS: level: stops once the handler drops the source$
^PASS: level: remote IRR set on each re-delivery, clear after the last EOI$
^PASS: level: masked entry holds an asserted line back$
^PASS: level: unmasking delivers the still-asserted line once$
^PASS: no spurious LAPIC interrupts$
^DONE: ioapic: [0-9]+ checks, 0 failed$
