/*
 * crycb.c - the CRYCB's AP masks: which APQNs a SIE guest may use, its
 * control domains, and the QCI block as that guest sees it.
 *
 * CRYCB layout (the format is in the CRYCBD's low two bits):
 *   format 0, 1: APCB0 at 0x00 - 0x00 APM, 0x08 AQM, 0x10 ADM, 64 bits
 *                each (format 1 adds wrapping-key masks at 0x48/0x60)
 *   format 2:    APCB1 at 0x80 - 0x80 APM, 0xA0 AQM, 0xC0 ADM, 256 bits
 * (Note: this follows KVM's kvm_s390_crypto_cb, where format 1 uses
 * APCB0; the project's facts note puts format 1 at 0x80.)
 * IDs a format cannot express (APID/APQI >= 64 with APCB0) are denied.
 */
#include <string.h>

#include "s390/ap/ap_internal.h"

#define APCB0		0x00
#define APCB0_MASK	8
#define APCB1		0x80
#define APCB1_MASK	32

int ap_crycb__read(const uint8_t *crycb, size_t len, unsigned format,
		   struct ap_masks *m)
{
	size_t base, size;

	memset(m, 0, sizeof(*m));
	switch (format) {
	case 0:
	case 1:
		base = APCB0;
		size = APCB0_MASK;
		break;
	case 2:
		base = APCB1;
		size = APCB1_MASK;
		break;
	default:
		return -1;
	}
	if (len < base + 3 * size)
		return -1;
	memcpy(m->apm, crycb + base, size);
	memcpy(m->aqm, crycb + base + size, size);
	memcpy(m->adm, crycb + base + 2 * size, size);
	return 0;
}

bool ap_crycb__may_use(const struct ap_masks *m, unsigned a, unsigned d)
{
	return a < AP_MAX_ADAPTERS && d < AP_MAX_DOMAINS &&
	       ap_bit_test(m->apm, a) && ap_bit_test(m->aqm, d);
}

bool ap_crycb__is_control(const struct ap_masks *m, unsigned d)
{
	return d < AP_MAX_DOMAINS && ap_bit_test(m->adm, d);
}

/* The SIE guest's QCI: the machine's masks ANDed with its CRYCB's. */
void ap_crycb__filter_qci(uint8_t qci[AP_QCI_SIZE], const struct ap_masks *m)
{
	for (unsigned i = 0; i < 32; i++) {
		qci[AP_QCI_APM + i] &= m->apm[i];
		qci[AP_QCI_AQM + i] &= m->aqm[i];
		qci[AP_QCI_ADM + i] &= m->adm[i];
	}
}
