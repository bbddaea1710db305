/* test_i8259.c - the 8259A PIC pair through its ports: initialisation,
 * masking, priority and rotation, EOI kinds, AEOI, poll, special mask and
 * special fully nested modes, spurious IRQ7/15, cascade, ELCR, ack
 * notifier. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/i8259.h"
#include "hvsim/iobus.h"
#include "hvsim/log.h"

static struct iobus bus;
static struct i8259 pic;
static int intr_level, intr_changes;
static int acked[32], nacked;

static void intr_handler(void *opaque, int n, int level)
{
	(void)opaque;
	(void)n;
	intr_level = level;
	intr_changes++;
}

static void ack_recorder(void *opaque, int irq)
{
	(void)opaque;
	if (nacked < 32)
		acked[nacked++] = irq;
}

static uint8_t in(uint16_t port)
{
	uint64_t v;

	assert_true(iobus__read(&bus, port, 1, &v));
	return v;
}

static void out(uint16_t port, uint8_t v)
{
	assert_true(iobus__write(&bus, port, v, 1));
}

static void pulse(int irq)
{
	i8259__set_irq(&pic, irq, 1);
	i8259__set_irq(&pic, irq, 0);
}

static uint8_t read_isr(uint16_t base)
{
	out(base, 0x0b);
	return in(base);
}

static uint8_t read_irr(uint16_t base)
{
	out(base, 0x0a);
	return in(base);
}

/* The PC BIOS / Linux sequence, vectors 0x20-0x2f, ICW4 as given. */
static void init_pair(uint8_t icw4_master, uint8_t icw4_slave)
{
	out(0x20, 0x11);
	out(0x21, 0x20);
	out(0x21, 0x04);
	out(0x21, icw4_master);
	out(0xa0, 0x11);
	out(0xa1, 0x28);
	out(0xa1, 0x02);
	out(0xa1, icw4_slave);
}

static int setup(void **state)
{
	(void)state;
	iobus__init(&bus, "pio", TRACE_PIO);
	intr_level = intr_changes = nacked = 0;
	i8259__init(&pic, irq__line(intr_handler, NULL, 0));
	assert_int_equal(i8259__register(&pic, &bus), 0);
	pic.ack_notify = ack_recorder;
	pic.ack_opaque = NULL;
	init_pair(0x01, 0x01);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_icw_sequence(void **state)
{
	(void)state;
	/* after ICW1-4 the next odd write is OCW1 */
	out(0x21, 0xfb);
	assert_int_equal(in(0x21), 0xfb);
	assert_int_equal(pic.chip[0].icw3, 0x04);
	assert_int_equal(pic.chip[1].icw3, 0x02);
	/* ICW1 clears the IMR */
	out(0x20, 0x11);
	assert_int_equal(in(0x21), 0x00);
	out(0x21, 0x20);
	out(0x21, 0x04);
	out(0x21, 0x01);

	/* single chip with ICW4: no ICW3, third odd write is OCW1 */
	out(0x20, 0x13);
	out(0x21, 0x50);
	out(0x21, 0x1d);	/* ICW4: SFNM, buffered master, 8086 */
	out(0x21, 0xaa);
	assert_int_equal(pic.chip[0].icw4, 0x1d);
	assert_int_equal(in(0x21), 0xaa);
	out(0x21, 0x00);
	pulse(1);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x51);

	/* cascade without ICW4: ICW2, ICW3, then OCW1; ICW4 reads as 0 */
	out(0x20, 0x10);
	out(0x21, 0x60);
	out(0x21, 0x04);
	out(0x21, 0x55);
	assert_int_equal(pic.chip[0].icw4, 0x00);
	assert_int_equal(in(0x21), 0x55);
}

