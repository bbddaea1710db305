# Required output lines of freebsd_loader_like (tests/guests/run-guest.sh
# pattern file: one grep -E pattern per line).  Expected exit status: 1.
# Booted by SeaBIOS from the raw disk image, no -kernel.
^PASS: MBR loaded the whole loader with INT 13h AH=42h$
^PASS: BIOS left IRQ0 unmasked in the 8259$
^freebsd-loader-like: Booting \[/boot/kernel/kernel\] in 3 seconds\.\.\.$
^freebsd-loader-like: Booting \[/boot/kernel/kernel\] in 2 seconds\.\.\.$
^freebsd-loader-like: Booting \[/boot/kernel/kernel\] in 1 second\.\.\.$
^PASS: countdown on BIOS ticks \(8259 -> LINT0 ExtINT -> BIOS INT 08h -> BDA 0x46C\)$
^PASS: BIOS tick rate plausible vs PIT channel 2 \(18\.2 Hz\)$
^freebsd-loader-like: Booting \[/boot/kernel/kernel\]\.\.\.$
^DONE: freebsd_loader_like: [0-9]+ checks, 0 failed$
