/*
 * serial.h - 16550A UART (the PC's COM1: 8 ports at 0x3F8, IRQ 4).
 *
 * Transmission is instantaneous: a byte written to THR goes straight to
 * out_fd (and to the optional on_tx observer), so THR/TEMT are always
 * empty.  Received bytes are fed with serial__push_input() into the RX
 * FIFO (16 bytes, or a single RBR when FIFOs are disabled).
 *
 * There is no character timing, hence no character-timeout timer: input
 * arrives in whole bursts, so a FIFO holding fewer bytes than the trigger
 * level reports the timeout interrupt (IIR 0x0C) at once, as the real chip
 * would after four idle character times.
 *
 * As on PCs, the interrupt line is gated by MCR OUT2; in loopback mode the
 * OUT2 pin is forced inactive, so the line stays low.
 */
#ifndef HVSIM_SERIAL_H
#define HVSIM_SERIAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "hvsim/iobus.h"
#include "hvsim/irq.h"

#define SERIAL_FIFO_SIZE 16

struct serial {
	struct irq irq;
	int out_fd;			/* -1: output discarded */
	/* Optional observer of transmitted bytes (not of loopback ones);
	 * set it after serial__init(). */
	void (*on_tx)(void *opaque, uint8_t byte);
	void *on_tx_opaque;

	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;			/* last FCR write (write-only) */
	uint8_t lsr_errors;		/* LSR OE, cleared by reading LSR */
	uint8_t msr_delta;		/* MSR bits 3:0, cleared by reads */
	uint8_t rbr;			/* last byte read (RBR holds it) */
	bool thr_ipending;		/* THRE interrupt source latched */
	int irq_level;

	uint8_t rx[SERIAL_FIFO_SIZE];
	unsigned rx_head, rx_count;
};

void serial__init(struct serial *s, struct irq irq, int out_fd);
/* Machine reset (the MR pin): registers to their reset values, FIFOs
 * emptied, line low.  The output fd and observer stay. */
void serial__reset(struct serial *s);

/* Feeds received bytes; bytes that find the FIFO full are lost with an
 * overrun (LSR OE), as on the chip.  serial__rx_room() tells how many
 * bytes fit without overrun, for callers that want flow control. */
void serial__push_input(struct serial *s, const uint8_t *buf, size_t n);
size_t serial__rx_room(const struct serial *s);

extern const struct iobus_ops serial__ops;

#endif