static void test_mask(void **state)
{
	(void)state;
	out(0x21, 0x08);
	pulse(3);
	assert_int_equal(intr_level, 0);
	assert_int_equal(read_irr(0x20), 0x08);
	/* a 16-bit read reaches 0x20 (IRR) and 0x21 (IMR) */
	{
		uint64_t v;

		assert_true(iobus__read(&bus, 0x20, 2, &v));
		assert_int_equal(v, 0x0808);
	}
	out(0x21, 0x00);
	assert_int_equal(intr_level, 1);
	assert_true(i8259__output(&pic));
	/* masking again drops INT but keeps the request */
	out(0x21, 0x08);
	assert_int_equal(intr_level, 0);
	out(0x21, 0x00);
	assert_int_equal(i8259__ack(&pic), 0x23);
	assert_int_equal(intr_level, 0);
	assert_int_equal(read_isr(0x20), 0x08);
	assert_int_equal(read_irr(0x20), 0x00);
	/* a masked slave line is held back too */
	out(0xa1, 0x10);
	pulse(12);
	assert_int_equal(read_irr(0x20), 0x00);
	assert_int_equal(read_irr(0xa0), 0x10);
}

static void test_priority_and_nesting(void **state)
{
	(void)state;
	pulse(5);
	pulse(3);
	assert_int_equal(i8259__ack(&pic), 0x23);
	/* 5 waits behind 3 in service; 1 preempts */
	assert_int_equal(intr_level, 0);
	pulse(1);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x21);
	assert_int_equal(read_isr(0x20), 0x0a);
	out(0x20, 0x20);	/* non-specific EOI: the highest, IR1 */
	assert_int_equal(read_isr(0x20), 0x08);
	assert_int_equal(intr_level, 0);
	out(0x20, 0x20);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x25);
	out(0x20, 0x20);
	assert_int_equal(intr_level, 0);
}

static void test_specific_eoi(void **state)
{
	(void)state;
	pulse(3);
	assert_int_equal(i8259__ack(&pic), 0x23);
	pulse(1);
	assert_int_equal(i8259__ack(&pic), 0x21);
	out(0x20, 0x63);	/* specific EOI IR3, not the highest */
	assert_int_equal(read_isr(0x20), 0x02);
	out(0x20, 0x61);
	assert_int_equal(read_isr(0x20), 0x00);
}

static void test_rotation(void **state)
{
	(void)state;
	/* set priority: IR4 lowest, so IR5 is highest */
	out(0x20, 0xc4);
	pulse(3);
	pulse(5);
	assert_int_equal(i8259__ack(&pic), 0x25);
	assert_int_equal(intr_level, 0);	/* 3 is below 5 now */
	/* rotate on non-specific EOI: IR5 done and lowest, IR6 highest */
	out(0x20, 0xa0);
	assert_int_equal(pic.chip[0].lowest, 5);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(i8259__ack(&pic), 0x23);
	pulse(5);
	pulse(4);
	assert_int_equal(intr_level, 0);	/* both rank below IR3 */
	/* rotate on specific EOI IR3: IR3 lowest, IR4 highest */
	out(0x20, 0xe3);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(pic.chip[0].lowest, 3);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x24);
	out(0x20, 0x20);
	assert_int_equal(i8259__ack(&pic), 0x25);
	out(0x20, 0x20);
	out(0x20, 0xc7);	/* IR7 lowest: fixed priority again */
	pulse(0);
	pulse(6);
	assert_int_equal(i8259__ack(&pic), 0x20);
}

static void test_aeoi(void **state)
{
	(void)state;
	init_pair(0x03, 0x03);
	pulse(3);
	assert_int_equal(i8259__ack(&pic), 0x23);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(nacked, 1);
	assert_int_equal(acked[0], 3);
	/* no ISR: a lower request is taken at once */
	pulse(4);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x24);
	/* cascade with AEOI on both chips */
	pulse(10);
	assert_int_equal(i8259__ack(&pic), 0x2a);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(read_isr(0xa0), 0x00);
	/* rotate in AEOI mode: the acknowledged IR becomes lowest */
	out(0x20, 0x80);
	pulse(3);
	pulse(4);
	assert_int_equal(i8259__ack(&pic), 0x23);
	pulse(3);
	assert_int_equal(i8259__ack(&pic), 0x24);
	assert_int_equal(i8259__ack(&pic), 0x23);
	/* rotate in AEOI mode clear */
	out(0x20, 0x00);
	assert_false(pic.chip[0].rotate_aeoi);
}

