/*
 * bench_engine.c - the x86 engine's speed as ratios against raw Unicorn,
 * measured in one process: a dec/jnz compute loop (instructions/s), a port
 * I/O loop (exits served by the machine callback per second) and timer
 * interrupts delivered per second (PIT-like vtimer -> INTR -> INTA -> IVT
 * handler).  Prints a Markdown table for docs/performance.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>

#include "hvsim/x86_cpu.h"

#define RAM 0x10000
static uint8_t ram[RAM] __attribute__((aligned(4096)));
static uint64_t outs, intas;
static struct x86_cpu *the_cpu;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t b_in(void *o, struct x86_cpu *c, uint16_t p, unsigned s)
{
	(void)o; (void)c; (void)p; (void)s;
	return 0;
}

static void b_out(void *o, struct x86_cpu *c, uint16_t p, unsigned s,
		  uint32_t v)
{
	(void)o; (void)c; (void)p; (void)s; (void)v;
	outs++;
}

static int b_rdmsr(void *o, struct x86_cpu *c, uint32_t m, uint64_t *v)
{
	(void)o; (void)c; (void)m; (void)v;
	return -1;
}

static int b_wrmsr(void *o, struct x86_cpu *c, uint32_t m, uint64_t v)
{
	(void)o; (void)c; (void)m; (void)v;
	return -1;
}

static int b_inta(void *o, struct x86_cpu *c)
{
	(void)o;
	intas++;
	x86_cpu__set_intr(c, false);
	return 0x20;
}

static const struct x86_cpu_ops ops = {
	.pio_read = b_in, .pio_write = b_out, .rdmsr = b_rdmsr,
	.wrmsr = b_wrmsr, .inta = b_inta,
};

static void tick(void *opaque)
{
	struct vtimer *t = opaque;

	x86_cpu__set_intr(the_cpu, true);
	vtimer__arm(t, t->expire_ns + 10000);	/* 100 kHz virtual */
}

/* At 0x1000: mov ecx, N; l: [body]; dec ecx; jnz l; hlt.  Returns the
 * address of the HLT. */
static uint64_t put_loop(uint32_t n, const uint8_t *body, size_t len)
{
	uint8_t *p = ram + 0x1000;

	*p++ = 0x66; *p++ = 0xb9; memcpy(p, &n, 4); p += 4;
	memcpy(p, body, len); p += len;
	*p++ = 0x66; *p++ = 0x49;				/* dec ecx */
	*p++ = 0x75; *p++ = (uint8_t)(-(int)(len + 4));		/* jnz l */
	*p = 0xf4;
	return (uint64_t)(p - ram);
}

static double raw_unicorn(uint32_t n, uint64_t hlt, double per_iter)
{
	uc_engine *uc;
	double t;
	uint64_t z = 0;

	uc_open(UC_ARCH_X86, UC_MODE_16, &uc);
	uc_mem_map_ptr(uc, 0, RAM, UC_PROT_ALL, ram);
	uc_reg_write(uc, UC_X86_REG_CS, &z);
	t = now();
	uc_emu_start(uc, 0x1000, hlt, 0, 0);
	t = now() - t;
	uc_close(uc);
	return per_iter * n / t;
}

static struct x86_cpu *new_cpu(struct vclock *clk)
{
	struct x86_cpu_config cfg = {
		.nr_cpus = 1, .tsc_hz = 1000000000, .ps_per_insn = 1000,
		.clock = clk, .ops = &ops,
	};
	char err[256];
	struct x86_cpu *cpu = x86_cpu__new(&cfg, err, sizeof(err));

	if (!cpu) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	x86_cpu__map_ram(cpu, 0, RAM, ram, true);
	x86_cpu__load_seg(cpu, UC_X86_REG_CS, 0);
	x86_cpu__set_reg(cpu, UC_X86_REG_RSP, 0x8000);
	return cpu;
}

static double run_hvsim(struct x86_cpu *cpu, uint64_t *insns)
{
	double t = now();
	uint64_t start = x86_cpu__insns(cpu);

	x86_cpu__set_reg(cpu, UC_X86_REG_RIP, 0x1000);
	x86_cpu__wake(cpu);	/* the previous loop ended in HLT */
	x86_cpu__host_wrote(cpu, ram + 0x1000, 0x100);
	while (x86_cpu__run(cpu, 1ULL << 40) == X86_EXIT_BUDGET)
		;
	*insns = x86_cpu__insns(cpu) - start;
	return now() - t;
}

int main(void)
{
	const uint32_t n = 200000000;
	struct vclock clk;
	struct vtimer t;
	uint64_t insns;
	double raw, hv, secs, raw_io;
	struct x86_cpu *cpu;

	static const uint8_t out80[] = { 0xe6, 0x80 };	/* out 0x80, al */
	static const uint8_t sti[] = { 0xfb };
	uint64_t hlt = put_loop(n, NULL, 0);

	raw = raw_unicorn(n, hlt, 2);
	vclock__init(&clk);
	cpu = new_cpu(&clk);
	secs = run_hvsim(cpu, &insns);
	hv = insns / secs;

	hlt = put_loop(20000000, out80, sizeof(out80));
	raw_io = raw_unicorn(20000000, hlt, 3);
	outs = 0;
	secs = run_hvsim(cpu, &insns);
	double io = outs / secs;

	/* Timer interrupts at 100 kHz of virtual time into a loop with IF=1;
	 * IVT 0x20 -> 0000:2000: iret. */
	ram[0x20 * 4] = 0x00; ram[0x20 * 4 + 1] = 0x20;
	ram[0x20 * 4 + 2] = 0; ram[0x20 * 4 + 3] = 0;
	ram[0x2000] = 0xcf;
	put_loop(50000000, sti, sizeof(sti));
	the_cpu = cpu;
	vtimer__init(&t, &clk, "bench", tick, &t);
	vtimer__arm(&t, vclock__now(&clk) + 10000);
	intas = 0;
	secs = run_hvsim(cpu, &insns);
	double irqs = intas / secs;

	printf("| measurement | raw Unicorn 2.1.1 | hvsim engine | ratio |\n");
	printf("|---|---|---|---|\n");
	printf("| dec/jnz loop, instructions/s | %.3g | %.3g | %.2f |\n", raw,
	       hv, hv / raw);
	printf("| OUT loop: raw insn/s (hook-less, OUT ignored) vs hvsim "
	       "OUTs served/s | %.3g | %.3g | %.2f |\n", raw_io, io,
	       io * 3 / raw_io);
	printf("| timer interrupts delivered/s (vtimer -> INTR -> INTA -> IVT)"
	       " | - | %.3g | - |\n", irqs);
	x86_cpu__free(cpu);
	return 0;
}
