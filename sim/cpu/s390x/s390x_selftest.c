/*
 * s390x_selftest.c - start-up known-answer test of the s390x engine.
 *
 * Proves, on the Unicorn library actually loaded, every mechanism the
 * engine builds on (uc_shim.h, s390x_cpu.c): LCTLG/STCTG trapped and
 * emulated with the control registers reaching the engine, STCK and STFLE
 * patched, SVC and a service-signal external interruption delivered
 * through the lowcore once STOSM enables it, a privileged instruction in
 * the architected problem state reflected as a privileged-operation
 * exception, SPX moving the lowcore (prefixing in the engine follows), and
 * a disabled-wait PSW ending the run.  The program stores what it saw; the
 * test compares it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/engine_common.h"
#include "hvsim/s390x_cpu.h"

#define RAM_SIZE 0x10000
#define CODE 0x4000
#define DATA 0x3000
#define NEW_PREFIX 0x8000
#define SERVICE_PARAM 0x00012340u

/*
 * 4000 lghi  %r9,0x3000
 * 4004 mvc   0x1b0(16,%r0),0x00(%r9)	ext new PSW
 * 400a mvc   0x1c0(16,%r0),0x10(%r9)	SVC new PSW
 * 4010 mvc   0x1d0(16,%r0),0x20(%r9)	program new PSW
 * 4016 lctlg %c0,%c0,0x30(%r9)		CR0: service-signal subclass
 * 401c stctg %c0,%c0,0x38(%r9)
 * 4022 stck  0x40(%r9)
 * 4026 lghi  %r0,0
 * 402a stfle 0x48(%r9)
 * 402e svc   0x42
 * 4030 stosm 0x58(%r9),0x01		enables EXT: the interruption
 * 4034 lpswe 0x70(%r9)			to problem state at prob
 * 4038 prob: lctlg %c0,%c0,0x30(%r9)	privileged-operation exception
 * 403e j     prob
 * 4042 pgm_h: mvc 0x66(2,%r9),0x8e	program interruption code
 * 4048 spx   0x68(%r9)			prefix 0x8000
 * 404c stpx  0x6c(%r9)
 * 4050 mvi   0x100,0x5a			lands at absolute 0x8100
 * 4054 lpswe 0x50(%r9)			disabled wait, address 0x776
 * 4058 ext_h: mvc 0x62(2,%r9),0x86	external interruption code
 * 405e lpswe 0x130
 * 4062 svc_h: mvc 0x64(2,%r9),0x8a	SVC code
 * 4068 lpswe 0x140
 */
static const uint8_t prog[] = {
	0xa7, 0x99, 0x30, 0x00,
	0xd2, 0x0f, 0x01, 0xb0, 0x90, 0x00,
	0xd2, 0x0f, 0x01, 0xc0, 0x90, 0x10,
	0xd2, 0x0f, 0x01, 0xd0, 0x90, 0x20,
	0xeb, 0x00, 0x90, 0x30, 0x00, 0x2f,
	0xeb, 0x00, 0x90, 0x38, 0x00, 0x25,
	0xb2, 0x05, 0x90, 0x40,
	0xa7, 0x09, 0x00, 0x00,
	0xb2, 0xb0, 0x90, 0x48,
	0x0a, 0x42,
	0xad, 0x01, 0x90, 0x58,
	0xb2, 0xb2, 0x90, 0x70,
	0xeb, 0x00, 0x90, 0x30, 0x00, 0x2f,
	0xa7, 0xf4, 0xff, 0xfd,
	0xd2, 0x01, 0x90, 0x66, 0x00, 0x8e,
	0xb2, 0x10, 0x90, 0x68,
	0xb2, 0x11, 0x90, 0x6c,
	0x92, 0x5a, 0x01, 0x00,
	0xb2, 0xb2, 0x90, 0x50,
	0xd2, 0x01, 0x90, 0x62, 0x00, 0x86,
	0xb2, 0xb2, 0x01, 0x30,
	0xd2, 0x01, 0x90, 0x64, 0x00, 0x8a,
	0xb2, 0xb2, 0x01, 0x40,
};

#define PROB 0x4038
#define PGM_H 0x4042
#define EXT_H 0x4058
#define SVC_H 0x4062

static int st_servc(void *o, struct s390x_cpu *c, uint32_t cmd, uint64_t a)
{
	(void)o; (void)c; (void)cmd; (void)a;
	return 3;
}

static int st_sigp(void *o, struct s390x_cpu *c, uint8_t order, uint16_t to,
		   uint64_t param, uint32_t *status)
{
	(void)o; (void)c; (void)order; (void)to; (void)param; (void)status;
	return 3;
}