static void test_poll(void **state)
{
	(void)state;
	out(0x20, 0x0c);
	assert_int_equal(in(0x20), 0x00);	/* no request */
	i8259__set_irq(&pic, 6, 1);
	out(0x20, 0x0c);
	assert_int_equal(in(0x20), 0x86);
	assert_int_equal(read_isr(0x20), 0x40);
	assert_int_equal(nacked, 1);
	assert_int_equal(acked[0], 6);
	assert_int_equal(intr_level, 0);
	/* the poll only lasts one read */
	assert_int_equal(in(0x20), 0x40);
	/* polling the master for a slave request gives IR2; the slave next */
	pulse(11);
	out(0x20, 0x0c);
	assert_int_equal(in(0x20), 0x82);
	assert_int_equal(nacked, 1);
	out(0xa0, 0x0c);
	assert_int_equal(in(0xa0), 0x83);
	assert_int_equal(nacked, 2);
	assert_int_equal(acked[1], 11);
	assert_int_equal(read_isr(0xa0), 0x08);
}

static void test_special_mask(void **state)
{
	(void)state;
	pulse(3);
	assert_int_equal(i8259__ack(&pic), 0x23);
	pulse(5);
	assert_int_equal(intr_level, 0);
	out(0x21, 0x08);	/* mask the level in service */
	assert_int_equal(intr_level, 0);
	out(0x20, 0x68);	/* set special mask mode */
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x25);
	assert_int_equal(read_isr(0x20), 0x28);
	/* in special mask mode an EOI must be specific */
	out(0x20, 0x65);
	out(0x20, 0x48);	/* reset special mask mode */
	pulse(6);
	assert_int_equal(intr_level, 0);	/* IR3 in service blocks again */
	out(0x20, 0x63);
	out(0x21, 0x00);
	assert_int_equal(i8259__ack(&pic), 0x26);
}

static void test_spurious_irq7(void **state)
{
	(void)state;
	out(0x4d0, 0x20);	/* IRQ5 level-triggered */
	i8259__set_irq(&pic, 5, 1);
	assert_int_equal(intr_level, 1);
	i8259__set_irq(&pic, 5, 0);	/* gone before INTA */
	assert_int_equal(intr_level, 0);
	assert_int_equal(i8259__ack(&pic), 0x27);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(nacked, 0);
}

static void test_spurious_irq15(void **state)
{
	(void)state;
	out(0x4d1, 0x04);	/* IRQ10 level-triggered */
	i8259__set_irq(&pic, 10, 1);
	assert_int_equal(intr_level, 1);
	i8259__set_irq(&pic, 10, 0);
	/* master IR2 latched the slave's edge and still requests */
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x2f);
	assert_int_equal(read_isr(0x20), 0x04);	/* master EOI needed */
	assert_int_equal(read_isr(0xa0), 0x00);
	assert_int_equal(nacked, 0);
	out(0x20, 0x20);
	assert_int_equal(read_isr(0x20), 0x00);
	assert_int_equal(intr_level, 0);
}

static void test_cascade(void **state)
{
	(void)state;
	pulse(12);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x2c);
	assert_int_equal(read_isr(0x20), 0x04);
	assert_int_equal(read_isr(0xa0), 0x10);
	assert_int_equal(acked[0], 12);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	/* two slave requests: the second follows the EOIs */
	pulse(12);
	pulse(8);
	assert_int_equal(i8259__ack(&pic), 0x28);
	assert_int_equal(intr_level, 0);
	out(0xa0, 0x20);
	assert_int_equal(intr_level, 0);	/* master IR2 still in service */
	out(0x20, 0x20);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x2c);
	/* a master IR above IR2 preempts a slave interrupt */
	pulse(1);
	assert_int_equal(i8259__ack(&pic), 0x21);
	assert_int_equal(nacked, 4);
	assert_int_equal(acked[3], 1);
}

static void test_slave_aeoi_back_to_back(void **state)
{
	(void)state;
	/* slave in AEOI keeps INT high across INTA with a second request:
	 * master IR2 must still see it after the master EOI */
	init_pair(0x01, 0x03);
	pulse(9);
	pulse(10);
	assert_int_equal(i8259__ack(&pic), 0x29);
	assert_int_equal(intr_level, 0);
	out(0x20, 0x20);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x2a);
	out(0x20, 0x20);
	assert_int_equal(intr_level, 0);
}

