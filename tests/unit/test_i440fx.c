/* test_i440fx.c - i440FX/PIIX3/PIIX4 config registers and machine hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/i440fx.h"
#include "hvsim/iobus.h"
#include "hvsim/pci.h"

#define MAX_EVENTS 32

struct event {
	char kind;		/* 'm' PAM, 'p' PIRQ, 'a' PM I/O, 'r' reset */
	uint32_t a, b;
	int c;
};

static struct {
	struct iobus pio;
	struct pci_bus bus;
	struct i440fx chip;
	struct event ev[MAX_EVENTS];
	int nev;
} t;

static void record(char kind, uint32_t a, uint32_t b, int c)
{
	assert_true(t.nev < MAX_EVENTS);
	t.ev[t.nev++] = (struct event){ kind, a, b, c };
}

static void pam_update(void *opaque, uint32_t start, uint32_t size, int mode)
{
	assert_ptr_equal(opaque, &t);
	record('m', start, size, mode);
}

static void pirq_update(void *opaque, int pirq, int irq)
{
	record('p', pirq, 0, irq);
}

static void pm_io_update(void *opaque, uint16_t base, bool enabled)
{
	record('a', base, 0, enabled);
}

static void reset_request(void *opaque, bool hard)
{
	record('r', 0, 0, hard);
}

static const struct i440fx_hooks hooks = {
	.opaque = &t,
	.pam_update = pam_update,
	.pirq_update = pirq_update,
	.pm_io_update = pm_io_update,
	.reset_request = reset_request,
};

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	iobus__init(&t.pio, "pio", 0);
	pci__init(&t.bus);
	assert_int_equal(pci__register_ports(&t.bus, &t.pio), 0);
	assert_int_equal(i440fx__init(&t.chip, &t.bus, &hooks), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&t.pio);
	return 0;
}

static uint32_t cfg_read(unsigned dev, unsigned fn, unsigned reg,
			 unsigned size)
{
	uint64_t v;

	assert_true(iobus__write(&t.pio, 0xcf8,
				 0x80000000u | dev << 11 | fn << 8 |
				 (reg & 0xfc), 4));
	assert_true(iobus__read(&t.pio, 0xcfc + (reg & 3), size, &v));
	return v;
}

static void cfg_write(unsigned dev, unsigned fn, unsigned reg, uint32_t val,
		      unsigned size)
{
	assert_true(iobus__write(&t.pio, 0xcf8,
				 0x80000000u | dev << 11 | fn << 8 |
				 (reg & 0xfc), 4));
	assert_true(iobus__write(&t.pio, 0xcfc + (reg & 3), val, size));
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(t.nev, 0);	/* init calls no hook */
	assert_int_equal(cfg_read(0, 0, 0x00, 4), 0x12378086);
	assert_int_equal(cfg_read(0, 0, 0x08, 4), 0x06000002);
	assert_int_equal(cfg_read(0, 0, 0x2c, 4), 0x11001af4);
	assert_int_equal(cfg_read(0, 0, 0x0e, 1), 0x00);

	assert_int_equal(cfg_read(1, 0, 0x00, 4), 0x70008086);
	assert_int_equal(cfg_read(1, 0, 0x08, 4), 0x06010000);
	assert_int_equal(cfg_read(1, 0, 0x0e, 1), 0x80);	/* multi-fn */
	assert_int_equal(cfg_read(1, 0, 0x2c, 4), 0x11001af4);

	assert_int_equal(cfg_read(1, 1, 0x00, 4), 0x70108086);
	assert_int_equal(cfg_read(1, 1, 0x08, 4), 0x01018000);
	assert_int_equal(cfg_read(1, 1, 0x2c, 4), 0x11001af4);

	assert_int_equal(cfg_read(1, 3, 0x00, 4), 0x71138086);
	assert_int_equal(cfg_read(1, 3, 0x08, 4), 0x06800003);
	assert_int_equal(cfg_read(1, 3, 0x3c, 2), 0x0109);	/* INTA, 9 */
	assert_int_equal(cfg_read(1, 3, 0x2c, 4), 0x11001af4);

	assert_int_equal(cfg_read(1, 2, 0x00, 4), 0xffffffff);
	assert_int_equal(cfg_read(2, 0, 0x00, 4), 0xffffffff);
}

