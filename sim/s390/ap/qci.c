/*
 * qci.c - PQAP(QCI), facility 12: store the AP configuration
 * information block at the doubleword-aligned address in GR2.
 *
 * Block (128 bytes):
 *   0x00 flags: 0x40 N (APXA installed)
 *   0x04 Na: highest APID   0x05 Nd: highest APQI
 *   0x10 APM (256 bits): adapters configured (checkstopped ones too)
 *   0x30 AQM (256 bits): usage domains
 *   0x50 ADM (256 bits): control domains
 * Unaligned address: specification; not addressable: addressing.
 */
#include <string.h>

#include "s390/ap/ap_internal.h"

#define QCI_FLAG_APXA	0x40
#define QCI_NA		4
#define QCI_ND		5

int ap__qci(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16])
{
	uint8_t blk[AP_QCI_SIZE] = { 0 };

	if (!ap->cfg.fac.qci || (gr[2] & 7))
		return AP_PGM_SPECIFICATION;
	if (ap->cfg.fac.apxa) {
		blk[0] = QCI_FLAG_APXA;
		blk[QCI_NA] = 255;
		blk[QCI_ND] = 255;
	} else {
		blk[QCI_NA] = 63;
		blk[QCI_ND] = 15;
	}
	for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++)
		ap_bit_put(blk + AP_QCI_APM, a,
			   ap->ad[a].present && ap->ad[a].configured);
	memcpy(blk + AP_QCI_AQM, ap->usage, sizeof(ap->usage));
	memcpy(blk + AP_QCI_ADM, ap->control, sizeof(ap->control));
	if (mem->write(mem->opaque, gr[2], blk, sizeof(blk)))
		return AP_PGM_ADDRESSING;
	return 0;
}