static int st_diag(void *o, struct s390x_cpu *c, uint16_t code, unsigned r1,
		   unsigned r3)
{
	(void)o; (void)c; (void)code; (void)r1; (void)r3;
	return -S390X_PGM_SPECIFICATION;
}

static int st_stsi(void *o, struct s390x_cpu *c, unsigned fc, unsigned s1,
		   unsigned s2, uint8_t *sysib)
{
	(void)o; (void)c; (void)fc; (void)s1; (void)s2; (void)sysib;
	return -1;
}

static const struct s390x_cpu_ops st_ops = {
	.servc = st_servc, .sigp = st_sigp, .diag = st_diag, .stsi = st_stsi,
};

int s390x_cpu__selftest(char *err, size_t errlen)
{
	static bool done;
	struct engine_selftest t = { "s390x", err, errlen, 0 };
	struct vclock clock;
	struct s390x_cpu_config cfg = { 0 };
	struct s390x_cpu *cpu = NULL;
	struct s390x_psw psw = { S390X_PSW_64, CODE };
	uint8_t *ram, *d;
	enum s390x_exit e;
	uint64_t tod0;
	int r = -1;

	if (done)
		return 0;
	ram = engine_selftest__ram(&t, RAM_SIZE);
	if (!ram)
		return -1;
	memcpy(ram + CODE, prog, sizeof(prog));
	d = ram + DATA;
	be__put(d + 0x00, S390X_PSW_64, 8);
	be__put(d + 0x08, EXT_H, 8);
	be__put(d + 0x10, S390X_PSW_64, 8);
	be__put(d + 0x18, SVC_H, 8);
	be__put(d + 0x20, S390X_PSW_64, 8);
	be__put(d + 0x28, PGM_H, 8);
	be__put(d + 0x30, S390X_CR0_SERVICE, 8);
	be__put(d + 0x50, S390X_PSW_64 | S390X_PSW_WAIT, 8);
	be__put(d + 0x58, 0x776, 8);
	d[0x6a] = NEW_PREFIX >> 8;
	be__put(d + 0x70, S390X_PSW_64 | S390X_PSW_PROBLEM, 8);
	be__put(d + 0x78, PROB, 8);

	vclock__init(&clock);
	clock.now_ns = 1000;
	cfg.stsi_level = 3;
	cfg.ps_per_insn = 1000;
	cfg.clock = &clock;
	cfg.ops = &st_ops;
	cpu = s390x_cpu__new(&cfg, err, errlen);
	if (!cpu)
		goto out;
	if (s390x_cpu__map_ram(cpu, ram, RAM_SIZE) < 0) {
		snprintf(err, errlen, "self-test: cannot map RAM");
		goto out;
	}
	tod0 = s390x_cpu__tod(cpu);
	s390x_cpu__load_psw(cpu, &psw);
	s390x_cpu__service_signal(cpu, SERVICE_PARAM);
	e = s390x_cpu__run(cpu, 100000);
	s390x_cpu__get_psw(cpu, &psw);
	engine_selftest__check(&t, e == S390X_EXIT_DISABLED_WAIT &&
				   psw.addr == 0x776,
			       "did not end in the disabled wait");
	engine_selftest__check(&t, be__get(d + 0x38, 8) == S390X_CR0_SERVICE,
			       "LCTLG/STCTG round trip");
	engine_selftest__check(&t, be__get(d + 0x40, 8) >= tod0 &&
				   be__get(d + 0x40, 8) - tod0 <
					   4096ULL * 1000,
			       "STCK does not read the virtual TOD clock");
	engine_selftest__check(&t, be__get(d + 0x48, 8) >> 61 == 7 &&
				   !(s390x_cpu__gpr(cpu, 0) & 0xff),
			       "STFLE facility list");
	engine_selftest__check(&t, be__get(d + 0x64, 2) == 0x42,
			       "SVC interruption");
	engine_selftest__check(&t, be__get(d + 0x62, 2) ==
				   S390X_EXT_CODE_SERVICE &&
				   be__get(ram + S390X_LC_EXT_PARAM, 4) ==
				   SERVICE_PARAM,
			       "service-signal interruption");
	engine_selftest__check(&t, be__get(d + 0x66, 2) ==
				   S390X_PGM_PRIVILEGED,
			       "privileged operation in the problem state");
	engine_selftest__check(&t, be__get(d + 0x6c, 4) == NEW_PREFIX &&
				   s390x_cpu__prefix(cpu) == NEW_PREFIX &&
				   ram[NEW_PREFIX + 0x100] == 0x5a &&
				   ram[0x100] == 0,
			       "SPX/STPX and prefixing");
	r = t.result;
	done = !r;
out:
	s390x_cpu__free(cpu);
	free(ram);
	return r;
}
