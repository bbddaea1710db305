/* ap_fake.h - shared fixtures for the AP model's unit tests: a flat
 * memory of MEM_SIZE bytes at address 0, a byte-reversing adapter and
 * recorders for the alert and adapter-interrupt callbacks. */
#ifndef HVSIM_TEST_AP_FAKE_H
#define HVSIM_TEST_AP_FAKE_H

#include <stdint.h>
#include <string.h>

#include "hvsim/ap.h"

#define MEM_SIZE	0x10000u

static uint8_t mem_bytes[MEM_SIZE];
static unsigned alerts, last_nisc, adapter_irqs, last_isc, processed;

static int fake_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	if (addr > MEM_SIZE || len > MEM_SIZE - addr)
		return -1;
	memcpy(buf, mem_bytes + addr, len);
	return 0;
}

static int fake_write(void *opaque, uint64_t addr, const void *buf,
		      size_t len)
{
	if (addr > MEM_SIZE || len > MEM_SIZE - addr)
		return -1;
	memcpy(mem_bytes + addr, buf, len);
	return 0;
}

static const struct ap_mem fake_mem = { fake_read, fake_write, NULL };

/* The fake adapter answers with the message reversed. */
static size_t reverse_process(void *opaque, const uint8_t *msg, size_t len,
			      uint8_t *reply, size_t cap)
{
	size_t n = len < cap ? len : cap;

	for (size_t i = 0; i < n; i++)
		reply[i] = msg[len - 1 - i];
	processed++;
	return n;
}

static void record_alert(void *opaque, unsigned nisc)
{
	alerts++;
	last_nisc = nisc;
}

static void record_adapter_irq(void *opaque, unsigned isc)
{
	adapter_irqs++;
	last_isc = isc;
}

/* A machine with all facilities, reset 1000 ns, requests 500 ns. */
static inline struct ap *fake_ap(uint64_t irq_off_ns, size_t chunk)
{
	struct ap_config cfg = {
		.ops = { reverse_process, record_alert, record_adapter_irq,
			 NULL },
		.fac = { .apft = true, .qci = true, .aqic = true,
			 .apxa = true },
		.reset_ns = 1000,
		.irq_off_ns = irq_off_ns,
		.xfer_chunk = chunk,
	};

	memset(mem_bytes, 0, sizeof(mem_bytes));
	alerts = last_nisc = adapter_irqs = last_isc = processed = 0;
	return ap__new(&cfg);
}

static inline void fake_adapter(struct ap *ap, unsigned id, unsigned depth)
{
	struct ap_adapter_cfg c = {
		.type = AP_TYPE_CEX8, .mode = AP_MODE_ACCEL, .depth = depth,
		.ml = 0, .latency_ns = 500,
	};

	ap__adapter_add(ap, id, &c);
}

static inline uint64_t gr0_pqap(unsigned fc, unsigned a, unsigned d)
{
	return (uint64_t)fc << AP_GR0_FC_SHIFT | AP_APQN(a, d);
}

#endif
