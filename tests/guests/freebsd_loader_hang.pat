# freebsd_loader_like under -accel hvsim,avic=on,extint-inhibit=off
# (run-guest.sh pattern file; expected exit status 8, hang): the loader's
# countdown on BIOS ticks stops at its first line.
^PASS: BIOS left IRQ0 unmasked in the 8259$
^freebsd-loader-like: Booting \[/boot/kernel/kernel\] in 3 seconds\.\.\.$
guest hang: no console output
8259: INT output high, IRR 0[13]
diagnosis: 8259 interrupt pending, LINT0 ExtINT, AVIC active, V_IRQ ignored
