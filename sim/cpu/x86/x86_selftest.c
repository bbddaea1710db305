/*
 * x86_selftest.c - start-up known-answer test of the x86 engine.
 *
 * Proves, on the Unicorn library actually loaded, every mechanism the
 * engine builds on (uc_shim.h): trapped RDMSR/RDTSC with the result in
 * EDX:EAX, #GP for an unknown MSR through the IVT, INT n, an external
 * interrupt through the INTA page with the STI shadow honoured, and HLT.
 * A real-mode program stores what it saw; the test compares it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "hvsim/x86_cpu.h"

#define RAM_SIZE 0x10000
#define OUT 0x900	/* results area */

static int inta_count;

static uint32_t st_pio_read(void *o, struct x86_cpu *c, uint16_t p, unsigned s)
{
	(void)o; (void)c; (void)p; (void)s;
	return 0xffffffff;
}

static void st_pio_write(void *o, struct x86_cpu *c, uint16_t p, unsigned s,
			 uint32_t v)
{
	(void)o; (void)c; (void)p; (void)s; (void)v;
}

static int st_rdmsr(void *o, struct x86_cpu *c, uint32_t msr, uint64_t *v)
{
	(void)o; (void)c;
	if (msr == 0x1b) {
		*v = 0xfee00900;
		return 0;
	}
	return -1;
}

static int st_wrmsr(void *o, struct x86_cpu *c, uint32_t msr, uint64_t v)
{
	(void)o; (void)c; (void)msr; (void)v;
	return -1;
}

static int st_inta(void *o, struct x86_cpu *c)
{
	(void)o;
	inta_count++;
	x86_cpu__set_intr(c, false);
	return 0x20;
}

static const struct x86_cpu_ops st_ops = {
	.pio_read = st_pio_read, .pio_write = st_pio_write,
	.rdmsr = st_rdmsr, .wrmsr = st_wrmsr, .inta = st_inta,
};

/*
 * 0000:7c00  mov ecx,0x1b; rdmsr; mov [OUT],eax      ; trapped, ops value
 *            rdtsc; mov [OUT+4],eax                   ; virtual TSC
 *            mov ecx,0x12345678; rdmsr                ; #GP -> IVT 13
 *            int 0x30                                 ; handler at 0x600
 *            sti; hlt                                 ; INTR taken here
 *            cli; hlt
 * IVT 13 -> 0x500: inc byte [OUT+8]; add word [esp],2 (skip rdmsr); iret
 * IVT 0x30 -> 0x600: inc byte [OUT+9]; iret
 * IVT 0x20 -> 0x700: inc byte [OUT+10]; iret
 */
static const uint8_t prog[] = {
	0x66, 0xb9, 0x1b, 0, 0, 0, 0x0f, 0x32, 0x66, 0xa3, 0x00, 0x09,
	0x0f, 0x31, 0x66, 0xa3, 0x04, 0x09,
	0x66, 0xb9, 0x78, 0x56, 0x34, 0x12, 0x0f, 0x32,
	0xcd, 0x30,
	0xfb, 0xf4,
	0xfa, 0xf4,
};
static const uint8_t h_gp[] = { 0xfe, 0x06, 0x08, 0x09, 0x89, 0xe5,
				0x83, 0x46, 0x00, 0x02, 0xcf };
static const uint8_t h_30[] = { 0xfe, 0x06, 0x09, 0x09, 0xcf };
static const uint8_t h_20[] = { 0xfe, 0x06, 0x0a, 0x09, 0xcf };

static void set_vector(uint8_t *ram, int v, uint16_t off)
{
	ram[v * 4] = off & 0xff;
	ram[v * 4 + 1] = off >> 8;
	ram[v * 4 + 2] = ram[v * 4 + 3] = 0;
}

static int check(bool ok, const char *what, char *err, size_t len)
{
	if (!ok)
		snprintf(err, len, "x86 engine self-test failed: %s (hvsim's "
			 "engine is pinned to Unicorn 2.1.1)", what);
	return ok ? 0 : -1;
}

int x86_cpu__selftest(char *err, size_t errlen)
{
	static int done;
	struct vclock clock;
	struct x86_cpu_config cfg = { 0 };
	struct x86_cpu *cpu;
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE);
	enum x86_exit e;
	int r = -1, i;
	uint32_t msr_val, tsc_val;

	if (done)
		return 0;
	if (!ram) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(ram, 0, RAM_SIZE);
	memcpy(ram + 0x7c00, prog, sizeof(prog));
	memcpy(ram + 0x500, h_gp, sizeof(h_gp));
	memcpy(ram + 0x600, h_30, sizeof(h_30));
	memcpy(ram + 0x700, h_20, sizeof(h_20));
	set_vector(ram, 13, 0x500);
	set_vector(ram, 0x30, 0x600);
	set_vector(ram, 0x20, 0x700);

	vclock__init(&clock);
	cfg.nr_cpus = 1;
	cfg.tsc_hz = NS_PER_SEC;
	cfg.ps_per_insn = 1000;
	cfg.clock = &clock;
	cfg.ops = &st_ops;
	inta_count = 0;
	cpu = x86_cpu__new(&cfg, err, errlen);
	if (!cpu)
		goto out;
	if (x86_cpu__map_ram(cpu, 0, RAM_SIZE, ram, true) < 0) {
		snprintf(err, errlen, "self-test: cannot map RAM");
		goto out;
	}
	x86_cpu__load_seg(cpu, UC_X86_REG_CS, 0);
	x86_cpu__set_reg(cpu, UC_X86_REG_RIP, 0x7c00);
	x86_cpu__set_reg(cpu, UC_X86_REG_RSP, 0x7000);
	/* Run to the first HLT, then raise INTR: it must be taken at once
	 * (the STI shadow has ended at the HLT). */
	e = x86_cpu__run(cpu, 100000);
	if (check(e == X86_EXIT_HLT, "first HLT not reported", err, errlen))
		goto out;
	x86_cpu__set_intr(cpu, true);
	if (check(x86_cpu__can_take_intr(cpu), "IF not set by STI", err,
		  errlen))
		goto out;
	x86_cpu__wake(cpu);
	e = x86_cpu__run(cpu, 100000);
	memcpy(&msr_val, ram + OUT, 4);
	memcpy(&tsc_val, ram + OUT + 4, 4);
	i = 0;
	i |= check(e == X86_EXIT_HLT, "second HLT not reported", err, errlen);
	i |= check(msr_val == 0xfee00900, "trapped RDMSR result", err, errlen);
	i |= check(tsc_val > 0 && tsc_val < 100, "virtual TSC", err, errlen);
	i |= check(ram[OUT + 8] == 1, "#GP for an unknown MSR", err, errlen);
	i |= check(ram[OUT + 9] == 1, "INT n delivery", err, errlen);
	i |= check(ram[OUT + 10] == 1 && inta_count == 1,
		   "external interrupt through INTA", err, errlen);
	if (i)
		goto out;
	done = 1;
	r = 0;
out:
	x86_cpu__free(cpu);
	free(ram);
	return r;
}
