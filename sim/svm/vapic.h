/*
 * vapic.h - the virtual APIC state AVIC keeps in a backing page: the
 * 4 KiB xAPIC register page layout (each 32-bit register at the start of
 * its 16-byte slot, 256-bit registers as eight such slots, vectors 0-31
 * first) and what the hardware does to it on its own: processor priority,
 * the highest pending request, interrupt acceptance, EOI, IRR posting.
 */
#ifndef HVSIM_SIM_SVM_VAPIC_H
#define HVSIM_SIM_SVM_VAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* xAPIC register offsets (Intel SDM vol. 3 table 11-1, AMD APM vol. 2
 * 16.3.2); the same page is the AVIC backing page. */
#define VAPIC_ID	0x020
#define VAPIC_VERSION	0x030
#define VAPIC_TPR	0x080
#define VAPIC_APR	0x090
#define VAPIC_PPR	0x0a0
#define VAPIC_EOI	0x0b0
#define VAPIC_RRR	0x0c0
#define VAPIC_LDR	0x0d0
#define VAPIC_DFR	0x0e0
#define VAPIC_SPIV	0x0f0
#define VAPIC_ISR	0x100
#define VAPIC_TMR	0x180
#define VAPIC_IRR	0x200
#define VAPIC_ESR	0x280
#define VAPIC_ICR	0x300
#define VAPIC_ICR2	0x310
#define VAPIC_LVTT	0x320
#define VAPIC_LVTTHMR	0x330
#define VAPIC_LVTPC	0x340
#define VAPIC_LVT0	0x350
#define VAPIC_LVT1	0x360
#define VAPIC_LVTERR	0x370
#define VAPIC_TMICT	0x380
#define VAPIC_TMCCT	0x390
#define VAPIC_TDCR	0x3e0

#define VAPIC_ID_SHIFT	24	/* xAPIC ID in bits 31:24 */

uint32_t vapic__reg(const uint8_t *page, unsigned off);
void vapic__set_reg(uint8_t *page, unsigned off, uint32_t v);
/* Bit vec of the 256-bit register at off (VAPIC_ISR, _TMR, _IRR). */
bool vapic__test(const uint8_t *page, unsigned off, unsigned vec);
/* Sets vec in the IRR (an IPI or interrupt posted to the page). */
void vapic__post(uint8_t *page, unsigned vec);

/* Recomputes PPR from TPR and the highest in-service vector. */
void vapic__update_ppr(uint8_t *page);
/* The highest IRR vector whose priority class is above PPR's, or -1. */
int vapic__pending(const uint8_t *page);
/* Interrupt acknowledge of vapic__pending()'s vector: IRR -> ISR, PPR
 * updated.  Nothing pending: the spurious vector (SPIV 7:0), no change. */
unsigned vapic__accept(uint8_t *page);
/* The highest in-service vector, or -1. */
int vapic__in_service(const uint8_t *page);
/* EOI of the highest in-service vector: ISR bit cleared, PPR updated. */
void vapic__eoi(uint8_t *page);

#endif
