# Required output lines of longmode_paging (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# the NX line is a check or a 'skipped' PASS depending on CPUID
^PASS: long mode active \(EFER\.LMA, CR4\.PAE, CR0\.PG\)$
^PASS: write via 0xFFFF800000000010 lands in its physical page$
^PASS: write through one alias, read through the other$
^PASS: PTE index picks the frame, not the linear offset$
^PASS: 2 MiB page \(PDE\.PS\) maps HI\+0x200000 to 0x600000$
^PASS: PTE accessed\+dirty set after a write$
^PASS: PTE accessed, not dirty, after a read$
^PASS: accessed bits set in PML4E/PDPTE/PDE$
^PASS: 2 MiB PDE accessed, not dirty, after a read$
^PASS: #PF on a not-present page \(read\)$
^PASS: #PF CR2 is the faulting address$
^PASS: #PF error code 0 \(not present, read, supervisor\)$
^PASS: faulting load restarted after the handler mapped the page$
^PASS: #PF on a not-present page \(write\): CR2, error code W$
^PASS: faulting store restarted and landed$
^PASS: read-only page is readable$
^PASS: write to a read-only page: #PF with error code P\|W$
^PASS: store restarted after the handler set PTE\.W$
^PASS: fetch from an NX page
^PASS: #DF from a #PF while delivering a #PF$
^PASS: #DF handler ran on the IST1 stack$
^PASS: #DF error code 0$
^PASS: CR2 at #DF is the stack address$
^DONE: longmode_paging: [0-9]+ checks, 0 failed$
