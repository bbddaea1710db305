/* serial.c - 16550A UART with instantaneous transmit (see serial.h). */
#include "hvsim/serial.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/log.h"

enum {
	UART_RBR = 0,	/* THR on write; DLL when LCR.DLAB */
	UART_IER = 1,	/* DLM when LCR.DLAB */
	UART_IIR = 2,	/* FCR on write */
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define IER_RDI		0x01	/* received data available (and timeout) */
#define IER_THRI	0x02	/* THR empty */
#define IER_RLSI	0x04	/* receiver line status */
#define IER_MSI		0x08	/* modem status */

/* IIR bits 3:0, in decreasing priority; bit 0 set = nothing pending */
#define IIR_RLSI	0x06
#define IIR_RDI		0x04
#define IIR_CTI		0x0c	/* character timeout */
#define IIR_THRI	0x02
#define IIR_MSI		0x00
#define IIR_NO_INT	0x01
#define IIR_FIFO	0xc0	/* FIFOs enabled */

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_TRIGGER	0xc0

#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_DCTS	0x01
#define MSR_DDSR	0x02
#define MSR_TERI	0x04
#define MSR_DDCD	0x08
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80

static bool fifo_on(const struct serial *s)
{
	return s->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const struct serial *s)
{
	return fifo_on(s) ? SERIAL_FIFO_SIZE : 1;
}

static unsigned rx_trigger(const struct serial *s)
{
	static const uint8_t level[4] = { 1, 4, 8, 14 };

	return fifo_on(s) ? level[s->fcr >> 6] : 1;
}

/*
 * The modem control inputs.  Outside loopback a terminal is connected:
 * CTS, DSR and DCD are asserted.  In loopback the outputs feed the inputs.
 */
static uint8_t modem_inputs(const struct serial *s)
{
	if (!(s->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	return ((s->mcr & MCR_RTS) ? MSR_CTS : 0) |
	       ((s->mcr & MCR_DTR) ? MSR_DSR : 0) |
	       ((s->mcr & MCR_OUT1) ? MSR_RI : 0) |
	       ((s->mcr & MCR_OUT2) ? MSR_DCD : 0);
}

/* The highest-priority pending interrupt as IIR bits 3:0. */
static uint8_t pending(const struct serial *s)
{
	if ((s->ier & IER_RLSI) && s->lsr_errors)
		return IIR_RLSI;
	if ((s->ier & IER_RDI) && s->rx_count)
		return s->rx_count >= rx_trigger(s) ? IIR_RDI : IIR_CTI;
	if ((s->ier & IER_THRI) && s->thr_ipending)
		return IIR_THRI;
	if ((s->ier & IER_MSI) && s->msr_delta)
		return IIR_MSI;
	return IIR_NO_INT;
}

static void update_irq(struct serial *s)
{
	/* PC wiring: the INTR pin reaches the PIC only while the OUT2 pin is
	 * active, and loopback forces that pin inactive. */
	int level = pending(s) != IIR_NO_INT &&
		    (s->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;

	if (level != s->irq_level) {
		s->irq_level = level;
		trace(TRACE_IRQ, "serial: irq %d\n", level);
		irq__set(&s->irq, level);
	}
}

static void rx_clear(struct serial *s)
{
	s->rx_head = 0;
	s->rx_count = 0;
}

static void rx_put(struct serial *s, uint8_t byte)
{
	if (s->rx_count == rx_capacity(s)) {
		/* Overrun: a full FIFO keeps its bytes and the new one is
		 * lost; without FIFOs the new byte overwrites RBR. */
		s->lsr_errors |= LSR_OE;
		if (!fifo_on(s))
			s->rx[s->rx_head] = byte;
		return;
	}
	s->rx[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = byte;
	s->rx_count++;
}

static void output(struct serial *s, uint8_t byte)
{
	while (s->out_fd >= 0 && write(s->out_fd, &byte, 1) != 1) {
		if (errno == EINTR)
			continue;
		log__warn("serial: output stopped: %s\n", strerror(errno));
		s->out_fd = -1;
	}
	if (s->on_tx)
		s->on_tx(s->on_tx_opaque, byte);
}

static void transmit(struct serial *s, uint8_t byte)
{
	if (s->mcr & MCR_LOOP)
		rx_put(s, byte);
	else
		output(s, byte);
	/* The byte left THR at once: THR is empty again, a new THRE event. */
	s->thr_ipending = true;
}

static uint8_t read_reg(struct serial *s, unsigned reg)
{
	uint8_t v = 0;

	switch (reg) {
	case UART_RBR:
		if (s->lcr & LCR_DLAB)
			return s->dll;
		if (s->rx_count) {
			s->rbr = s->rx[s->rx_head];
			s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
			s->rx_count--;
		}
		v = s->rbr;
		break;
	case UART_IER:
		return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case UART_IIR:
		v = pending(s);
		/* Reading IIR while it reports THRE acknowledges THRE. */
		if (v == IIR_THRI)
			s->thr_ipending = false;
		if (fifo_on(s))
			v |= IIR_FIFO;
		break;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		v = (s->rx_count ? LSR_DR : 0) | s->lsr_errors | LSR_THRE |
		    LSR_TEMT;
		s->lsr_errors = 0;
		break;
	case UART_MSR:
		v = modem_inputs(s) | s->msr_delta;
		s->msr_delta = 0;
		break;
	case UART_SCR:
		return s->scr;
	}
	update_irq(s);
	return v;
}

static void write_mcr(struct serial *s, uint8_t v)
{
	uint8_t old = modem_inputs(s), now, changed;

	s->mcr = v & 0x1f;
	now = modem_inputs(s);
	changed = old ^ now;
	if (changed & MSR_CTS)
		s->msr_delta |= MSR_DCTS;
	if (changed & MSR_DSR)
		s->msr_delta |= MSR_DDSR;
	if ((old & MSR_RI) && !(now & MSR_RI))
		s->msr_delta |= MSR_TERI;	/* trailing edge only */
	if (changed & MSR_DCD)
		s->msr_delta |= MSR_DDCD;
}

static void write_fcr(struct serial *s, uint8_t v)
{
	/* Toggling FIFO enable empties the FIFOs; the other bits are only
	 * programmed together with FCR_ENABLE.  The TX FIFO is always
	 * empty, so its reset bit has nothing to do. */
	if ((v ^ s->fcr) & FCR_ENABLE)
		rx_clear(s);
	if (!(v & FCR_ENABLE)) {
		s->fcr = 0;
		return;
	}
	if (v & FCR_CLEAR_RX)
		rx_clear(s);
	s->fcr = v & (FCR_TRIGGER | FCR_ENABLE);
}

static void write_reg(struct serial *s, unsigned reg, uint8_t v)
{
	switch (reg) {
	case UART_RBR:
		if (s->lcr & LCR_DLAB)
			s->dll = v;
		else
			transmit(s, v);
		break;
	case UART_IER:
		if (s->lcr & LCR_DLAB) {
			s->dlm = v;
			break;
		}
		/* Enabling THRI while THR is empty (always, here) raises
		 * THRE even if it was acknowledged before; disabling it
		 * drops the latched source.  Guests rely on the former to
		 * kick transmission. */
		if ((s->ier ^ v) & IER_THRI)
			s->thr_ipending = v & IER_THRI;
		s->ier = v & 0x0f;
		break;
	case UART_IIR:
		write_fcr(s, v);
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		write_mcr(s, v);
		break;
	case UART_LSR:
	case UART_MSR:
		log__guest_error("serial", "write %#x to read-only "
				 "register %u\n", v, reg);
		break;
	case UART_SCR:
		s->scr = v;
		break;
	}
	update_irq(s);
}

/* The registers are 8 bits wide: wider accesses act on consecutive
 * registers, as an ISA bus splits them. */
static uint64_t serial_read(void *opaque, uint64_t offset, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size && offset + i < 8; i++)
		v |= (uint64_t)read_reg(opaque, offset + i) << (8 * i);
	return v;
}

static void serial_write(void *opaque, uint64_t offset, uint64_t value,
			 unsigned size)
{
	unsigned i;

	for (i = 0; i < size && offset + i < 8; i++)
		write_reg(opaque, offset + i, value >> (8 * i));
}

const struct iobus_ops serial__ops = {
	.name = "serial",
	.read = serial_read,
	.write = serial_write,
};

void serial__push_input(struct serial *s, const uint8_t *buf, size_t n)
{
	size_t i;

	/* In loopback the receiver is disconnected from the line. */
	if (s->mcr & MCR_LOOP)
		return;
	for (i = 0; i < n; i++)
		rx_put(s, buf[i]);
	update_irq(s);
}

size_t serial__rx_room(const struct serial *s)
{
	if (s->mcr & MCR_LOOP)
		return 0;
	return rx_capacity(s) - s->rx_count;
}

void serial__reset(struct serial *s)
{
	s->ier = s->lcr = s->mcr = s->scr = s->fcr = 0;
	s->lsr_errors = s->msr_delta = s->rbr = 0;
	s->thr_ipending = false;
	s->dll = 0x0c;	/* 9600 baud, the usual power-on divisor */
	s->dlm = 0;
	rx_clear(s);
	update_irq(s);
}

void serial__init(struct serial *s, struct irq irq, int out_fd)
{
	memset(s, 0, sizeof(*s));
	s->irq = irq;
	s->out_fd = out_fd;
	serial__reset(s);
}