static void test_special_fully_nested(void **state)
{
	(void)state;
	/* fully nested: a higher slave request waits for the master EOI */
	pulse(12);
	assert_int_equal(i8259__ack(&pic), 0x2c);
	pulse(9);
	assert_int_equal(intr_level, 0);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	assert_int_equal(i8259__ack(&pic), 0x29);
	out(0xa0, 0x20);
	out(0x20, 0x20);

	init_pair(0x11, 0x01);	/* master SFNM */
	pulse(12);
	assert_int_equal(i8259__ack(&pic), 0x2c);
	pulse(9);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x29);
	assert_int_equal(read_isr(0xa0), 0x12);
	/* a lower slave request still waits */
	pulse(14);
	assert_int_equal(intr_level, 0);
	/* a master level below IR2 is still blocked by it */
	pulse(4);
	assert_int_equal(intr_level, 0);
}

static void test_elcr(void **state)
{
	(void)state;
	out(0x4d0, 0xff);
	out(0x4d1, 0xff);
	assert_int_equal(in(0x4d0), 0xf8);
	assert_int_equal(in(0x4d1), 0xde);
	out(0x4d0, 0x00);
	out(0x4d1, 0x02);	/* IRQ9 level */
	i8259__set_irq(&pic, 9, 1);
	assert_int_equal(i8259__ack(&pic), 0x29);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	/* still high: requests again after the EOIs */
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x29);
	i8259__set_irq(&pic, 9, 0);
	assert_int_equal(read_irr(0xa0), 0x00);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	assert_int_equal(intr_level, 0);
	/* edge lines: a line held high requests once */
	i8259__set_irq(&pic, 4, 1);
	assert_int_equal(i8259__ack(&pic), 0x24);
	out(0x20, 0x20);
	assert_int_equal(intr_level, 0);
	i8259__set_irq(&pic, 4, 1);
	assert_int_equal(intr_level, 0);
	i8259__set_irq(&pic, 4, 0);
	/* a latched edge survives the line going low */
	i8259__set_irq(&pic, 4, 1);
	i8259__set_irq(&pic, 4, 0);
	assert_int_equal(intr_level, 1);
	assert_int_equal(i8259__ack(&pic), 0x24);
}

static void test_ack_notifier_and_reinit(void **state)
{
	(void)state;
	out(0x21, 0xff);
	pulse(0);
	i8259__set_irq(&pic, 3, 1);
	assert_int_equal(read_irr(0x20), 0x09);
	/* re-initialisation drops the edge requests and tells the owners */
	out(0x20, 0x11);
	assert_int_equal(nacked, 2);
	assert_int_equal(acked[0], 0);
	assert_int_equal(acked[1], 3);
	out(0x21, 0x20);
	out(0x21, 0x04);
	out(0x21, 0x01);
	assert_int_equal(read_irr(0x20), 0x00);
	assert_int_equal(intr_level, 0);
	/* IR3 is still high: it needs a new edge */
	i8259__set_irq(&pic, 3, 1);
	assert_int_equal(intr_level, 0);
	i8259__set_irq(&pic, 3, 0);
	i8259__set_irq(&pic, 3, 1);
	assert_int_equal(i8259__ack(&pic), 0x23);
	assert_int_equal(acked[nacked - 1], 3);
}

static void test_reset(void **state)
{
	(void)state;
	out(0x4d0, 0x20);
	pulse(1);
	assert_int_equal(intr_level, 1);
	i8259__reset(&pic);
	assert_int_equal(intr_level, 0);
	assert_int_equal(in(0x4d0), 0x00);
	assert_int_equal(in(0x21), 0x00);
	assert_int_equal(read_irr(0x20), 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_icw_sequence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_nesting,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_specific_eoi, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aeoi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_mask, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_spurious_irq7, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_spurious_irq15, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cascade, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slave_aeoi_back_to_back,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_special_fully_nested,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_elcr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_notifier_and_reinit,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
