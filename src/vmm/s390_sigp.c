/*
 * s390_sigp.c - SIGNAL PROCESSOR on the s390-ccw machine (z/Architecture
 * Principles of Operation, "Signal Processor"): the orders between the
 * machine's CPUs, each performed at once on the target (the CPUs run on
 * one thread), so no order is ever answered "busy".  What an order does to
 * a CPU is the engine's (s390x_cpu.h); which CPU and which status is here.
 */
#include <inttypes.h>

#include "hvsim/log.h"
#include "s390_ccw_internal.h"

/* Order codes. */
#define SIGP_SENSE 0x01
#define SIGP_EXTERNAL_CALL 0x02
#define SIGP_EMERGENCY_SIGNAL 0x03
#define SIGP_START 0x04
#define SIGP_STOP 0x05
#define SIGP_RESTART 0x06
#define SIGP_STOP_STORE_STATUS 0x09
#define SIGP_INITIAL_CPU_RESET 0x0b
#define SIGP_CPU_RESET 0x0c
#define SIGP_SET_PREFIX 0x0d
#define SIGP_STORE_STATUS_ADDR 0x0e
#define SIGP_SET_ARCH 0x12
#define SIGP_COND_EMERGENCY_SIGNAL 0x13
#define SIGP_SENSE_RUNNING 0x15

/* Status bits (R1 bits 32-63 with condition code 1). */
#define SIGP_STAT_NOT_RUNNING 0x00000400u
#define SIGP_STAT_INCORRECT_STATE 0x00000200u
#define SIGP_STAT_INVALID_PARAM 0x00000100u
#define SIGP_STAT_EXT_CALL_PENDING 0x00000080u
#define SIGP_STAT_STOPPED 0x00000040u
#define SIGP_STAT_INVALID_ORDER 0x00000002u

/* Parameter fields: the new prefix (bits 33-50), the store-status address
 * (bits 33-54). */
#define PREFIX_MASK 0x7fffe000u
#define STATUS_ADDR_MASK 0x7ffffe00u

static int status_stored(uint32_t *status, uint32_t bits)
{
	*status = bits;
	return 1;
}

static int sense(const struct s390x_cpu *dst, uint32_t *status)
{
	uint32_t bits = 0;

	if (s390x_cpu__stopped(dst))
		bits |= SIGP_STAT_STOPPED;
	if (s390x_cpu__external_call_pending(dst))
		bits |= SIGP_STAT_EXT_CALL_PENDING;
	return bits ? status_stored(status, bits) : 0;
}

static int set_prefix(struct s390_ccw *ccw, struct s390x_cpu *dst,
		      uint64_t param, uint32_t *status)
{
	uint32_t prefix = (uint32_t)param & PREFIX_MASK;

	if ((uint64_t)prefix + S390X_LOWCORE_SIZE > ccw->cfg->ram_size)
		return status_stored(status, SIGP_STAT_INVALID_PARAM);
	if (!s390x_cpu__stopped(dst))
		return status_stored(status, SIGP_STAT_INCORRECT_STATE);
	s390x_cpu__set_prefix(dst, prefix);
	return 0;
}

static int store_status_at(struct s390x_cpu *dst, uint64_t param,
			   uint32_t *status)
{
	if (!s390x_cpu__stopped(dst))
		return status_stored(status, SIGP_STAT_INCORRECT_STATE);
	if (s390x_cpu__store_status(dst, (uint32_t)param & STATUS_ADDR_MASK))
		return status_stored(status, SIGP_STAT_INVALID_PARAM);
	return 0;
}

/* Sense running status: "running" is operating and not waiting. */
static int sense_running(const struct s390x_cpu *dst, uint32_t *status)
{
	if (s390x_cpu__stopped(dst) || s390x_cpu__waiting(dst))
		return status_stored(status, SIGP_STAT_NOT_RUNNING);
	return 0;
}

int s390_sigp__order(struct s390_ccw *ccw, struct s390x_cpu *cpu,
		     uint8_t order, uint16_t cpu_addr, uint64_t param,
		     uint32_t *status)
{
	uint16_t from = s390x_cpu__addr(cpu);
	struct s390x_cpu *dst;

	trace(TRACE_EXIT, "sigp: cpu%u order %#x to cpu %u param %#" PRIx64
	      "\n", from, order, cpu_addr, param);
	/* addressed to the configuration, not a CPU: z/Architecture only,
	 * there is nothing to switch to */
	if (order == SIGP_SET_ARCH)
		return status_stored(status, SIGP_STAT_INVALID_PARAM);
	if (cpu_addr >= ccw->nr_cpus)
		return 3;			/* not operational */
	dst = ccw->cpus[cpu_addr];
	switch (order) {
	case SIGP_SENSE:
		return sense(dst, status);
	case SIGP_EXTERNAL_CALL:
		if (!s390x_cpu__external_call(dst, from))
			return status_stored(status,
					     SIGP_STAT_EXT_CALL_PENDING);
		return 0;
	case SIGP_EMERGENCY_SIGNAL:
	case SIGP_COND_EMERGENCY_SIGNAL:	/* the condition always holds */
		s390x_cpu__emergency_signal(dst, from);
		return 0;
	case SIGP_START:
		s390x_cpu__start(dst);
		return 0;
	case SIGP_STOP:
	case SIGP_STOP_STORE_STATUS:
		s390x_cpu__stop(dst, order == SIGP_STOP_STORE_STATUS);
		return 0;
	case SIGP_RESTART:
		s390x_cpu__restart(dst);
		return 0;
	case SIGP_INITIAL_CPU_RESET:
	case SIGP_CPU_RESET:
		s390x_cpu__reset(dst, order == SIGP_INITIAL_CPU_RESET);
		return 0;
	case SIGP_SET_PREFIX:
		return set_prefix(ccw, dst, param, status);
	case SIGP_STORE_STATUS_ADDR:
		return store_status_at(dst, param, status);
	case SIGP_SENSE_RUNNING:
		return sense_running(dst, status);
	}
	log__guest_error("s390-ccw", "SIGP order %#x: invalid order\n", order);
	return status_stored(status, SIGP_STAT_INVALID_ORDER);
}
