# Required output lines of syscall_user (tests/guests/run-guest.sh pattern file:
# one grep -E pattern per line).  Expected exit status: 1.
# SYSENTER: the CPU model must be AMD (the 'skipped' line does not match)
^PASS: CPUID\.80000001:EDX\[11\] reports SYSCALL/SYSRET$
^PASS: EFER\.SCE, STAR, LSTAR, FMASK read back$
^PASS: SYSCALL from ring 3 enters LSTAR with RAX$
^PASS: SYSCALL: CPL 0, CS = STAR\[47:32\], SS = STAR\[47:32\]\+8$
^PASS: SYSCALL: RCX = address of the next instruction$
^PASS: SYSCALL: R11 = user RFLAGS$
^PASS: SYSCALL: RFLAGS has the FMASK bits \(IF, DF, TF, AC\) clear$
^PASS: SYSCALL: RFLAGS = user RFLAGS & ~FMASK \(CF, ZF kept\)$
^PASS: SYSCALL: RSP unchanged \(still the user stack\)$
^PASS: SYSRETQ: ring 3, CS = STAR\[63:48\]\+16\|3, SS = STAR\[63:48\]\+8\|3$
^PASS: SYSRETQ: RFLAGS restored from R11$
^PASS: SYSRETQ: return value in RAX$
^PASS: SYSCALL with prefixes reaches LSTAR$
^PASS: SYSCALL with REX\.W \(48 0F 05\): RCX = address after the instruction$
^PASS: SYSCALL with 66 2E 41 0F 05: RCX = address after the instruction$
^PASS: SYSCALL with EFER\.SCE=0 raises #UD$
^PASS: SYSCALL #UD: RIP = the SYSCALL instruction, from ring 3 via RSP0$
^PASS: SYSENTER in long mode raises #UD \(AMD\)$
^PASS: LAPIC timer one-shot interrupt \(ends the HLT in the #PF handler\)$
^PASS: load from an unmapped user address in ring 3 raises #PF$
^PASS: #PF from ring 3 delivered on the TSS\.RSP0 stack, user CS:RIP and SS in the frame$
^PASS: #PF from ring 3: error code 0x4 \(U, read, not present\)$
^PASS: timer interrupt ended STI\+HLT in the #PF handler$
^PASS: CR2 still the faulting address after STI\+HLT and the timer interrupt$
^PASS: INT 0x80 from ring 3 through a DPL-3 gate$
^PASS: INT 0x80: frame on the TSS\.RSP0 stack with user CS and the return RIP$
^PASS: IRETQ back to ring 3: CS, SS, IF and the return value in RAX$
^DONE: syscall_user: [0-9]+ checks, 0 failed$
