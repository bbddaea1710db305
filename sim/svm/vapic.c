/*
 * vapic.c - virtual APIC state in an AVIC backing page (see vapic.h).
 */
#include "svm/vapic.h"

#include <string.h>

uint32_t vapic__reg(const uint8_t *page, unsigned off)
{
	uint32_t v;

	memcpy(&v, page + off, sizeof(v));
	return v;
}

void vapic__set_reg(uint8_t *page, unsigned off, uint32_t v)
{
	memcpy(page + off, &v, sizeof(v));
}

static unsigned slot(unsigned off, unsigned vec)
{
	return off + (vec / 32) * 16;
}

bool vapic__test(const uint8_t *page, unsigned off, unsigned vec)
{
	return vapic__reg(page, slot(off, vec)) >> (vec % 32) & 1;
}

static void set_bit(uint8_t *page, unsigned off, unsigned vec, bool on)
{
	uint32_t r = vapic__reg(page, slot(off, vec));

	r = on ? (r | 1u << (vec % 32)) : (r & ~(1u << (vec % 32)));
	vapic__set_reg(page, slot(off, vec), r);
}

void vapic__post(uint8_t *page, unsigned vec)
{
	set_bit(page, VAPIC_IRR, vec & 0xff, true);
}

/* The highest set vector of the 256-bit register at off, or -1. */
static int highest(const uint8_t *page, unsigned off)
{
	int i;

	for (i = 7; i >= 0; i--) {
		uint32_t r = vapic__reg(page, off + (unsigned)i * 16);

		if (r)
			return i * 32 + 31 - __builtin_clz(r);
	}
	return -1;
}

int vapic__in_service(const uint8_t *page)
{
	return highest(page, VAPIC_ISR);
}

void vapic__update_ppr(uint8_t *page)
{
	uint32_t tpr = vapic__reg(page, VAPIC_TPR) & 0xff;
	int isr = vapic__in_service(page);
	uint32_t isr_class = isr < 0 ? 0 : (uint32_t)isr & 0xf0;

	vapic__set_reg(page, VAPIC_PPR,
		       (tpr & 0xf0) >= isr_class ? tpr : isr_class);
}

int vapic__pending(const uint8_t *page)
{
	int irr = highest(page, VAPIC_IRR);
	uint32_t ppr = vapic__reg(page, VAPIC_PPR);

	if (irr < 0 || ((uint32_t)irr & 0xf0) <= (ppr & 0xf0))
		return -1;
	return irr;
}

unsigned vapic__accept(uint8_t *page)
{
	int vec = vapic__pending(page);

	if (vec < 0)
		return vapic__reg(page, VAPIC_SPIV) & 0xff;
	set_bit(page, VAPIC_IRR, (unsigned)vec, false);
	set_bit(page, VAPIC_ISR, (unsigned)vec, true);
	vapic__update_ppr(page);
	return (unsigned)vec;
}

void vapic__eoi(uint8_t *page)
{
	int vec = vapic__in_service(page);

	if (vec >= 0)
		set_bit(page, VAPIC_ISR, (unsigned)vec, false);
	vapic__update_ppr(page);
}
