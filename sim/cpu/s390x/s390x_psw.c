/*
 * s390x_psw.c - PSW validity, the lowcore PSW swap and external-interruption
 * selection: the architecture rules of interruptions, kept free of the
 * engine so that they can be unit-tested on a plain memory image.
 */
#include "hvsim/s390x_cpu.h"

#include "hvsim/engine_common.h"

bool s390x_psw__valid(const struct s390x_psw *psw)
{
	uint64_t mode = psw->mask & S390X_PSW_64;

	if (psw->mask & S390X_PSW_RESERVED)
		return false;
	if (psw->addr & 1)
		return false;
	switch (mode) {
	case 0:			/* 24-bit */
		return psw->addr < (1ULL << 24);
	case S390X_PSW_BA:	/* 31-bit */
		return psw->addr < (1ULL << 31);
	case S390X_PSW_64:
		return true;
	}
	return false;		/* EA without BA */
}

/* Old- and new-PSW slots of each interruption class. */
static const uint16_t old_slot[] = {
	[S390X_INT_RESTART] = S390X_LC_RESTART_OLD,
	[S390X_INT_EXT] = S390X_LC_EXT_OLD,
	[S390X_INT_SVC] = S390X_LC_SVC_OLD,
	[S390X_INT_PGM] = S390X_LC_PGM_OLD,
	[S390X_INT_MCHK] = S390X_LC_MCHK_OLD,
	[S390X_INT_IO] = S390X_LC_IO_OLD,
};

static const uint16_t new_slot[] = {
	[S390X_INT_RESTART] = S390X_LC_RESTART_NEW,
	[S390X_INT_EXT] = S390X_LC_EXT_NEW,
	[S390X_INT_SVC] = S390X_LC_SVC_NEW,
	[S390X_INT_PGM] = S390X_LC_PGM_NEW,
	[S390X_INT_MCHK] = S390X_LC_MCHK_NEW,
	[S390X_INT_IO] = S390X_LC_IO_NEW,
};

void s390x_lowcore__swap(uint8_t *lc, const struct s390x_irq *irq,
			 const struct s390x_psw *old, struct s390x_psw *new_psw)
{
	be__put(lc + old_slot[irq->cls], old->mask, 8);
	be__put(lc + old_slot[irq->cls] + 8, old->addr, 8);
	switch (irq->cls) {
	case S390X_INT_EXT:
		be__put(lc + S390X_LC_EXT_PARAM, irq->ext_param, 4);
		be__put(lc + S390X_LC_CPU_ADDR, irq->cpu_addr, 2);
		be__put(lc + S390X_LC_EXT_CODE, irq->code, 2);
		break;
	case S390X_INT_SVC:
		/* The halfword holds the ILC in bits 13-14: the length in
		 * bytes (ILC * 2) is what lands there. */
		be__put(lc + S390X_LC_SVC_ILC, irq->ilen, 2);
		be__put(lc + S390X_LC_SVC_CODE, irq->code, 2);
		break;
	case S390X_INT_PGM:
		be__put(lc + S390X_LC_PGM_ILC, irq->ilen, 2);
		be__put(lc + S390X_LC_PGM_CODE, irq->code, 2);
		break;
	case S390X_INT_IO:
		be__put(lc + S390X_LC_SUBCHANNEL_ID, 0, 4);
		be__put(lc + S390X_LC_IO_PARAM, 0, 4);
		be__put(lc + S390X_LC_IO_WORD, irq->io_word, 4);
		break;
	case S390X_INT_RESTART:
	case S390X_INT_MCHK:
		break;
	}
	new_psw->mask = be__get(lc + new_slot[irq->cls], 8);
	new_psw->addr = be__get(lc + new_slot[irq->cls] + 8, 8);
}

static const struct {
	uint16_t code;
	uint64_t cr0;
} ext_info[S390X_EXT_NR] = {
	[S390X_EXT_EMERGENCY] = { S390X_EXT_CODE_EMERGENCY,
				  S390X_CR0_EMERGENCY },
	[S390X_EXT_EXT_CALL] = { S390X_EXT_CODE_EXT_CALL, S390X_CR0_EXT_CALL },
	[S390X_EXT_CKC] = { S390X_EXT_CODE_CKC, S390X_CR0_CKC },
	[S390X_EXT_CPU_TIMER] = { S390X_EXT_CODE_CPU_TIMER,
				  S390X_CR0_CPU_TIMER },
	[S390X_EXT_SERVICE] = { S390X_EXT_CODE_SERVICE, S390X_CR0_SERVICE },
};

uint16_t s390x_ext__code(enum s390x_ext ext)
{
	return ext_info[ext].code;
}

uint64_t s390x_ext__cr0_mask(enum s390x_ext ext)
{
	return ext_info[ext].cr0;
}

int s390x_ext__select(uint64_t psw_mask, uint64_t cr0, unsigned pending)
{
	int i;

	if (!(psw_mask & S390X_PSW_EXT))
		return -1;
	/* enum order is the architected priority among these subclasses */
	for (i = 0; i < S390X_EXT_NR; i++)
		if ((pending & (1u << i)) && (cr0 & ext_info[i].cr0))
			return i;
	return -1;
}
