/*
 * pseries.h - the "pseries" machine: one POWER9 CPU (big-endian) running a
 * logical-partition kernel on a PAPR-style hypervisor: hcalls for the
 * console (H_PUT_TERM_CHAR, H_GET_TERM_CHAR) and RTAS through hcall 0xF000,
 * a flattened device tree built by hvsim and handed over in r3.  The POWER9
 * XIVE machine builds on this one.
 */
#ifndef HVSIM_PSERIES_H
#define HVSIM_PSERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/guest_mem.h"
#include "hvsim/machine_common.h"

struct pseries_config {
	const char *kernel;	/* ELF64 big-endian PowerPC64, required */
	const char *append;	/* /chosen/bootargs (NULL: empty) */
	uint64_t ram_size;	/* bytes, a multiple of 1 MiB, >= 2 MiB */
	int serial_fd;		/* vty output, -1 for none */
	uint32_t ps_per_insn;	/* virtual time per instruction */
	uint64_t hang_ns;	/* virtual time without console output that
				 * counts as a hang; 0 = never */
};

/*
 * Builds the machine, loads the kernel, enters it in real mode with r3 =
 * the device tree and runs it.  Returns the hvsim exit status
 * (hvsim/exitcode.h): 0 after the RTAS power-off call;
 * HVSIM_EXIT_GUEST_CRASH when the guest lost control (interrupt loop,
 * unassigned address, an interrupt hvsim does not deliver); HVSIM_EXIT_HANG;
 * HVSIM_EXIT_BAD_INPUT for an unusable kernel; HVSIM_EXIT_ENGINE,
 * HVSIM_EXIT_RESOURCE, HVSIM_EXIT_USAGE (bad config).
 */
int pseries__run(const struct pseries_config *cfg);

/* ---- hcalls and RTAS (separate from the machine for unit tests) -------- */

#define H_SUCCESS		0
#define H_FUNCTION		(-2)
#define H_PARAMETER		(-4)
#define H_GET_TERM_CHAR		0x54
#define H_PUT_TERM_CHAR		0x58
#define KVMPPC_H_RTAS		0xf000

/* The console's vty, as in /vdevice; vty number 0 means it too. */
#define PSERIES_VTY_REG		0x71000000u

/* RTAS tokens hvsim implements (values of the /rtas properties). */
#define PSERIES_RTAS_DISPLAY_CHARACTER	0x2001
#define PSERIES_RTAS_POWER_OFF		0x2002
#define RTAS_OUT_SUCCESS		0
#define RTAS_OUT_PARAM_ERROR		(-3)

struct pseries_hv {
	struct guest_mem *mem;
	struct machine_console *console;	/* the vty */
	bool power_off;		/* the guest called RTAS power-off */
};

void pseries_hv__init(struct pseries_hv *hv, struct guest_mem *mem,
		      struct machine_console *console);

/* Serves hcall opcode: args[0..8] are r4-r12 in and out; returns r3.
 * Unknown hcalls return H_FUNCTION and are logged. */
int64_t pseries_hv__hcall(struct pseries_hv *hv, uint64_t opcode,
			  uint64_t args[9]);

/* H_PUT_TERM_CHAR's bytes: len (r5, at most 16) packed big-endian in r6
 * then r7.  false when len is too large. */
bool pseries__term_chars(uint64_t len, uint64_t r6, uint64_t r7,
			 char out[16]);

/* ---- the flattened device tree ------------------------------------------ */

/* A builder for a version-17 FDT blob. */
struct pseries_fdt {
	uint8_t *dt;		/* structure block */
	size_t dt_len, dt_cap;
	char *str;		/* strings block */
	size_t str_len, str_cap;
	uint64_t rsv[4][2];	/* memory reservations: address, size */
	unsigned nr_rsv;
	int depth;		/* open nodes */
	bool error;		/* allocation failure or misuse */
};

void pseries_fdt__init(struct pseries_fdt *f);
void pseries_fdt__free(struct pseries_fdt *f);
void pseries_fdt__reserve(struct pseries_fdt *f, uint64_t addr,
			  uint64_t size);
void pseries_fdt__begin_node(struct pseries_fdt *f, const char *name);
void pseries_fdt__end_node(struct pseries_fdt *f);
void pseries_fdt__prop(struct pseries_fdt *f, const char *name,
		       const void *value, size_t len);
void pseries_fdt__prop_u32(struct pseries_fdt *f, const char *name,
			   uint32_t v);
void pseries_fdt__prop_str(struct pseries_fdt *f, const char *name,
			   const char *s);
/* Cells (big-endian 32-bit words). */
void pseries_fdt__prop_cells(struct pseries_fdt *f, const char *name,
			     const uint32_t *cells, size_t n);
/* Writes the blob to out; returns its size, or 0 when it does not fit in
 * cap, a node is still open, or building failed. */
size_t pseries_fdt__finish(struct pseries_fdt *f, uint8_t *out, size_t cap);

/* What the machine's device tree describes. */
struct pseries_dt_params {
	uint64_t ram_size;
	const char *bootargs;	/* NULL: empty */
	uint64_t rtas_base;	/* the RTAS entry blob */
	uint32_t rtas_size;
};

/* The pseries device tree: root compatible "qemu,pseries", /cpus with one
 * POWER9 CPU, /memory, /chosen, /rtas (tokens, entry blob), /vdevice with
 * the vty.  Returns the blob's size, or 0 when cap is too small. */
size_t pseries__build_fdt(const struct pseries_dt_params *p, uint8_t *out,
			  size_t cap);

#endif
