/*
 * pseries.c - the pseries machine (see include/hvsim/pseries.h): the
 * device-tree builder, the hcalls and RTAS calls hvsim serves, and the
 * machine's boot and CPU (run by machine__run(), hvsim/machine_common.h).
 *
 * Guest memory layout: the kernel's segments where its ELF puts them (the
 * top nibble of addresses dropped, as for a Linux vmlinux at
 * 0xc000000000000000); at the top of the first 256 MiB (or of RAM) a 4 KiB
 * RTAS entry blob, and the device tree just below it.
 *
 * The run ends with status 0 after the RTAS power-off call; on an
 * interrupt loop, an access outside RAM or an interrupt hvsim does not
 * deliver (HVSIM_EXIT_GUEST_CRASH); or when no console output appears for
 * cfg.hang_ns of virtual time (HVSIM_EXIT_HANG).  Those print a report.
 */
#include "hvsim/pseries.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/engine_common.h"
#include "hvsim/exitcode.h"
#include "hvsim/log.h"
#include "hvsim/ppc64_cpu.h"

#define RMA_MAX (256ULL << 20)
#define RTAS_SIZE 0x1000
#define FDT_MAX 0x10000
#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_END 9
#define FDT_HEADER 40
#define ADDR_MASK 0x0fffffffffffffffULL	/* drop the kernel's 0xc nibble */

/* ---- the FDT builder --------------------------------------------------- */

void pseries_fdt__init(struct pseries_fdt *f)
{
	memset(f, 0, sizeof(*f));
}

void pseries_fdt__free(struct pseries_fdt *f)
{
	free(f->dt);
	free(f->str);
	pseries_fdt__init(f);
}

/* Makes room for n more bytes in *buf; false (and f->error) on failure. */
static bool grow(struct pseries_fdt *f, void **buf, size_t *cap, size_t len,
		 size_t n)
{
	size_t c = *cap ? *cap : 256;
	void *p;

	if (f->error)
		return false;
	while (c < len + n)
		c *= 2;
	if (c != *cap) {
		p = realloc(*buf, c);
		if (!p) {
			f->error = true;
			return false;
		}
		*buf = p;
		*cap = c;
	}
	return true;
}

/* Appends to the structure block, padded to 4 bytes with zeros. */
static void dt_put(struct pseries_fdt *f, const void *data, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;

	if (!grow(f, (void **)&f->dt, &f->dt_cap, f->dt_len, padded))
		return;
	memcpy(f->dt + f->dt_len, data, n);
	memset(f->dt + f->dt_len + n, 0, padded - n);
	f->dt_len += padded;
}

static void dt_token(struct pseries_fdt *f, uint32_t token)
{
	uint8_t b[4];

	be__put(b, token, 4);
	dt_put(f, b, 4);
}

/* Offset of name in the strings block, added once. */
static uint32_t string_offset(struct pseries_fdt *f, const char *name)
{
	size_t n = strlen(name) + 1, off;

	for (off = 0; off + n <= f->str_len; off++)
		if (!memcmp(f->str + off, name, n))
			return (uint32_t)off;
	if (!grow(f, (void **)&f->str, &f->str_cap, f->str_len, n))
		return 0;
	memcpy(f->str + f->str_len, name, n);
	f->str_len += n;
	return (uint32_t)(f->str_len - n);
}

void pseries_fdt__reserve(struct pseries_fdt *f, uint64_t addr,
			  uint64_t size)
{
	if (f->nr_rsv == sizeof(f->rsv) / sizeof(f->rsv[0])) {
		f->error = true;
		return;
	}
	f->rsv[f->nr_rsv][0] = addr;
	f->rsv[f->nr_rsv][1] = size;
	f->nr_rsv++;
}

void pseries_fdt__begin_node(struct pseries_fdt *f, const char *name)
{
	dt_token(f, FDT_BEGIN_NODE);
	dt_put(f, name, strlen(name) + 1);
	f->depth++;
}

void pseries_fdt__end_node(struct pseries_fdt *f)
{
	if (f->depth-- <= 0)
		f->error = true;
	dt_token(f, FDT_END_NODE);
}

void pseries_fdt__prop(struct pseries_fdt *f, const char *name,
		       const void *value, size_t len)
{
	uint8_t b[8];

	if (f->depth <= 0)
		f->error = true;
	be__put(b, FDT_PROP, 4);
	dt_put(f, b, 4);
	be__put(b, len, 4);
	be__put(b + 4, string_offset(f, name), 4);
	dt_put(f, b, 8);
	if (len)
		dt_put(f, value, len);
}

