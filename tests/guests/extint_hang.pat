# bootmgr_like under -accel hvsim,avic=on,extint-inhibit=off: the guest
# starts its countdown and never gets the next tick; hvsim's hang report
# names the cause.  Expected exit status: 8 (hang).
^bootmgr-like: starting in 3$
guest hang: no console output
8259: INT output high, IRR 01
diagnosis: 8259 interrupt pending, LINT0 ExtINT, AVIC active, V_IRQ ignored
