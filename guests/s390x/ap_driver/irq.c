/*
 * irq.c - waiting for an adapter interruption (irq.h).  Only the ISC's
 * bit in CR6 is enabled, so interruptions for other ISCs stay pending in
 * the machine until a later wait enables theirs; the I/O handler records
 * what it took in io_pending, which this consumes.
 */
#include "irq.h"

#include "cpu.h"

bool irq_wait(unsigned isc, uint32_t us)
{
	uint32_t bit = 0x80u >> isc;
	uint64_t cr0 = cr0_get();
	bool came;

	ext_events &= ~(uint32_t)EXT_CKC;
	ckc_set(tod_now() + us * TOD_PER_US);	/* before CR0 enables it */
	cr0_set(cr0 | CR0_CKC);
	cr6_set(0x80000000u >> isc);
	while (!(io_pending & bit) && !(ext_events & EXT_CKC))
		cpu_wait(PSW_64 | PSW_IO | PSW_EXT | PSW_WAIT);
	cr6_set(0);
	cr0_set(cr0);
	ckc_set(UINT64_MAX);			/* no clock-comparator
						   condition left behind */
	ext_events &= ~(uint32_t)EXT_CKC;
	came = io_pending & bit;
	io_pending &= ~bit;
	return came;
}