void pseries_fdt__prop_cells(struct pseries_fdt *f, const char *name,
			     const uint32_t *cells, size_t n)
{
	uint8_t b[16 * 4];
	size_t i;

	if (n > 16) {
		f->error = true;
		return;
	}
	for (i = 0; i < n; i++)
		be__put(b + 4 * i, cells[i], 4);
	pseries_fdt__prop(f, name, b, 4 * n);
}

void pseries_fdt__prop_u32(struct pseries_fdt *f, const char *name,
			   uint32_t v)
{
	pseries_fdt__prop_cells(f, name, &v, 1);
}

void pseries_fdt__prop_str(struct pseries_fdt *f, const char *name,
			   const char *s)
{
	pseries_fdt__prop(f, name, s, strlen(s) + 1);
}

size_t pseries_fdt__finish(struct pseries_fdt *f, uint8_t *out, size_t cap)
{
	size_t rsv_off = FDT_HEADER, dt_off, str_off, total;
	unsigned i;

	dt_token(f, FDT_END);
	dt_off = rsv_off + 16 * ((size_t)f->nr_rsv + 1);
	str_off = dt_off + f->dt_len;
	total = str_off + f->str_len;
	if (f->error || f->depth != 0 || total > cap)
		return 0;
	memset(out, 0, dt_off);
	be__put(out, FDT_MAGIC, 4);
	be__put(out + 4, total, 4);
	be__put(out + 8, dt_off, 4);
	be__put(out + 12, str_off, 4);
	be__put(out + 16, rsv_off, 4);
	be__put(out + 20, 17, 4);		/* version */
	be__put(out + 24, 16, 4);		/* last compatible version */
	be__put(out + 28, 0, 4);		/* boot CPU */
	be__put(out + 32, f->str_len, 4);
	be__put(out + 36, f->dt_len, 4);
	for (i = 0; i < f->nr_rsv; i++) {
		be__put(out + rsv_off + 16 * i, f->rsv[i][0], 8);
		be__put(out + rsv_off + 16 * i + 8, f->rsv[i][1], 8);
	}
	memcpy(out + dt_off, f->dt, f->dt_len);
	memcpy(out + str_off, f->str, f->str_len);
	return total;
}

size_t pseries__build_fdt(const struct pseries_dt_params *p, uint8_t *out,
			  size_t cap)
{
	static const char vty_path[] = "/vdevice/vty@71000000";
	struct pseries_fdt f;
	uint32_t cells[4];
	size_t len;

	pseries_fdt__init(&f);
	pseries_fdt__reserve(&f, p->rtas_base, p->rtas_size);
	pseries_fdt__begin_node(&f, "");
	pseries_fdt__prop_str(&f, "compatible", "qemu,pseries");
	pseries_fdt__prop_str(&f, "model", "hvsim pseries");
	pseries_fdt__prop_str(&f, "device_type", "chrp");
	pseries_fdt__prop_u32(&f, "#address-cells", 2);
	pseries_fdt__prop_u32(&f, "#size-cells", 2);

	pseries_fdt__begin_node(&f, "chosen");
	pseries_fdt__prop_str(&f, "bootargs", p->bootargs ? p->bootargs : "");
	pseries_fdt__prop_str(&f, "linux,stdout-path", vty_path);
	pseries_fdt__prop_str(&f, "stdout-path", vty_path);
	pseries_fdt__end_node(&f);

	pseries_fdt__begin_node(&f, "memory@0");
	pseries_fdt__prop_str(&f, "device_type", "memory");
	cells[0] = cells[1] = 0;
	cells[2] = (uint32_t)(p->ram_size >> 32);
	cells[3] = (uint32_t)p->ram_size;
	pseries_fdt__prop_cells(&f, "reg", cells, 4);
	pseries_fdt__end_node(&f);

	pseries_fdt__begin_node(&f, "cpus");
	pseries_fdt__prop_u32(&f, "#address-cells", 1);
	pseries_fdt__prop_u32(&f, "#size-cells", 0);
	pseries_fdt__begin_node(&f, "PowerPC,POWER9@0");
	pseries_fdt__prop_str(&f, "device_type", "cpu");
	pseries_fdt__prop_u32(&f, "reg", 0);
	pseries_fdt__prop_u32(&f, "ibm,ppc-interrupt-server#s", 0);
	pseries_fdt__prop_u32(&f, "cpu-version", PPC64_PVR_POWER9_DD20);
	pseries_fdt__prop_u32(&f, "timebase-frequency",
			      (uint32_t)PPC64_TB_HZ);
	pseries_fdt__prop_u32(&f, "clock-frequency", 1000000000u);
	pseries_fdt__prop_u32(&f, "d-cache-line-size", 128);
	pseries_fdt__prop_u32(&f, "i-cache-line-size", 128);
	pseries_fdt__prop_u32(&f, "d-cache-block-size", 128);
	pseries_fdt__prop_u32(&f, "i-cache-block-size", 128);
	pseries_fdt__prop(&f, "64-bit", NULL, 0);
	pseries_fdt__end_node(&f);
	pseries_fdt__end_node(&f);

	pseries_fdt__begin_node(&f, "rtas");
	pseries_fdt__prop_u32(&f, "linux,rtas-base", (uint32_t)p->rtas_base);
	pseries_fdt__prop_u32(&f, "linux,rtas-entry", (uint32_t)p->rtas_base);
	pseries_fdt__prop_u32(&f, "rtas-size", p->rtas_size);
	pseries_fdt__prop_u32(&f, "display-character",
			      PSERIES_RTAS_DISPLAY_CHARACTER);
	pseries_fdt__prop_u32(&f, "power-off", PSERIES_RTAS_POWER_OFF);
	pseries_fdt__prop_str(&f, "ibm,hypertas-functions", "hcall-term");
	pseries_fdt__end_node(&f);

	pseries_fdt__begin_node(&f, "vdevice");
	pseries_fdt__prop_str(&f, "compatible", "IBM,vdevice");
	pseries_fdt__prop_str(&f, "device_type", "vdevice");
	pseries_fdt__prop_u32(&f, "#address-cells", 1);
	pseries_fdt__prop_u32(&f, "#size-cells", 0);
	pseries_fdt__begin_node(&f, "vty@71000000");
	pseries_fdt__prop_str(&f, "compatible", "hvterm1");
	pseries_fdt__prop_str(&f, "device_type", "serial");
	pseries_fdt__prop_u32(&f, "reg", PSERIES_VTY_REG);
	pseries_fdt__end_node(&f);
	pseries_fdt__end_node(&f);

	pseries_fdt__end_node(&f);
	len = pseries_fdt__finish(&f, out, cap);
	pseries_fdt__free(&f);
	return len;
}

