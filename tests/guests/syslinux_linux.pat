# Required output of the syslinux boot (run-guest.sh pattern file); the run
# must end with exit status 0 (ACPI S5 power-off by the initramfs).
# syslinux's menu counts down on BIOS ticks (PIT -> 8259 -> LINT0 ExtINT);
# menu.c32 wraps the digit in colour escapes (ESC itself is stripped):
Automatic boot in (\[[0-9;]*m)*3(\[[0-9;]*m)* seconds
Automatic boot in (\[[0-9;]*m)*1(\[[0-9;]*m)* second
Loading /vmlinuz\.\.\. ok
# Debian's kernel starts on the serial console and gets to userspace:
Linux version 6\.[0-9]+
Run /init as init process
# busybox /init (guests/images/init) prints its line and powers off
# through the ACPI tables SeaBIOS built (PIIX4 PM1a_CNT, SLP_TYP S5):
^hvsim-initramfs: hello from Linux 6\.[0-9]+
ACPI: PM: Preparing to enter system sleep state S5
reboot: Power down
