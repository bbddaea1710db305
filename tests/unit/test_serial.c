/* test_serial.c - 16550A registers, FIFOs, loopback and interrupts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "hvsim/iobus.h"
#include "hvsim/serial.h"

#define COM1 0x3f8
#define THR (COM1 + 0)
#define IER (COM1 + 1)
#define IIR (COM1 + 2)
#define FCR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

static struct iobus bus;
static struct serial uart;
static int irq_level, irq_raises;
static uint8_t seen[64];
static unsigned nseen;

static void irq_handler(void *opaque, int n, int level)
{
	(void)opaque;
	assert_int_equal(n, 4);
	if (level && !irq_level)
		irq_raises++;
	irq_level = level;
}

static void observer(void *opaque, uint8_t byte)
{
	(void)opaque;
	seen[nseen++] = byte;
}

static uint8_t inb(uint16_t port)
{
	uint64_t v;

	assert_true(iobus__read(&bus, port, 1, &v));
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	assert_true(iobus__write(&bus, port, v, 1));
}

static int setup(void **state)
{
	(void)state;
	irq_level = irq_raises = 0;
	nseen = 0;
	iobus__init(&bus, "pio", 0);
	serial__init(&uart, irq__line(irq_handler, NULL, 4), -1);
	uart.on_tx = observer;
	assert_int_equal(iobus__register(&bus, COM1, 8, &serial__ops, &uart),
			 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_reset_values_and_dlab(void **state)
{
	(void)state;
	assert_int_equal(inb(IER), 0x00);
	assert_int_equal(inb(IIR), 0x01);
	assert_int_equal(inb(LCR), 0x00);
	assert_int_equal(inb(MCR), 0x00);
	assert_int_equal(inb(LSR), 0x60);
	assert_int_equal(inb(MSR), 0xb0);	/* CTS, DSR, DCD */

	outb(LCR, 0x83);			/* DLAB, 8N1 */
	assert_int_equal(inb(THR), 0x0c);	/* power-on divisor */
	outb(THR, 0x01);			/* 115200 baud */
	outb(IER, 0x00);
	assert_int_equal(inb(THR), 0x01);
	assert_int_equal(inb(IER), 0x00);
	assert_int_equal(nseen, 0);		/* DLL write sent nothing */
	outb(LCR, 0x03);
	assert_int_equal(inb(LCR), 0x03);
	outb(IER, 0xff);
	assert_int_equal(inb(IER), 0x0f);	/* bits 7:4 read as zero */
	outb(IER, 0x00);
	outb(LCR, 0x83);
	assert_int_equal(inb(IER), 0x00);	/* DLM untouched */
	outb(LCR, 0x03);

	outb(SCR, 0x5a);
	assert_int_equal(inb(SCR), 0x5a);
	outb(MCR, 0xff);
	assert_int_equal(inb(MCR), 0x1f);
}

static void test_output_to_fd(void **state)
{
	int fds[2];
	char buf[8];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	uart.out_fd = fds[1];
	outb(THR, 'h');
	outb(THR, 'i');
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "hi", 2);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen[1], 'i');
	assert_int_equal(inb(LSR), 0x60);	/* THRE and TEMT at once */
	close(fds[0]);
	close(fds[1]);
}

static void test_loopback(void **state)
{
	int fds[2];
	char c;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	uart.out_fd = fds[1];

	/* RTS -> CTS, DTR -> DSR, OUT1 -> RI, OUT2 -> DCD */
	outb(MCR, 0x10 | 0x0a);			/* LOOP, OUT2, RTS */
	assert_int_equal(inb(MSR) & 0xf0, 0x90);
	outb(MCR, 0x10 | 0x05);			/* LOOP, OUT1, DTR */
	/* CTS and DCD fell, DSR and RI rose: RI's rise is no TERI */
	assert_int_equal(inb(MSR), 0x60 | 0x01 | 0x02 | 0x08);
	outb(MCR, 0x10);
	assert_int_equal(inb(MSR), 0x02 | 0x04);	/* DSR fell, RI fell */
	assert_int_equal(inb(MSR), 0x00);	/* deltas cleared by reading */

	outb(THR, 0x55);
	assert_int_equal(inb(LSR), 0x61);
	assert_int_equal(inb(THR), 0x55);
	assert_int_equal(inb(LSR), 0x60);
	assert_int_equal(read(fds[0], &c, 1), -1);	/* nothing went out */
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(nseen, 0);

	/* the line input is disconnected in loopback */
	assert_int_equal(serial__rx_room(&uart), 0);
	serial__push_input(&uart, (const uint8_t *)"x", 1);
	assert_int_equal(inb(LSR), 0x60);

	/* interrupts are identified but the OUT2 pin is inactive */
	outb(MCR, 0x18);
	outb(IER, 0x02);
	assert_int_equal(irq_level, 0);
	outb(MCR, 0x08);
	assert_int_equal(irq_level, 1);
	assert_int_equal(inb(IIR), 0x02);
	assert_int_equal(irq_level, 0);
	close(fds[0]);
	close(fds[1]);
}