/* ---- hcalls and RTAS --------------------------------------------------- */

void pseries_hv__init(struct pseries_hv *hv, struct guest_mem *mem,
		      struct machine_console *console)
{
	memset(hv, 0, sizeof(*hv));
	hv->mem = mem;
	hv->console = console;
}

bool pseries__term_chars(uint64_t len, uint64_t r6, uint64_t r7,
			 char out[16])
{
	uint64_t i;

	if (len > 16)
		return false;
	for (i = 0; i < len; i++)
		out[i] = (char)((i < 8 ? r6 : r7) >> (56 - 8 * (i % 8)));
	return true;
}

/* RTAS argument buffer: token, nargs, nret, then nargs + nret 32-bit
 * words.  Every call stores its status in the first return word. */
static int64_t rtas(struct pseries_hv *hv, uint64_t addr)
{
	uint8_t *p = guest_mem__ptr(hv->mem, addr, 12), *args, *rets;
	uint32_t token, nargs, nret;
	int32_t status = RTAS_OUT_SUCCESS;

	if (!p)
		return H_PARAMETER;
	token = (uint32_t)be__get(p, 4);
	nargs = (uint32_t)be__get(p + 4, 4);
	nret = (uint32_t)be__get(p + 8, 4);
	if (nargs > 16 || nret > 16 || nret == 0)
		return H_PARAMETER;
	p = guest_mem__ptr(hv->mem, addr, 12 + 4 * (nargs + nret));
	if (!p)
		return H_PARAMETER;
	args = p + 12;
	rets = args + 4 * nargs;
	switch (token) {
	case PSERIES_RTAS_POWER_OFF:
		if (nargs != 2 || nret != 1) {
			status = RTAS_OUT_PARAM_ERROR;
			break;
		}
		trace(TRACE_EXIT, "rtas: power-off\n");
		hv->power_off = true;
		break;
	case PSERIES_RTAS_DISPLAY_CHARACTER:
		if (nargs != 1) {
			status = RTAS_OUT_PARAM_ERROR;
			break;
		}
		machine_console__write(hv->console, (const char *)args + 3, 1);
		break;
	default:
		log__unimp("pseries", "RTAS token %#x\n", token);
		status = RTAS_OUT_PARAM_ERROR;
		break;
	}
	be__put(rets, (uint32_t)status, 4);
	return H_SUCCESS;
}

