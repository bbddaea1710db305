# syslinux under -accel hvsim,avic=on,extint-inhibit=off (run-guest.sh
# pattern file; expected exit status 8, hang): the menu starts its
# countdown on BIOS ticks and never gets the next one, because the PIT's
# interrupt reaches the CPU only as ExtINT through the 8259, which AVIC
# cannot deliver.  The hang report names the cause.
Automatic boot in (\[[0-9;]*m)*3(\[[0-9;]*m)* seconds
guest hang: no console output
8259: INT output high, IRR 0[13]
diagnosis: 8259 interrupt pending, LINT0 ExtINT, AVIC active, V_IRQ ignored