static void test_ide_bar4_read_only(void **state)
{
	(void)state;
	cfg_write(1, 1, 0x20, 0xffffffff, 4);
	assert_int_equal(cfg_read(1, 1, 0x20, 4), 0);
	cfg_write(1, 1, 0x20, 0xc001, 4);
	assert_int_equal(cfg_read(1, 1, 0x20, 4), 0);
	/* IDETIM is storage (firmware sets the decode enables). */
	cfg_write(1, 1, 0x40, 0x8000, 2);
	cfg_write(1, 1, 0x42, 0x8000, 2);
	assert_int_equal(cfg_read(1, 1, 0x40, 4), 0x80008000);
}

static void test_pam(void **state)
{
	(void)state;
	/* PAM0: only the high nibble, 0xF0000-0xFFFFF. */
	cfg_write(0, 0, 0x59, 0x33, 1);
	assert_int_equal(cfg_read(0, 0, 0x59, 1), 0x30);
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].kind, 'm');
	assert_int_equal(t.ev[0].a, 0xf0000);
	assert_int_equal(t.ev[0].b, 0x10000);
	assert_int_equal(t.ev[0].c, PAM_READ_WRITE);

	/* PAM1 both nibbles: C0000 read-only, C4000 write-only. */
	t.nev = 0;
	cfg_write(0, 0, 0x5a, 0x21, 1);
	assert_int_equal(t.nev, 2);
	assert_int_equal(t.ev[0].a, 0xc0000);
	assert_int_equal(t.ev[0].b, 0x4000);
	assert_int_equal(t.ev[0].c, PAM_READ_ONLY);
	assert_int_equal(t.ev[1].a, 0xc4000);
	assert_int_equal(t.ev[1].b, 0x4000);
	assert_int_equal(t.ev[1].c, PAM_WRITE_ONLY);

	/* Same value again: no call. */
	t.nev = 0;
	cfg_write(0, 0, 0x5a, 0x21, 1);
	assert_int_equal(t.nev, 0);

	/* Dword write of PAM3-6 (0x5c-0x5f): only PAM6 high nibble set,
	 * 0xEC000. */
	cfg_write(0, 0, 0x5c, 0x30000000, 4);
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].a, 0xec000);
	assert_int_equal(t.ev[0].b, 0x4000);
	assert_int_equal(t.ev[0].c, PAM_READ_WRITE);

	/* PAM2 low nibble = 0xC8000, PAM5 high = 0xE4000; reserved bits
	 * (3, 7) not writable. */
	t.nev = 0;
	cfg_write(0, 0, 0x5b, 0x8b, 1);
	assert_int_equal(cfg_read(0, 0, 0x5b, 1), 0x03);
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].a, 0xc8000);
	assert_int_equal(t.ev[0].c, PAM_READ_WRITE);
	t.nev = 0;
	cfg_write(0, 0, 0x5e, 0x10, 1);
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].a, 0xe4000);
	assert_int_equal(t.ev[0].c, PAM_READ_ONLY);

	/* Reset brings every changed segment back to disabled. */
	t.nev = 0;
	i440fx__reset(&t.chip);
	assert_int_equal(t.nev, 6);
	assert_int_equal(t.ev[0].a, 0xf0000);
	assert_int_equal(t.ev[0].c, PAM_DISABLED);
	assert_int_equal(t.ev[5].a, 0xec000);
	assert_int_equal(t.ev[5].c, PAM_DISABLED);
	assert_int_equal(cfg_read(0, 0, 0x58, 4), 0);
	assert_int_equal(cfg_read(0, 0, 0x5c, 4), 0);
}

static void test_smram(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x02);
	/* SeaBIOS opens the window: D_OPEN | G_SMRAME | C_BASE_SEG. */
	cfg_write(0, 0, 0x72, 0x4a, 1);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x4a);
	/* Everything set: C_BASE_SEG stays 010b, bit 7 reserved, and D_LCK
	 * closes D_OPEN. */
	cfg_write(0, 0, 0x72, 0xff, 1);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x3a);
	/* Locked: only D_CLS still writable. */
	cfg_write(0, 0, 0x72, 0x0a, 1);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x1a);
	cfg_write(0, 0, 0x72, 0x6a, 1);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x3a);
	/* Reset unlocks. */
	i440fx__reset(&t.chip);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x02);
	cfg_write(0, 0, 0x72, 0x4a, 1);
	assert_int_equal(cfg_read(0, 0, 0x72, 1), 0x4a);
	assert_int_equal(t.nev, 0);
}