int64_t pseries_hv__hcall(struct pseries_hv *hv, uint64_t opcode,
			  uint64_t args[9])
{
	char chars[16];

	trace(TRACE_EXIT, "hcall %#" PRIx64 " (%#" PRIx64 ", %#" PRIx64 ", %#"
	      PRIx64 ")\n", opcode, args[0], args[1], args[2]);
	switch (opcode) {
	case H_PUT_TERM_CHAR:
		if (args[0] != 0 && args[0] != PSERIES_VTY_REG)
			return H_PARAMETER;
		if (!pseries__term_chars(args[1], args[2], args[3], chars))
			return H_PARAMETER;
		machine_console__write(hv->console, chars, args[1]);
		return H_SUCCESS;
	case H_GET_TERM_CHAR:
		if (args[0] != 0 && args[0] != PSERIES_VTY_REG)
			return H_PARAMETER;
		args[0] = args[1] = args[2] = 0;	/* no input */
		return H_SUCCESS;
	case KVMPPC_H_RTAS:
		return rtas(hv, args[0]);
	}
	log__unimp("pseries", "hcall %#" PRIx64 ": H_FUNCTION\n", opcode);
	return H_FUNCTION;
}

/* ---- the machine ------------------------------------------------------- */

struct pseries {
	const struct pseries_config *cfg;
	struct machine m;
	struct pseries_hv hv;
	struct ppc64_cpu *cpu;
};

static int64_t m_hcall(void *opaque, struct ppc64_cpu *cpu, uint64_t opcode,
		       uint64_t args[9])
{
	struct pseries *p = opaque;
	int64_t r = pseries_hv__hcall(&p->hv, opcode, args);

	if (p->hv.power_off) {
		p->m.powered_off = true;
		ppc64_cpu__request_stop(cpu);
	}
	return r;
}

static const struct ppc64_cpu_ops cpu_ops = { m_hcall };

/* The RTAS entry: the argument buffer arrives in r3; hand it to the
 * hypervisor with hcall 0xF000 and return.
 *   mr r4,r3 / li r3,0 / ori r3,r3,0xf000 / sc 1 / blr */
static const uint32_t rtas_blob[] = {
	0x7c641b78, 0x38600000, 0x6063f000, 0x44000022, 0x4e800020,
};

/* Loads the kernel; the lowest free address above it must stay below limit
 * (the device tree). */
static int load_kernel(struct pseries *p, uint64_t limit, uint64_t *entry,
		       char *err, size_t errlen)
{
	const struct machine_kernel k = {
		.e_machine = EM_PPC64, .arch = "PowerPC64",
		.addr_mask = ADDR_MASK, .limit = limit,
		.limit_name = "the device tree",
	};
	uint64_t e_entry;

	if (machine__load_elf(&p->m, &k, &e_entry, err, errlen) < 0)
		return -1;
	*entry = e_entry & ADDR_MASK;
	if ((*entry & 3) || *entry >= limit) {
		snprintf(err, errlen, "%s: entry point %#" PRIx64 " is not a "
			 "valid instruction address in guest RAM",
			 p->cfg->kernel, e_entry);
		return -1;
	}
	return 0;
}

/* Builds the device tree and puts it in RAM just below the RTAS blob, at
 * *addr.  0, or an exit status. */
static int put_fdt(struct pseries *p, const struct pseries_dt_params *dt,
		   uint64_t *addr, size_t *len)
{
	uint8_t *fdt = malloc(FDT_MAX);

	if (!fdt)
		return machine__fail(HVSIM_EXIT_RESOURCE, "out of memory");
	*len = pseries__build_fdt(dt, fdt, FDT_MAX);
	if (*len) {
		*addr = (dt->rtas_base - *len) & ~0xfffULL;
		memcpy(p->m.ram + *addr, fdt, *len);
	}
	free(fdt);
	if (!*len) {
		fprintf(stderr, "hvsim: device tree larger than %d bytes "
			"(-append too long?)\n", FDT_MAX);
		return HVSIM_EXIT_USAGE;
	}
	return 0;
}

