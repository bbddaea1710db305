# Required output of the GRUB boot (run-guest.sh pattern file); the run must
# end with exit status 0 (ACPI S5 power-off by the initramfs).
# GRUB's menu countdown runs on the TSC it calibrated against PIT channel 2:
GNU GRUB +version 2
executed automatically in 3s
executed automatically in 1s
Booting `Debian linux-image-amd64 \+ hvsim initramfs'
Linux version 6\.[0-9]+
Run /init as init process
^hvsim-initramfs: hello from Linux 6\.[0-9]+
ACPI: PM: Preparing to enter system sleep state S5
reboot: Power down
