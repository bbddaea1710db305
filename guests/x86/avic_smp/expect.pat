# Required output lines of avic_smp (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# run with -smp 4 -append cpus=4 (APIC IDs 0-3).
^PASS: 3 APs up, CPU n has APIC ID n$
^PASS: halted: fixed IPI to APIC ID 1 wakes that AP out of HLT, no other CPU$
^PASS: halted: fixed IPI to APIC ID 2 wakes that AP out of HLT, no other CPU$
^PASS: halted: fixed IPI to APIC ID 3 wakes that AP out of HLT, no other CPU$
^PASS: NMI IPI to APIC ID 1 runs that AP's NMI handler once, no other CPU$
^PASS: NMI IPI to APIC ID 2 runs that AP's NMI handler once, no other CPU$
^PASS: NMI IPI to APIC ID 3 runs that AP's NMI handler once, no other CPU$
^PASS: CLI;HLT: a fixed IPI neither wakes the AP nor is taken$
^PASS: CLI;HLT: an NMI IPI wakes the AP out of HLT with IF=0$
^PASS: CLI;HLT: the held fixed IPI is taken once the AP sets IF again$
^PASS: logical flat: DFR/LDR written and read back on every CPU$
^PASS: logical flat: IPI to 0x10 reaches CPU mask 0x2 exactly$
^PASS: logical flat: IPI to 0x04 reaches CPU mask 0x4 exactly$
^PASS: logical flat: IPI to 0x80 reaches CPU mask 0x8 exactly$
^PASS: logical flat: IPI to 0x84 reaches CPU mask 0xc exactly$
^PASS: logical flat: IPI to 0x94 reaches CPU mask 0xe exactly$
^PASS: logical flat: IPI to 0x11 reaches CPU mask 0x3 exactly$
^PASS: logical flat: IPI to 0x02 reaches CPU mask 0x0 exactly$
^PASS: logical cluster: DFR/LDR written and read back on every CPU$
^PASS: logical cluster: IPI to 0x04 reaches CPU mask 0x2 exactly$
^PASS: logical cluster: IPI to 0x05 reaches CPU mask 0x3 exactly$
^PASS: logical cluster: IPI to 0x0e reaches CPU mask 0x2 exactly$
^PASS: logical cluster: IPI to 0x11 reaches CPU mask 0x4 exactly$
^PASS: logical cluster: IPI to 0x18 reaches CPU mask 0x8 exactly$
^PASS: logical cluster: IPI to 0x19 reaches CPU mask 0xc exactly$
^PASS: logical cluster: IPI to 0x1f reaches CPU mask 0xc exactly$
^PASS: logical cluster: IPI to 0x21 reaches CPU mask 0x0 exactly$
^PASS: logical cluster: IPI to 0x02 reaches CPU mask 0x0 exactly$
^PASS: INIT then SIPI to a running AP restarts that AP only$
^PASS: INIT reset the AP's LAPIC \(software-disabled, LDR 0, same APIC ID\)$
^PASS: after INIT: the AP's old logical ID \(cluster 0x18\) reaches nobody$
^PASS: after INIT: another AP's logical ID \(cluster 0x11\) still reaches it$
^PASS: after INIT/SIPI: fixed IPI to the restarted AP's APIC ID wakes it out of HLT$
^PASS: APIC ID change: AP 1 wrote ID 0x0A and reads it back$
^PASS: APIC ID change: physical IPI to the new ID reaches the AP$
^PASS: APIC ID change: physical IPI to the old ID reaches nobody$
^PASS: APIC ID change: AP 1 restored its ID$
^PASS: APIC ID restored: physical IPI to it reaches the AP again$
^PASS: APIC ID restored: physical IPI to the dropped ID reaches nobody$
^PASS: level: IOAPIC pin 4 \(UART THRE\) delivered to AP 2's handler$
^PASS: level: IIR shows THRE as the source$
^PASS: level: remote IRR set while in service, cleared by the AP's EOI$
^PASS: level: cause cleared before EOI: no further delivery$
^PASS: level: EOI without clearing the cause delivers again \(remote IRR\), until cleared$
^PASS: level: remote IRR set on each re-delivery, clear after the last EOI$
^PASS: no APIC errors on the BSP \(ESR\)$
^PASS: no spurious interrupts, none on an unidentified CPU, no NMI on the BSP$
^DONE: avic_smp: [0-9]+ checks, 0 failed$
