/* test_pci.c - PCI configuration mechanism #1, write masks, BAR sizing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/iobus.h"
#include "hvsim/pci.h"

struct fixture {
	struct iobus pio;
	struct pci_bus bus;
	struct pci_func f;
};

static struct fixture fx;

static int bar_calls, last_bar;
static uint32_t last_old, last_new;

static void bar_update(struct pci_func *f, int bar, uint32_t old_addr,
		       uint32_t new_addr)
{
	(void)f;
	bar_calls++;
	last_bar = bar;
	last_old = old_addr;
	last_new = new_addr;
}

static int setup(void **state)
{
	(void)state;
	iobus__init(&fx.pio, "pio", 0);
	pci__init(&fx.bus);
	assert_int_equal(pci__register_ports(&fx.bus, &fx.pio), 0);
	pci__func_init(&fx.f, "test", 0x1234, 0x5678, 0x9a, 0x020000);
	fx.f.bar_update = bar_update;
	bar_calls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&fx.pio);
	return 0;
}

static void out(uint16_t port, uint32_t val, unsigned size)
{
	assert_true(iobus__write(&fx.pio, port, val, size));
}

static uint32_t in(uint16_t port, unsigned size)
{
	uint64_t v;

	assert_true(iobus__read(&fx.pio, port, size, &v));
	return v;
}

static uint32_t cfg_addr(unsigned dev, unsigned fn, unsigned reg)
{
	return 0x80000000u | dev << 11 | fn << 8 | reg;
}

static void test_config_sizes(void **state)
{
	(void)state;
	assert_int_equal(pci__register(&fx.bus, 3, 0, &fx.f), 0);

	out(0xcf8, cfg_addr(3, 0, 0x00), 4);
	assert_int_equal(in(0xcf8, 4), cfg_addr(3, 0, 0x00));
	assert_int_equal(in(0xcfc, 4), 0x56781234);
	assert_int_equal(in(0xcfc, 2), 0x1234);
	assert_int_equal(in(0xcfe, 2), 0x5678);
	assert_int_equal(in(0xcfd, 1), 0x12);
	assert_int_equal(in(0xcff, 1), 0x56);

	out(0xcf8, cfg_addr(3, 0, 0x08), 4);
	assert_int_equal(in(0xcfc, 4), 0x0200009a);	/* class, revision */
	out(0xcf8, cfg_addr(3, 0, 0x2c), 4);
	assert_int_equal(in(0xcfc, 4), 0x11001af4);	/* QEMU subsystem */

	/* Byte write at offset 1 of the dword: latency timer (0x0d). */
	out(0xcf8, cfg_addr(3, 0, 0x0c), 4);
	out(0xcfd, 0x40, 1);
	assert_int_equal(fx.f.config[0x0d], 0x40);
	/* Word write to the device-specific area, dword read back. */
	out(0xcf8, cfg_addr(3, 0, 0x40), 4);
	out(0xcfe, 0xbeef, 2);
	out(0xcfc, 0xcafe, 2);
	assert_int_equal(in(0xcfc, 4), 0xbeefcafe);
	/* Read-only registers ignore writes. */
	out(0xcf8, cfg_addr(3, 0, 0x00), 4);
	out(0xcfc, 0xffffffff, 4);
	assert_int_equal(in(0xcfc, 4), 0x56781234);
	/* Command: only I/O, memory and master are writable. */
	out(0xcf8, cfg_addr(3, 0, 0x04), 4);
	out(0xcfc, 0xffff, 2);
	assert_int_equal(in(0xcfc, 2), 0x0007);
	/* CONFIG_ADDRESS bits 1:0 and 30:24 read as zero. */
	out(0xcf8, 0xff00ff03, 4);
	assert_int_equal(in(0xcf8, 4), 0x8000ff00);
}

static void test_absent_and_disabled(void **state)
{
	(void)state;
	assert_int_equal(pci__register(&fx.bus, 3, 0, &fx.f), 0);

	out(0xcf8, cfg_addr(4, 0, 0), 4);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
	assert_int_equal(in(0xcfe, 2), 0xffff);
	out(0xcf8, cfg_addr(3, 1, 0), 4);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
	/* Bus 1 does not exist. */
	out(0xcf8, cfg_addr(3, 0, 0) | 1 << 16, 4);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
	/* Enable bit clear: no configuration cycle. */
	out(0xcf8, cfg_addr(3, 0, 0) & ~0x80000000u, 4);
	assert_int_equal(in(0xcfc, 4), 0xffffffff);
	out(0xcfc, 0x7, 1);
	assert_int_equal(fx.f.config[4], 0);
	/* Byte access to 0xCF8 is not CONFIG_ADDRESS. */
	out(0xcf8, cfg_addr(3, 0, 0), 4);
	out(0xcf8, 0x00, 1);
	assert_int_equal(in(0xcf8, 4), cfg_addr(3, 0, 0));
	assert_int_equal(in(0xcf9, 1), 0xff);
}

