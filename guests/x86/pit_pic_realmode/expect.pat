# Required output lines of pit_pic_realmode (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# no -append needed
^PASS: real mode entered \(CR0\.PE=0\)$
^PASS: 8259 ICW1-4 init, OCW1 mask reads back$
^PASS: IRQ0 ticks arrive via real-mode IVT vector 8$
^PASS: STI\+HLT loop until 10 ticks$
^PASS: IRQ0 rate plausible vs PIT channel 2 \(~1 kHz\)$
^PASS: no EOI: IRQ0 stays in service and blocks$
^PASS: EOI releases in-service IRQ0$
^PASS: masked IRQ0 \(OCW1 0xFF\) delivers no ticks$
^PASS: masked IRQ0 is latched in IRR$
^PASS: unmasked IRQ0 resumes$
^PASS: nothing left in service after EOIs$
^PASS: no unexpected interrupts$
^DONE: pit_pic_realmode: [0-9]+ checks, 0 failed$