static void test_pirq(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(1, 0, 0x60, 4), 0x80808080);
	cfg_write(1, 0, 0x60, 0x0b0a0b0a, 4);
	assert_int_equal(t.nev, 4);
	assert_int_equal(t.ev[0].kind, 'p');
	assert_int_equal(t.ev[0].a, 0);
	assert_int_equal(t.ev[0].c, 10);
	assert_int_equal(t.ev[1].a, 1);
	assert_int_equal(t.ev[1].c, 11);
	assert_int_equal(t.ev[3].a, 3);
	assert_int_equal(t.ev[3].c, 11);

	/* Disable PIRQC (bit 7), route PIRQD to a reserved IRQ (13). */
	t.nev = 0;
	cfg_write(1, 0, 0x62, 0x8a, 1);
	cfg_write(1, 0, 0x63, 0x0d, 1);
	assert_int_equal(t.nev, 2);
	assert_int_equal(t.ev[0].a, 2);
	assert_int_equal(t.ev[0].c, -1);
	assert_int_equal(t.ev[1].a, 3);
	assert_int_equal(t.ev[1].c, -1);
	/* Reserved bits 6:4 stay 0. */
	cfg_write(1, 0, 0x61, 0x7b, 1);
	assert_int_equal(cfg_read(1, 0, 0x61, 1), 0x0b);
}

static void test_pm_io(void **state)
{
	(void)state;
	assert_int_equal(cfg_read(1, 3, 0x40, 4), 0x00000001);
	/* SeaBIOS: PMBASE = 0x600 | 1, then PMREGMISC = 1. */
	cfg_write(1, 3, 0x40, 0x601, 4);
	assert_int_equal(cfg_read(1, 3, 0x40, 4), 0x601);
	assert_int_equal(t.nev, 0);	/* not enabled yet */
	cfg_write(1, 3, 0x80, 0x01, 1);
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].kind, 'a');
	assert_int_equal(t.ev[0].a, 0x600);
	assert_int_equal(t.ev[0].c, 1);
	/* Only bits 15:6 are an address. */
	cfg_write(1, 3, 0x40, 0xffffb07f, 4);
	assert_int_equal(cfg_read(1, 3, 0x40, 4), 0xb041);
	assert_int_equal(t.nev, 2);
	assert_int_equal(t.ev[1].a, 0xb040);
	assert_int_equal(t.ev[1].c, 1);
	/* PMREGMISC: only bit 0. */
	cfg_write(1, 3, 0x80, 0xfe, 1);
	assert_int_equal(cfg_read(1, 3, 0x80, 1), 0x00);
	assert_int_equal(t.nev, 3);
	assert_int_equal(t.ev[2].a, 0xb040);
	assert_int_equal(t.ev[2].c, 0);
	/* SMBus base: stored, bit 0 reads 1, no hook. */
	cfg_write(1, 3, 0x90, 0xffffffff, 4);
	assert_int_equal(cfg_read(1, 3, 0x90, 4), 0xfff1);
	assert_int_equal(t.nev, 3);
	/* DEVACTB APMC_EN reads 1 (no SMM to set up). */
	assert_int_equal(cfg_read(1, 3, 0x58, 4) >> 25 & 1, 1);
}

static void test_reset_control(void **state)
{
	uint64_t v;

	(void)state;
	assert_true(iobus__write(&t.pio, 0xcf9, 0x02, 1));
	assert_int_equal(t.nev, 0);
	assert_true(iobus__read(&t.pio, 0xcf9, 1, &v));
	assert_int_equal(v, 0x02);
	assert_true(iobus__write(&t.pio, 0xcf9, 0x06, 1));
	assert_int_equal(t.nev, 1);
	assert_int_equal(t.ev[0].kind, 'r');
	assert_int_equal(t.ev[0].c, 1);		/* hard */
	assert_true(iobus__write(&t.pio, 0xcf9, 0x04, 1));
	assert_int_equal(t.nev, 2);
	assert_int_equal(t.ev[1].c, 0);		/* soft */
	/* CONFIG_ADDRESS still works next to it. */
	assert_int_equal(cfg_read(0, 0, 0x00, 2), 0x8086);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ide_bar4_read_only, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pam, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pirq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pm_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_control, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
