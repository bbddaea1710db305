# Required output of the syslinux boot (run-guest.sh pattern file).
# syslinux's menu counts down on BIOS ticks (PIT -> 8259 -> LINT0 ExtINT):
Automatic boot in 3 seconds
Automatic boot in 1 second
Loading /vmlinuz\.\.\. ok
# Debian's kernel starts on the serial console and gets to userspace:
Linux version 6\.[0-9]+
Run /init as init process
