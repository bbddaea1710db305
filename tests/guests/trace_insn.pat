# -d insn -dfilter over the hello guest's image (loaded at 1 MiB): the
# Capstone trace shows its entry and its serial output instructions, and
# the guest still passes (tracing must not change what it does).
^cpu0: 0x10[0-9a-f]{4}: cli $
^cpu0: 0x10[0-9a-f]{4}: out dx, al$
^PASS: serial hello$
^DONE: hello: [0-9]+ checks, 0 failed$
