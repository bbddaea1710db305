# Required output lines of smp (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# run with -smp 4 -append cpus=4 (APIC IDs 0-3)
^PASS: IA32_APIC_BASE\.BSP set on the boot CPU$
^PASS: fw_cfg CPU count matches cpus= on the command line$
^PASS: INIT/SIPI sent \(ICR delivery status goes idle\)$
^PASS: all APs arrived after INIT-SIPI-SIPI$
^PASS: AP APIC IDs unique and different from the BSP$
^PASS: AP LAPIC ID register matches CPUID\.1:EBX\[31:24\]$
^PASS: fixed IPI to APIC ID 2 \(physical\) handled by that AP only$
^PASS: fixed IPI to APIC ID 1 \(physical\) handled by that AP only$
^PASS: fixed IPI to APIC ID 3 \(physical\) handled by that AP only$
^PASS: fixed IPI to all-excluding-self reaches every AP, not the BSP$
^PASS: self IPI \(shorthand self\) handled on the BSP$
^PASS: IPI to own physical APIC ID handled on the BSP$
^PASS: no APIC errors \(ESR\)$
^PASS: no spurious LAPIC interrupts$
^DONE: smp: [0-9]+ checks, 0 failed$