static int m_boot(void *opaque)
{
	struct pseries *p = opaque;
	const struct pseries_config *cfg = p->cfg;
	struct ppc64_cpu_config cc = { 0 };
	struct pseries_dt_params dt = { 0 };
	uint64_t rma, fdt_addr = 0, entry;
	size_t fdt_len = 0;
	char err[512] = "";
	unsigned i;
	int status;

	pseries_hv__init(&p->hv, &p->m.mem, &p->m.console);
	rma = cfg->ram_size < RMA_MAX ? cfg->ram_size : RMA_MAX;
	dt.ram_size = cfg->ram_size;
	dt.bootargs = cfg->append;
	dt.rtas_base = rma - RTAS_SIZE;
	dt.rtas_size = RTAS_SIZE;
	status = put_fdt(p, &dt, &fdt_addr, &fdt_len);
	if (status)
		return status;
	for (i = 0; i < sizeof(rtas_blob) / sizeof(rtas_blob[0]); i++)
		be__put(p->m.ram + dt.rtas_base + 4 * i, rtas_blob[i], 4);
	if (load_kernel(p, fdt_addr, &entry, err, sizeof(err)) < 0)
		return machine__fail(HVSIM_EXIT_BAD_INPUT, err);

	cc.ps_per_insn = cfg->ps_per_insn;
	cc.clock = &p->m.clock;
	cc.ops = &cpu_ops;
	cc.opaque = p;
	p->cpu = ppc64_cpu__new(&cc, err, sizeof(err));
	if (!p->cpu || ppc64_cpu__map_ram(p->cpu, p->m.ram, cfg->ram_size) < 0)
		return machine__fail(HVSIM_EXIT_ENGINE, err[0] ? err :
				     "cannot map guest RAM into the engine");
	/* Linux's entry convention: r3 device tree, r4 kernel base, r5 0
	 * (no Open Firmware client interface). */
	ppc64_cpu__set_gpr(p->cpu, 3, fdt_addr);
	ppc64_cpu__set_gpr(p->cpu, 4, 0);
	ppc64_cpu__set_gpr(p->cpu, 5, 0);
	ppc64_cpu__set_pc(p->cpu, entry);
	trace(TRACE_MODE, "pseries: entry %#" PRIx64 ", device tree at %#"
	      PRIx64 " (%zu bytes), RTAS at %#" PRIx64 "\n", entry, fdt_addr,
	      fdt_len, dt.rtas_base);
	return 0;
}

static enum machine_exit m_run(void *opaque, uint64_t max_insns)
{
	static const enum machine_exit exits[] = {
		[PPC64_EXIT_BUDGET] = MACHINE_EXIT_BUDGET,
		[PPC64_EXIT_STOP] = MACHINE_EXIT_STOP,
		[PPC64_EXIT_CRASH] = MACHINE_EXIT_CRASH,
		[PPC64_EXIT_ERROR] = MACHINE_EXIT_ERROR,
	};
	struct pseries *p = opaque;

	return exits[ppc64_cpu__run(p->cpu, max_insns)];
}

static const char *m_error(void *opaque)
{
	struct pseries *p = opaque;

	return ppc64_cpu__error(p->cpu);
}

static void m_print_cpu(void *opaque)
{
	struct pseries *p = opaque;
	struct ppc64_state st;
	int i;

	ppc64_cpu__get_state(p->cpu, &st);
	fprintf(stderr, "  cpu0: pc %016" PRIx64 " msr %016" PRIx64 " (%s, "
		"EE=%d) lr %016" PRIx64 " ctr %016" PRIx64 " cr %08x\n",
		st.pc, st.msr,
		st.msr & PPC64_MSR_IR ? "translated" : "real mode",
		!!(st.msr & PPC64_MSR_EE), st.lr, st.ctr, st.cr);
	for (i = 0; i < 32; i += 4)
		fprintf(stderr, "    r%-2d %016" PRIx64 " %016" PRIx64 " %016"
			PRIx64 " %016" PRIx64 "\n", i, st.gpr[i],
			st.gpr[i + 1], st.gpr[i + 2], st.gpr[i + 3]);
	fprintf(stderr, "    srr0 %016" PRIx64 " srr1 %016" PRIx64
		" dec %08x%s\n",
		st.srr0, st.srr1, st.dec,
		st.dec_pending ? " (decrementer interrupt pending)" : "");
}

static void m_teardown(void *opaque)
{
	struct pseries *p = opaque;

	ppc64_cpu__free(p->cpu);
}

static const struct machine_ops machine_ops = {
	.name = "pseries",
	.selftest = ppc64_cpu__selftest,
	.boot = m_boot,
	.run = m_run,
	.error = m_error,
	.print_cpu = m_print_cpu,
	.teardown = m_teardown,
};

int pseries__run(const struct pseries_config *cfg)
{
	const struct machine_config mc = {
		cfg->kernel, cfg->ram_size, cfg->hang_ns, cfg->serial_fd,
	};
	struct pseries p = { .cfg = cfg };

	return machine__run(&p.m, &machine_ops, &p, &mc);
}
