/* acpi_pm.c - PIIX4 PM1 event/control registers, PM timer, APM ports. */
#include "hvsim/acpi_pm.h"

#include <string.h>

#include "hvsim/log.h"

enum {
	PM1_STS = 0x00,
	PM1_EN = 0x02,
	PM1_CNT = 0x04,
	PM_TMR = 0x08,
	PM_TMR_END = 0x0c,
};

#define STS_TMR		0x0001
#define STS_GBL		0x0020
#define STS_PWRBTN	0x0100
#define STS_RTC		0x0400
#define EN_MASK		(STS_TMR | STS_GBL | STS_PWRBTN | STS_RTC)

#define CNT_SCI_EN	0x0001
#define CNT_SLP_TYP_SHIFT 10
#define CNT_SLP_EN	0x2000

#define TMR_MSB		(1u << 23)

static uint64_t tmr_ticks(const struct acpi_pm *pm)
{
	return clock__ns_to_ticks(vclock__now(pm->clock), ACPI_PM_TIMER_HZ);
}

/* Virtual time of the first toggle of PM_TMR bit 23 after now. */
static uint64_t next_flip(const struct acpi_pm *pm)
{
	uint64_t tick = (tmr_ticks(pm) / TMR_MSB + 1) * TMR_MSB;

	return clock__ticks_to_ns(tick, ACPI_PM_TIMER_HZ);
}

/* TMR_STS is latched lazily: whenever looked at, a toggle that happened
 * since the last one latched sets it. */
static void sync_tmr_sts(struct acpi_pm *pm)
{
	if (vclock__now(pm->clock) >= pm->next_flip_ns) {
		pm->sts |= STS_TMR;
		pm->next_flip_ns = next_flip(pm);
	}
}

static void update_sci(struct acpi_pm *pm)
{
	int level;

	sync_tmr_sts(pm);
	level = (pm->sts & pm->en & EN_MASK) != 0;
	if (level != pm->sci_level) {
		pm->sci_level = level;
		trace(TRACE_IRQ, "acpi_pm: sci %d\n", level);
		irq__set(&pm->sci, level);
	}
	if (pm->en & STS_TMR)
		vtimer__arm(&pm->tmr_timer, pm->next_flip_ns);
	else
		vtimer__cancel(&pm->tmr_timer);
}

static void tmr_cb(void *opaque)
{
	update_sci(opaque);
}

static uint8_t read_byte(struct acpi_pm *pm, unsigned off)
{
	unsigned shift = 8 * (off & 1);

	switch (off & ~1u) {
	case PM1_STS:
		return pm->sts >> shift;
	case PM1_EN:
		return pm->en >> shift;
	case PM1_CNT:
		return pm->cnt >> shift;
	case PM_TMR:
	case PM_TMR + 2:
		/* 24-bit timer, bits 31:24 read as zero */
		return (tmr_ticks(pm) & 0xffffff) >> (8 * (off - PM_TMR));
	}
	log__unimp("acpi_pm", "read of offset %#x\n", off);
	return 0xff;
}

static uint64_t acpi_pm_read(void *opaque, uint64_t offset, unsigned size)
{
	struct acpi_pm *pm = opaque;
	uint64_t v = 0;
	unsigned i;

	sync_tmr_sts(pm);
	for (i = 0; i < size && offset + i < ACPI_PM_SIZE; i++)
		v |= (uint64_t)read_byte(pm, offset + i) << (8 * i);
	return v;
}

/*
 * Accesses may be of any width, so a write is first split into the bytes
 * it sets in each 16-bit register, then applied register by register.
 */
static void acpi_pm_write(void *opaque, uint64_t offset, uint64_t value,
			  unsigned size)
{
	struct acpi_pm *pm = opaque;
	uint16_t val[3] = { 0 }, mask[3] = { 0 };
	unsigned i;

	for (i = 0; i < size && offset + i < ACPI_PM_SIZE; i++) {
		unsigned off = offset + i, shift = 8 * (off & 1);
		uint8_t byte = value >> (8 * i);

		if (off < PM_TMR) {
			val[off / 2] |= byte << shift;
			mask[off / 2] |= 0xff << shift;
		} else if (off < PM_TMR_END) {
			log__guest_error("acpi_pm", "write to PM_TMR\n");
		} else {
			log__unimp("acpi_pm", "write %#x to offset %#x\n",
				   byte, off);
		}
	}
	sync_tmr_sts(pm);
	pm->sts &= ~(val[0] & mask[0]);
	pm->en = (pm->en & ~mask[1]) | (val[1] & mask[1] & EN_MASK);
	pm->cnt = (pm->cnt & ~mask[2]) | (val[2] & mask[2] & ~CNT_SLP_EN);
	update_sci(pm);

	if (val[2] & mask[2] & CNT_SLP_EN) {
		unsigned typ = (pm->cnt >> CNT_SLP_TYP_SHIFT) & 7;

		if (typ == 0) {
			trace(TRACE_MODE, "acpi_pm: S5, power off\n");
			pm->poweroff(pm->opaque);
		} else {
			log__unimp("acpi_pm", "sleep type %u\n", typ);
		}
	}
}

const struct iobus_ops acpi_pm__ops = {
	.name = "acpi_pm",
	.read = acpi_pm_read,
	.write = acpi_pm_write,
};

static uint64_t apm_read(void *opaque, uint64_t offset, unsigned size)
{
	struct acpi_pm *pm = opaque;

	return offset == 0 ? pm->apmc : pm->apms;
}

static void apm_write(void *opaque, uint64_t offset, uint64_t value,
		      unsigned size)
{
	struct acpi_pm *pm = opaque;

	if (offset != 0) {
		pm->apms = value;
		return;
	}
	pm->apmc = value;
	if (pm->apmc == ACPI_PM_ACPI_ENABLE)
		pm->cnt |= CNT_SCI_EN;
	else if (pm->apmc == ACPI_PM_ACPI_DISABLE)
		pm->cnt &= ~CNT_SCI_EN;
	else
		log__unimp("acpi_pm", "APM command %#x (no SMM)\n", pm->apmc);
}

const struct iobus_ops acpi_pm__apm_ops = {
	.name = "apm",
	.read = apm_read,
	.write = apm_write,
};

void acpi_pm__power_button(struct acpi_pm *pm)
{
	pm->sts |= STS_PWRBTN;
	update_sci(pm);
}

void acpi_pm__reset(struct acpi_pm *pm)
{
	pm->sts = pm->en = pm->cnt = 0;
	pm->apmc = pm->apms = 0;
	pm->next_flip_ns = next_flip(pm);
	update_sci(pm);
}

void acpi_pm__init(struct acpi_pm *pm, struct vclock *clock, struct irq sci,
		   void (*poweroff)(void *opaque), void *opaque)
{
	memset(pm, 0, sizeof(*pm));
	pm->clock = clock;
	pm->sci = sci;
	pm->poweroff = poweroff;
	pm->opaque = opaque;
	vtimer__init(&pm->tmr_timer, clock, "acpi-pm-tmr", tmr_cb, pm);
	acpi_pm__reset(pm);
}
