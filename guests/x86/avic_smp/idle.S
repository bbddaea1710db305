/* idle.S - the APs' HLT points.  The label right after each HLT is the EIP
 * an interrupt (or NMI) handler sees when it woke the CPU out of that HLT,
 * which is how the guest proves the target was halted, not running. */
	.section .text
	.code32
	.globl ap_sti_hlt, ap_hlt_resume, ap_cli_hlt, ap_clihlt_resume

/* STI;HLT as one pair (STI's shadow: nothing is taken before the HLT);
 * back with IF=0 so the caller's mailbox check cannot lose a wake-up. */
ap_sti_hlt:
	sti
	hlt
ap_hlt_resume:
	cli
	ret

/* HLT with IF=0: only an NMI (or INIT) ends it. */
ap_cli_hlt:
	cli
	hlt
ap_clihlt_resume:
	ret

	.section .note.GNU-stack, "", @progbits
