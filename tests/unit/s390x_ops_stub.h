/* s390x_ops_stub.h - machine callbacks for s390x engine tests that need a
 * machine without SCLP, DIAGNOSE or STSI: SERVC answers CC 3, DIAGNOSE a
 * specification exception, STSI "not available". */
#ifndef HVSIM_TEST_S390X_OPS_STUB_H
#define HVSIM_TEST_S390X_OPS_STUB_H

#include "hvsim/s390x_cpu.h"

static int stub_servc(void *o, struct s390x_cpu *c, uint32_t cmd, uint64_t s)
{
	(void)o; (void)c; (void)cmd; (void)s;
	return 3;
}

static int stub_diag(void *o, struct s390x_cpu *c, uint16_t code, unsigned r1,
		     unsigned r3)
{
	(void)o; (void)c; (void)code; (void)r1; (void)r3;
	return -S390X_PGM_SPECIFICATION;
}

static int stub_stsi(void *o, struct s390x_cpu *c, unsigned fc, unsigned s1,
		     unsigned s2, uint8_t *sysib)
{
	(void)o; (void)c; (void)fc; (void)s1; (void)s2; (void)sysib;
	return -1;
}

#endif