static void test_register_and_multifunction(void **state)
{
	static struct pci_func f1;

	(void)state;
	pci__func_init(&f1, "fn1", 0x1234, 0x0001, 0, 0);
	assert_int_equal(pci__register(&fx.bus, 32, 0, &fx.f), -1);
	assert_int_equal(pci__register(&fx.bus, 0, 8, &fx.f), -1);
	assert_int_equal(pci__register(&fx.bus, 5, 0, &fx.f), 0);
	assert_int_equal(pci__register(&fx.bus, 5, 0, &f1), -1);
	assert_int_equal(pci__config_read(&fx.bus, 0, 5, 0, 0x0e, 1), 0x00);
	assert_int_equal(pci__register(&fx.bus, 5, 2, &f1), 0);
	assert_int_equal(pci__config_read(&fx.bus, 0, 5, 0, 0x0e, 1), 0x80);
	assert_int_equal(pci__config_read(&fx.bus, 0, 5, 2, 0x00, 4),
			 0x00011234);
	assert_int_equal(pci__config_read(&fx.bus, 0, 5, 1, 0x00, 4),
			 0xffffffff);
}

static void test_bar_sizing(void **state)
{
	(void)state;
	pci__set_bar(&fx.f, 0, 0x20, true);
	pci__set_bar(&fx.f, 1, 0x1000, false);
	assert_int_equal(pci__register(&fx.bus, 2, 0, &fx.f), 0);

	out(0xcf8, cfg_addr(2, 0, 0x10), 4);
	assert_int_equal(in(0xcfc, 4), 0x00000001);
	out(0xcfc, 0xffffffff, 4);
	assert_int_equal(in(0xcfc, 4), 0xffffffe1);
	out(0xcf8, cfg_addr(2, 0, 0x14), 4);
	assert_int_equal(in(0xcfc, 4), 0x00000000);
	out(0xcfc, 0xffffffff, 4);
	assert_int_equal(in(0xcfc, 4), 0xfffff000);
	/* Unimplemented BAR2 stays 0. */
	out(0xcf8, cfg_addr(2, 0, 0x18), 4);
	out(0xcfc, 0xffffffff, 4);
	assert_int_equal(in(0xcfc, 4), 0);
	assert_int_equal(bar_calls, 0);	/* decoding is off */

	/* Program addresses; the low bits are not writable. */
	out(0xcf8, cfg_addr(2, 0, 0x10), 4);
	out(0xcfc, 0xc03f, 4);
	assert_int_equal(in(0xcfc, 4), 0xc021);
	out(0xcf8, cfg_addr(2, 0, 0x14), 4);
	out(0xcfc, 0xfebf1234, 4);
	assert_int_equal(in(0xcfc, 4), 0xfebf1000);
	assert_int_equal(bar_calls, 0);

	/* I/O enable maps BAR0 only. */
	out(0xcf8, cfg_addr(2, 0, 0x04), 4);
	out(0xcfc, 0x0001, 2);
	assert_int_equal(bar_calls, 1);
	assert_int_equal(last_bar, 0);
	assert_int_equal(last_old, PCI_BAR_UNMAPPED);
	assert_int_equal(last_new, 0xc020);
	/* Memory enable maps BAR1. */
	out(0xcfc, 0x0003, 2);
	assert_int_equal(bar_calls, 2);
	assert_int_equal(last_bar, 1);
	assert_int_equal(last_new, 0xfebf1000);

	/* Moving BAR0 while enabled reports old and new. */
	out(0xcf8, cfg_addr(2, 0, 0x10), 4);
	out(0xcfc, 0xd000, 4);
	assert_int_equal(bar_calls, 3);
	assert_int_equal(last_bar, 0);
	assert_int_equal(last_old, 0xc020);
	assert_int_equal(last_new, 0xd000);
	/* Sizing while enabled unmaps, restoring maps again. */
	out(0xcfc, 0xffffffff, 4);
	assert_int_equal(bar_calls, 4);
	assert_int_equal(last_new, PCI_BAR_UNMAPPED);
	out(0xcfc, 0xd000, 4);
	assert_int_equal(bar_calls, 5);
	assert_int_equal(last_new, 0xd000);
	/* Disabling memory decode unmaps BAR1 only. */
	out(0xcf8, cfg_addr(2, 0, 0x04), 4);
	out(0xcfc, 0x0001, 2);
	assert_int_equal(bar_calls, 6);
	assert_int_equal(last_bar, 1);
	assert_int_equal(last_old, 0xfebf1000);
	assert_int_equal(last_new, PCI_BAR_UNMAPPED);
	assert_int_equal(fx.f.bar_addr[0], 0xd000);
}

static unsigned hook_reg, hook_size, hook_calls;

static void config_write_hook(struct pci_func *f, unsigned reg,
			      unsigned size)
{
	hook_calls++;
	hook_reg = reg;
	hook_size = size;
	assert_int_equal(f->config[0x50], 0x5a);	/* already merged */
}

static void test_config_write_hook(void **state)
{
	(void)state;
	fx.f.config_write = config_write_hook;
	fx.f.wmask[0x50] = 0x0f;
	fx.f.config[0x50] = 0x50;
	hook_calls = 0;
	assert_int_equal(pci__register(&fx.bus, 1, 0, &fx.f), 0);
	out(0xcf8, cfg_addr(1, 0, 0x50), 4);
	out(0xcfc, 0xaa, 1);
	assert_int_equal(hook_calls, 1);
	assert_int_equal(hook_reg, 0x50);
	assert_int_equal(hook_size, 1);
	assert_int_equal(in(0xcfc, 1), 0x5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_sizes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_absent_and_disabled, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_register_and_multifunction,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_sizing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_config_write_hook, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
