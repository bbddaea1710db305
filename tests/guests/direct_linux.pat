# Required output of a direct bzImage boot (-kernel/-initrd, no firmware).
# Without firmware there are no ACPI tables, so the initramfs powers off
# through isa-debug-exit (writes 0 to port 0xF4): exit status 1.
Linux version 6\.[0-9]+
Command line: console=ttyS0
BIOS-e820: \[mem 0x0000000000100000-0x000000001fffffff\] usable
Run /init as init process
^hvsim-initramfs: hello from Linux 6\.[0-9]+
