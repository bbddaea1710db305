/*
 * ppc64_selftest.c - start-up known-answer test of the ppc64 engine.
 *
 * Proves, on the Unicorn library actually loaded, what the engine builds on
 * (uc_shim.h, ppc64_cpu.c): the POWER9 PVR and MSR[HV] set through the
 * context blob (real-mode fetches work), mftb reading the virtual timebase
 * and mfmsr hiding HV (patched sites), an hcall reaching the machine with
 * its result in r3/r4, an illegal instruction delivered as a program
 * interrupt to 0x700 whose handler returns with rfid (HV must survive), and
 * a decrementer interrupt at 0x900 once mtdec and mtmsrd(EE) allow it.  The
 * program stores what it saw; the test compares it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/engine_common.h"
#include "hvsim/ppc64_cpu.h"

#define RAM_SIZE 0x10000
#define DATA 0x3000
#define START_NS 1000000

/*
 * 0700 prog_h: mfsrr1 r6; std r6,32(r9); mfsrr0 r7; addi r7,r7,4;
 *              mtsrr0 r7; rfid
 * 0900 dec_h:  li r10,1; std r10,40(r9); mfmsr r11; std r11,48(r9);
 *              li r3,0x7777; sc 1 (stop); b .
 * 4000 start:  li r9,0x3000; mfpvr r3; std r3,0(r9); mftb r4; std r4,8(r9)
 *              mfmsr r5; std r5,16(r9); li r3,0x1234; sc 1; std r4,24(r9)
 *              .long 0 (illegal); li r8,100; mtdec r8; mfmsr r8;
 *              ori r8,r8,0x8000 (EE); mtmsrd r8; b .
 */
static const uint32_t prog_h[] = {
	0x7cdb02a6, 0xf8c90020, 0x7cfa02a6, 0x38e70004, 0x7cfa03a6,
	0x4c000024,
};
static const uint32_t dec_h[] = {
	0x39400001, 0xf9490028, 0x7d6000a6, 0xf9690030, 0x38607777,
	0x44000022, 0x48000000,
};
static const uint32_t start[] = {
	0x39203000, 0x7c7f42a6, 0xf8690000, 0x7c8c42e6, 0xf8890008,
	0x7ca000a6, 0xf8a90010, 0x38601234, 0x44000022, 0xf8890018,
	0x00000000, 0x39000064, 0x7d1603a6, 0x7d0000a6, 0x61088000,
	0x7d000164, 0x48000000,
};

static unsigned hcalls;

static int64_t st_hcall(void *opaque, struct ppc64_cpu *cpu, uint64_t opcode,
			uint64_t args[9])
{
	(void)opaque;
	hcalls++;
	if (opcode == 0x1234) {
		args[0] = 0x5678;
		return 0;
	}
	if (opcode == 0x7777)
		ppc64_cpu__request_stop(cpu);
	return -2;
}

static const struct ppc64_cpu_ops st_ops = { st_hcall };

static void put_words(uint8_t *ram, uint64_t at, const uint32_t *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		be__put(ram + at + 4 * i, w[i], 4);
}

int ppc64_cpu__selftest(char *err, size_t errlen)
{
	static bool done;
	struct engine_selftest t = { "ppc64", err, errlen, 0 };
	struct vclock clock;
	struct ppc64_cpu_config cfg = { 0 };
	struct ppc64_cpu *cpu = NULL;
	uint8_t *ram, *d;
	enum ppc64_exit e;
	uint64_t tb0;
	int r = -1;

	if (done)
		return 0;
	ram = engine_selftest__ram(&t, RAM_SIZE);
	if (!ram)
		return -1;
	put_words(ram, 0x700, prog_h, sizeof(prog_h) / 4);
	put_words(ram, 0x900, dec_h, sizeof(dec_h) / 4);
	put_words(ram, 0x4000, start, sizeof(start) / 4);
	d = ram + DATA;

	vclock__init(&clock);
	clock.now_ns = START_NS;
	cfg.ps_per_insn = 1000;
	cfg.clock = &clock;
	cfg.ops = &st_ops;
	hcalls = 0;
	cpu = ppc64_cpu__new(&cfg, err, errlen);
	if (!cpu)
		goto out;
	if (ppc64_cpu__map_ram(cpu, ram, RAM_SIZE) < 0) {
		snprintf(err, errlen, "self-test: cannot map RAM");
		goto out;
	}
	tb0 = ppc64_cpu__tb(cpu);
	ppc64_cpu__set_pc(cpu, 0x4000);
	e = ppc64_cpu__run(cpu, 100000);
	if (engine_selftest__check(&t, e == PPC64_EXIT_STOP && hcalls == 2,
				   ppc64_cpu__error(cpu)[0]
					   ? ppc64_cpu__error(cpu)
					   : "did not stop by hcall"))
		goto out;
	engine_selftest__check(&t, be__get(d, 8) == PPC64_PVR_POWER9_DD20,
			       "PVR");
	engine_selftest__check(&t, be__get(d + 8, 8) >= tb0 &&
				   be__get(d + 8, 8) - tb0 < 1000,
			       "mftb does not read the virtual timebase");
	engine_selftest__check(&t, be__get(d + 16, 8) ==
				   (PPC64_MSR_SF | PPC64_MSR_ME),
			       "mfmsr (HV must be hidden)");
	engine_selftest__check(&t, be__get(d + 24, 8) == 0x5678,
			       "hcall outputs");
	engine_selftest__check(&t, (be__get(d + 32, 8) & PPC64_SRR1_ILLEGAL) &&
				   !(be__get(d + 32, 8) & PPC64_MSR_HV),
			       "program interrupt for an illegal instruction");
	engine_selftest__check(&t, be__get(d + 40, 8) == 1 &&
				   be__get(d + 48, 8) ==
				   (PPC64_MSR_SF | PPC64_MSR_ME),
			       "decrementer interrupt");
	r = t.result;
	done = !r;
out:
	ppc64_cpu__free(cpu);
	free(ram);
	return r;
}
