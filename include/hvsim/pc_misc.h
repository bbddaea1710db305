/*
 * pc_misc.h - small ISA devices of the pc machine.
 *
 *   debug_exit  isa-debug-exit, 4 ports at 0xF4: writing v ends the run
 *               with status (v << 1) | 1
 *   debugcon    QEMU debug console, 1 port at 0x402 (SeaBIOS's log)
 *   port92      System Control Port A at 0x92: A20 gate and fast reset
 *   i8042       keyboard controller at 0x60 (data) and 0x64 (status/cmd),
 *               with a keyboard that answers commands but has no keys, and
 *               no mouse: every byte sent to the aux port is answered with
 *               0xFE (resend), which PS/2 drivers take as "no device"
 *
 * A20 can be driven by both port 0x92 and the i8042 output port; each
 * calls its a20 callback when its own bit changes and the machine combines
 * them (QEMU: last write wins).  Both assume A20 enabled at reset.
 *
 * Reset and exit callbacks run inside the guest's port write: the machine
 * should only note the request there and act once the instruction ends,
 * calling the __reset functions (port 0x92 keeps bit 0 set until then).
 * The resets do not call the a20 callback: a machine reset enables A20.
 */
#ifndef HVSIM_PC_MISC_H
#define HVSIM_PC_MISC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/iobus.h"
#include "hvsim/irq.h"

struct debug_exit {
	void (*exit_cb)(void *opaque, int status);
	void *opaque;
};

void debug_exit__init(struct debug_exit *d,
		      void (*exit_cb)(void *opaque, int status), void *opaque);
extern const struct iobus_ops debug_exit__ops;	/* 4 ports at 0xF4 */

struct debugcon {
	int out_fd;		/* -1: output discarded */
};

void debugcon__init(struct debugcon *d, int out_fd);
extern const struct iobus_ops debugcon__ops;	/* 1 port at 0x402 */

struct port92 {
	uint8_t val;
	void (*a20)(void *opaque, bool enabled);
	void (*reset)(void *opaque);
	void *opaque;
};

void port92__init(struct port92 *p, void (*a20)(void *opaque, bool enabled),
		  void (*reset)(void *opaque), void *opaque);
void port92__reset(struct port92 *p);
extern const struct iobus_ops port92__ops;	/* 1 port at 0x92 */

#define I8042_QUEUE_SIZE 16

/* A byte queue towards the output buffer; aux marks mouse-side bytes. */
struct i8042_queue {
	uint8_t byte[I8042_QUEUE_SIZE];
	bool aux[I8042_QUEUE_SIZE];
	unsigned head, count;
};

struct i8042 {
	struct irq irq1, irq12;
	void (*a20)(void *opaque, bool enabled);
	void (*reset)(void *opaque);
	void *opaque;

	uint8_t ccb;		/* controller command byte */
	uint8_t outport;	/* output port: bit 0 reset, bit 1 A20 */
	bool sys;		/* status SYS flag */
	bool last_was_cmd;	/* status bit 3: last write went to 0x64 */
	uint8_t pending_cmd;	/* controller command awaiting its data byte */
	uint8_t kbd_cmd;	/* keyboard command awaiting its argument */
	uint8_t scancode_set;

	/* The output buffer; obf says it holds a byte, aux whose. */
	uint8_t out;
	bool obf, out_aux;
	/* Bytes waiting for it: controller replies first, then devices. */
	struct i8042_queue ctrl, kbd, mouse;
	int irq1_level, irq12_level;
};

void i8042__init(struct i8042 *k, struct irq irq1, struct irq irq12,
		 void (*a20)(void *opaque, bool enabled),
		 void (*reset)(void *opaque), void *opaque);
/* Machine reset: power-on state, queued bytes dropped, lines low. */
void i8042__reset(struct i8042 *k);
extern const struct iobus_ops i8042__data_ops;	/* 1 port at 0x60 */
extern const struct iobus_ops i8042__cmd_ops;	/* 1 port at 0x64 */

#endif
