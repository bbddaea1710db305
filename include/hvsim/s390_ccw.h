/*
 * s390_ccw.h - the "s390-ccw" machine: 1 to 64 z/Architecture CPUs (CPU
 * addresses 0..N-1, each on its own engine), RAM from absolute address 0,
 * and what a hypervisor gives a guest besides: the SCLP (service-call
 * logical processor) with its console, SIGP, DIAGNOSE and STSI.  An ELF
 * kernel is IPLed on CPU 0 the way QEMU's s390-ccw-virtio -kernel does it;
 * the other CPUs start stopped and are brought up with SIGP.  No channel
 * subsystem yet (the AP crypto / GISA machine builds on this one).
 */
#ifndef HVSIM_S390_CCW_H
#define HVSIM_S390_CCW_H

#include <stdint.h>

#include "hvsim/s390x_cpu.h"

#include "hvsim/guest_mem.h"
#include "hvsim/machine_common.h"

struct s390_ap_config;

#define S390_CCW_MAX_CPUS S390X_MAX_CPUS

struct s390_ccw_config {
	const char *kernel;	/* ELF64 big-endian s390x, required */
	const char *append;	/* command line (NULL: none), stored at
				 * 0x10480 for kernels entered at 0x10000 */
	uint64_t ram_size;	/* bytes, a multiple of 1 MiB, >= 2 MiB */
	unsigned smp;		/* CPUs, 1..S390_CCW_MAX_CPUS (0: one) */
	int serial_fd;		/* SCLP console output, -1 for none */
	uint32_t ps_per_insn;	/* virtual time per instruction */
	uint64_t hang_ns;	/* virtual time without console output that
				 * counts as a hang; 0 = never */
	/* AP crypto adapters and the hypervisor core's AP support
	 * (hvsim/s390_ap.h); NULL: no AP (operation exception). */
	const struct s390_ap_config *ap;
};

/*
 * Builds the machine, IPLs the kernel and runs it.  Returns the hvsim exit
 * status (hvsim/exitcode.h): 0 once every CPU is stopped (SIGP STOP or STOP
 * AND STORE STATUS); HVSIM_EXIT_GUEST_CRASH for a disabled wait or a lost
 * guest on any CPU (report of every CPU on stderr); HVSIM_EXIT_HANG;
 * HVSIM_EXIT_BAD_INPUT for an unusable kernel; HVSIM_EXIT_ENGINE,
 * HVSIM_EXIT_RESOURCE, HVSIM_EXIT_USAGE (bad config).
 */
int s390_ccw__run(const struct s390_ccw_config *cfg);

/* ---- the SCLP (separate from the machine for unit tests) -------------- */

#define SCLP_CMD_READ_SCP_INFO		0x00020001u
#define SCLP_CMD_READ_SCP_INFO_FORCED	0x00120001u
#define SCLP_CMD_READ_EVENT_DATA	0x00770005u
#define SCLP_CMD_WRITE_EVENT_DATA	0x00760005u
#define SCLP_CMD_WRITE_EVENT_MASK	0x00780005u

/* Response codes in the SCCB header. */
#define SCLP_RC_NORMAL_READ		0x0010
#define SCLP_RC_NORMAL			0x0020
#define SCLP_RC_BOUNDARY		0x0100
#define SCLP_RC_INVALID_COMMAND		0x01f0
#define SCLP_RC_SHORT_SCCB		0x0300
#define SCLP_RC_INVALID_FUNCTION	0x40f0
#define SCLP_RC_NO_EVENTS		0x60f0
#define SCLP_RC_INCONSISTENT_LENGTHS	0x72f0
#define SCLP_RC_EVENT_SYNTAX		0x73f0
#define SCLP_RC_INVALID_MASK_LENGTH	0x74f0

/* Event types and their mask bits (type t: 0x80000000 >> (t - 1)). */
#define SCLP_EVENT_MSG			0x02	/* line-mode message */
#define SCLP_EVENT_ASCII		0x1a	/* ASCII console data */
#define SCLP_EVENT_MASK(t)		(0x80000000u >> ((t) - 1))
#define SCLP_EVENT_ACCEPTED		0x80	/* event buffer flag */

/* Read SCP Info: the fixed part, then one 16-byte entry per CPU (CPU
 * address in its first byte, type 0: CP). */
#define SCLP_READ_INFO_CPU_OFFSET	128
#define SCLP_CPU_ENTRY_SIZE		16

struct s390_sclp {
	struct guest_mem *mem;
	uint64_t ram_size;
	unsigned nr_cpus;		/* CPU addresses 0..nr_cpus-1 */
	struct machine_console *console;
	uint32_t cp_receive_mask;	/* from WRITE EVENT MASK */
	uint32_t cp_send_mask;
};

void s390_sclp__init(struct s390_sclp *s, struct guest_mem *mem,
		     uint64_t ram_size, unsigned nr_cpus,
		     struct machine_console *console);

/*
 * SERVICE CALL with command on the SCCB at real address sccb, for a CPU
 * whose prefix is prefix.  Returns 0 when the SCLP accepted the SCCB (the
 * response code is in its header and a service-signal interruption with
 * the SCCB address is due), or -c for program exception c (addressing,
 * specification): then nothing was stored.
 *
 * Console rule: ASCII console data always goes to the console; line-mode
 * messages (EBCDIC) only while the guest has not enabled sending ASCII
 * console data, so a guest writing both forms prints each line once.
 */
int s390_sclp__service_call(struct s390_sclp *s, uint32_t prefix,
			    uint32_t command, uint64_t sccb);

#endif
