# Required output lines of hello (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# run with -append hello=world (QEMU and hvsim pass "<kernel path> <append>")
^PASS: serial hello$
^PASS: multiboot magic in EAX$
^PASS: multiboot command line present$
^INFO: cmdline: (.* )?hello=world( |$)
^DONE: hello: [0-9]+ checks, 0 failed$