static void test_fifo_and_overrun(void **state)
{
	uint8_t in[20];
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = 'a' + i;

	/* without FIFOs RBR holds one byte; the next overwrites it */
	assert_int_equal(serial__rx_room(&uart), 1);
	serial__push_input(&uart, in, 2);
	assert_int_equal(inb(LSR), 0x63);	/* DR, OE */
	assert_int_equal(inb(LSR), 0x61);	/* OE cleared by the read */
	assert_int_equal(inb(THR), 'b');
	assert_int_equal(inb(LSR), 0x60);

	outb(FCR, 0x01);
	assert_int_equal(inb(IIR), 0xc1);
	assert_int_equal(serial__rx_room(&uart), 16);
	serial__push_input(&uart, in, 20);
	assert_int_equal(serial__rx_room(&uart), 0);
	assert_int_equal(inb(LSR), 0x63);
	for (i = 0; i < 16; i++)
		assert_int_equal(inb(THR), 'a' + i);	/* 4 were lost */
	assert_int_equal(inb(LSR), 0x60);
	assert_int_equal(inb(THR), 'p');	/* RBR keeps the last byte */

	/* FCR bit 1 empties the RX FIFO */
	serial__push_input(&uart, in, 3);
	outb(FCR, 0x03);
	assert_int_equal(inb(LSR), 0x60);
	/* disabling the FIFOs empties them too */
	serial__push_input(&uart, in, 3);
	outb(FCR, 0x00);
	assert_int_equal(inb(LSR), 0x60);
	assert_int_equal(inb(IIR), 0x01);
}

static void test_rx_interrupt_and_trigger(void **state)
{
	uint8_t in[8] = "12345678";

	(void)state;
	outb(IER, 0x01);
	serial__push_input(&uart, in, 1);
	assert_int_equal(inb(IIR), 0x04);
	assert_int_equal(irq_level, 0);		/* OUT2 low: no line */
	outb(MCR, 0x08);
	assert_int_equal(irq_level, 1);
	assert_int_equal(inb(THR), '1');
	assert_int_equal(irq_level, 0);
	assert_int_equal(inb(IIR), 0x01);

	outb(FCR, 0x81);			/* FIFO, trigger at 8 */
	serial__push_input(&uart, in, 3);
	/* below the trigger: the (not timed) character timeout */
	assert_int_equal(inb(IIR), 0xcc);
	assert_int_equal(irq_level, 1);
	serial__push_input(&uart, in + 3, 5);
	assert_int_equal(inb(IIR), 0xc4);
	assert_int_equal(inb(THR), '1');
	assert_int_equal(inb(IIR), 0xcc);	/* 7 left, under 8 */
	while (inb(LSR) & 0x01)
		inb(THR);
	assert_int_equal(inb(IIR), 0xc1);
	assert_int_equal(irq_level, 0);

	outb(FCR, 0xc1);			/* trigger at 14 */
	serial__push_input(&uart, in, 8);
	serial__push_input(&uart, in, 5);
	assert_int_equal(inb(IIR), 0xcc);
	serial__push_input(&uart, in, 1);
	assert_int_equal(inb(IIR), 0xc4);
	outb(FCR, 0x41);			/* trigger at 4, FIFO kept */
	assert_int_equal(inb(IIR), 0xc4);
}

static void test_thre_interrupt(void **state)
{
	(void)state;
	outb(MCR, 0x08);
	outb(IER, 0x02);
	assert_int_equal(irq_level, 1);		/* THR empty when enabled */
	assert_int_equal(inb(IIR), 0x02);
	assert_int_equal(irq_level, 0);		/* acknowledged by the read */
	assert_int_equal(inb(IIR), 0x01);
	outb(THR, 'x');
	assert_int_equal(irq_level, 1);		/* sent: THR empty again */
	assert_int_equal(irq_raises, 2);
	outb(IER, 0x00);
	assert_int_equal(irq_level, 0);
	assert_int_equal(inb(IIR), 0x01);
	outb(IER, 0x02);			/* re-enabling raises it */
	assert_int_equal(inb(IIR), 0x02);
	assert_int_equal(irq_raises, 3);
}

static void test_interrupt_priorities(void **state)
{
	uint8_t b;
	unsigned i;

	(void)state;
	outb(FCR, 0x01);
	outb(MCR, 0x18);	/* loopback: CTS and DSR fall -> deltas */
	for (i = 0; i < 17; i++)
		outb(THR, 'A' + i);	/* the 17th overruns */
	outb(MCR, 0x08);	/* CTS and DSR rise again; FIFO kept */
	outb(IER, 0x0f);
	assert_int_equal(irq_level, 1);

	assert_int_equal(inb(IIR), 0xc6);	/* line status */
	assert_int_equal(inb(LSR), 0x63);
	assert_int_equal(inb(IIR), 0xc4);	/* data: 16 >= trigger 1 */
	for (i = 0; i < 16; i++) {
		b = inb(THR);
		assert_int_equal(b, 'A' + i);
	}
	assert_int_equal(inb(IIR), 0xc2);	/* THR empty */
	assert_int_equal(inb(IIR), 0xc0);	/* modem status */
	assert_int_equal(irq_level, 1);
	assert_int_equal(inb(MSR), 0xb0 | 0x03);
	assert_int_equal(inb(IIR), 0xc1);
	assert_int_equal(irq_level, 0);
}

static void test_reset(void **state)
{
	(void)state;
	outb(LCR, 0x80);
	outb(THR, 0x01);
	outb(LCR, 0x03);
	outb(FCR, 0x01);
	outb(MCR, 0x08);
	outb(IER, 0x01);
	serial__push_input(&uart, (const uint8_t *)"ab", 2);
	assert_int_equal(irq_level, 1);
	serial__reset(&uart);
	assert_int_equal(irq_level, 0);
	assert_int_equal(inb(IIR), 0x01);
	assert_int_equal(inb(LSR), 0x60);
	assert_int_equal(inb(IER), 0x00);
	assert_int_equal(inb(MCR), 0x00);
	outb(LCR, 0x80);
	assert_int_equal(inb(THR), 0x0c);
	assert_ptr_equal(uart.on_tx, observer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values_and_dlab,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_to_fd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_and_overrun, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rx_interrupt_and_trigger,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_thre_interrupt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_priorities,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
