/* pc_misc.c - isa-debug-exit, debugcon, port 0x92 and the i8042. */
#include "hvsim/pc_misc.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/log.h"

/* ---- isa-debug-exit ------------------------------------------------ */

static uint64_t debug_exit_read(void *opaque, uint64_t offset, unsigned size)
{
	return 0;
}

static void debug_exit_write(void *opaque, uint64_t offset, uint64_t value,
			     unsigned size)
{
	struct debug_exit *d = opaque;

	/* Any port of the range, any width: odd statuses are the guest's. */
	d->exit_cb(d->opaque, (int)((value << 1) | 1));
}

const struct iobus_ops debug_exit__ops = {
	.name = "isa-debug-exit",
	.read = debug_exit_read,
	.write = debug_exit_write,
};

void debug_exit__init(struct debug_exit *d,
		      void (*exit_cb)(void *opaque, int status), void *opaque)
{
	d->exit_cb = exit_cb;
	d->opaque = opaque;
}

/* ---- debugcon ------------------------------------------------------ */

/* Reads return this so firmware can detect the port (QEMU's default). */
#define DEBUGCON_READBACK 0xe9

static uint64_t debugcon_read(void *opaque, uint64_t offset, unsigned size)
{
	return DEBUGCON_READBACK;
}

static void debugcon_write(void *opaque, uint64_t offset, uint64_t value,
			   unsigned size)
{
	struct debugcon *d = opaque;
	uint8_t buf[8];
	unsigned i, done = 0;

	for (i = 0; i < size; i++)
		buf[i] = value >> (8 * i);
	while (d->out_fd >= 0 && done < size) {
		ssize_t n = write(d->out_fd, buf + done, size - done);
		if (n > 0) {
			done += n;
		} else if (errno != EINTR) {
			log__warn("debugcon: output stopped: %s\n",
				  strerror(errno));
			d->out_fd = -1;
		}
	}
}

const struct iobus_ops debugcon__ops = {
	.name = "debugcon",
	.read = debugcon_read,
	.write = debugcon_write,
};

void debugcon__init(struct debugcon *d, int out_fd)
{
	d->out_fd = out_fd;
}

/* ---- port 0x92, System Control Port A ------------------------------- */

#define PORT92_FAST_RESET	0x01
#define PORT92_A20		0x02

static uint64_t port92_read(void *opaque, uint64_t offset, unsigned size)
{
	struct port92 *p = opaque;

	return p->val;
}

static void port92_write(void *opaque, uint64_t offset, uint64_t value,
			 unsigned size)
{
	struct port92 *p = opaque;
	uint8_t old = p->val;

	p->val = value;
	if ((old ^ p->val) & PORT92_A20)
		p->a20(p->opaque, p->val & PORT92_A20);
	/* The reset fires on the 0 -> 1 edge of bit 0. */
	if (!(old & PORT92_FAST_RESET) && (p->val & PORT92_FAST_RESET)) {
		trace(TRACE_MODE, "port92: fast reset\n");
		p->reset(p->opaque);
	}
}

const struct iobus_ops port92__ops = {
	.name = "port92",
	.read = port92_read,
	.write = port92_write,
};

void port92__reset(struct port92 *p)
{
	p->val = PORT92_A20;
}

void port92__init(struct port92 *p, void (*a20)(void *opaque, bool enabled),
		  void (*reset)(void *opaque), void *opaque)
{
	port92__reset(p);
	p->a20 = a20;
	p->reset = reset;
	p->opaque = opaque;
}

/* ---- i8042 keyboard controller ------------------------------------- */

#define STS_OBF		0x01
#define STS_SYS		0x04
#define STS_CMD		0x08	/* last write was a command (A2) */
#define STS_UNLOCKED	0x10	/* keyboard not inhibited by the key lock */
#define STS_AUX_OBF	0x20

#define CCB_KBD_INT	0x01
#define CCB_AUX_INT	0x02
#define CCB_SYS		0x04
#define CCB_KBD_DISABLE	0x10
#define CCB_AUX_DISABLE	0x20
#define CCB_XLATE	0x40	/* translate set 2 to set 1 */

#define OUT_RESET	0x01	/* 0 holds the CPU in reset */
#define OUT_A20		0x02
#define OUT_OBF		0x10	/* IRQ1 line */
#define OUT_AUX_OBF	0x20	/* IRQ12 line */
#define OUT_UNUSED	0xcc	/* read back as ones, as on QEMU */

enum {
	CMD_READ_CCB = 0x20,
	CMD_WRITE_CCB = 0x60,
	CMD_AUX_DISABLE = 0xa7,
	CMD_AUX_ENABLE = 0xa8,
	CMD_AUX_TEST = 0xa9,
	CMD_SELF_TEST = 0xaa,
	CMD_KBD_TEST = 0xab,
	CMD_KBD_DISABLE = 0xad,
	CMD_KBD_ENABLE = 0xae,
	CMD_READ_OUTPORT = 0xd0,
	CMD_WRITE_OUTPORT = 0xd1,
	CMD_WRITE_KBD_OBUF = 0xd2,
	CMD_WRITE_AUX_OBUF = 0xd3,
	CMD_WRITE_AUX = 0xd4,
	CMD_PULSE_FIRST = 0xf0,	/* 0xF0-0xFF pulse the output port bits */
};

enum {
	KBD_SET_LEDS = 0xed,
	KBD_ECHO = 0xee,
	KBD_SCANCODE_SET = 0xf0,
	KBD_GET_ID = 0xf2,
	KBD_SET_RATE = 0xf3,
	KBD_ENABLE = 0xf4,
	KBD_RESET_DISABLE = 0xf5,
	KBD_LAST_SET3 = 0xfd,	/* 0xF6-0xFD: defaults and set-3 modes */
	KBD_RESET = 0xff,
};

#define KBD_ACK		0xfa
#define KBD_RESEND	0xfe
#define KBD_BAT_OK	0xaa
#define KBD_ID1		0xab
#define KBD_ID2		0x83	/* MF2 keyboard */
#define KBD_ID2_XLATE	0x41	/* the same through set 1 translation */

static void queue_put(struct i8042_queue *q, uint8_t byte, bool aux)
{
	unsigned i;

	if (q->count == I8042_QUEUE_SIZE) {
		log__guest_error("i8042", "output queue full, %#x lost\n",
				 byte);
		return;
	}
	i = (q->head + q->count++) % I8042_QUEUE_SIZE;
	q->byte[i] = byte;
	q->aux[i] = aux;
}

static bool queue_get(struct i8042_queue *q, uint8_t *byte, bool *aux)
{
	if (!q->count)
		return false;
	*byte = q->byte[q->head];
	*aux = q->aux[q->head];
	q->head = (q->head + 1) % I8042_QUEUE_SIZE;
	q->count--;
	return true;
}

static void set_line(const struct irq *line, int *cur, int level, int n)
{
	if (level != *cur) {
		*cur = level;
		trace(TRACE_IRQ, "i8042: irq%d %d\n", n, level);
		irq__set(line, level);
	}
}

/* IRQ1 and IRQ12 follow the output buffer. */
static void drive_lines(struct i8042 *k)
{
	set_line(&k->irq1, &k->irq1_level,
		 k->obf && !k->out_aux && (k->ccb & CCB_KBD_INT), 1);
	set_line(&k->irq12, &k->irq12_level,
		 k->obf && k->out_aux && (k->ccb & CCB_AUX_INT), 12);
}

/* Loads the output buffer if it is free (controller replies first, then
 * bytes of enabled devices) and drives the lines. */
static void update(struct i8042 *k)
{
	if (!k->obf) {
		k->obf = queue_get(&k->ctrl, &k->out, &k->out_aux) ||
			 (!(k->ccb & CCB_KBD_DISABLE) &&
			  queue_get(&k->kbd, &k->out, &k->out_aux)) ||
			 (!(k->ccb & CCB_AUX_DISABLE) &&
			  queue_get(&k->mouse, &k->out, &k->out_aux));
	}
	drive_lines(k);
}

static void reply(struct i8042 *k, uint8_t byte)
{
	queue_put(&k->ctrl, byte, false);
}

static void kbd_reply(struct i8042 *k, uint8_t byte)
{
	queue_put(&k->kbd, byte, false);
}

/* A byte sent to the keyboard: a command, or the argument of the last. */
static void kbd_write(struct i8042 *k, uint8_t v)
{
	/* what "F0 00" reports, indexed by set, translated or not */
	static const uint8_t set_id[2][4] = { { 0, 1, 2, 3 },
					      { 0, 0x43, 0x41, 0x3f } };
	bool xlate = k->ccb & CCB_XLATE;
	uint8_t cmd = k->kbd_cmd;

	k->kbd_cmd = 0;
	switch (cmd) {
	case KBD_SET_LEDS:
	case KBD_SET_RATE:
		kbd_reply(k, KBD_ACK);
		return;
	case KBD_SCANCODE_SET:
		kbd_reply(k, KBD_ACK);
		if (v == 0)
			kbd_reply(k, set_id[xlate][k->scancode_set]);
		else if (v <= 3)
			k->scancode_set = v;
		return;
	}

	switch (v) {
	case KBD_SET_LEDS:
	case KBD_SCANCODE_SET:
	case KBD_SET_RATE:
		kbd_reply(k, KBD_ACK);
		k->kbd_cmd = v;
		break;
	case KBD_ECHO:
		kbd_reply(k, KBD_ECHO);
		break;
	case KBD_GET_ID:
		kbd_reply(k, KBD_ACK);
		kbd_reply(k, KBD_ID1);
		kbd_reply(k, xlate ? KBD_ID2_XLATE : KBD_ID2);
		break;
	case KBD_ENABLE:
	case KBD_RESET_DISABLE ... KBD_LAST_SET3:
		kbd_reply(k, KBD_ACK);
		break;
	case KBD_RESET:
		k->scancode_set = 2;
		kbd_reply(k, KBD_ACK);
		kbd_reply(k, KBD_BAT_OK);
		break;
	default:
		kbd_reply(k, KBD_RESEND);
	}
}

static void write_outport(struct i8042 *k, uint8_t v)
{
	uint8_t old = k->outport;

	k->outport = v;
	if ((old ^ v) & OUT_A20)
		k->a20(k->opaque, v & OUT_A20);
	if (!(v & OUT_RESET)) {
		trace(TRACE_MODE, "i8042: reset through the output port\n");
		k->reset(k->opaque);
	}
}

static uint64_t i8042_data_read(void *opaque, uint64_t offset, unsigned size)
{
	struct i8042 *k = opaque;

	/* An empty buffer reads its last byte again.  Reading drops the
	 * line before the next byte loads, so that byte raises a new edge
	 * (the PIC inputs are edge-triggered). */
	if (k->obf) {
		uint8_t v = k->out;

		k->obf = false;
		drive_lines(k);
		update(k);
		return v;
	}
	return k->out;
}

static void i8042_data_write(void *opaque, uint64_t offset, uint64_t value,
			     unsigned size)
{
	struct i8042 *k = opaque;
	uint8_t v = value;
	uint8_t cmd = k->pending_cmd;

	k->last_was_cmd = false;
	k->pending_cmd = 0;
	switch (cmd) {
	case CMD_WRITE_CCB:
		k->ccb = v;
		k->sys = v & CCB_SYS;
		break;
	case CMD_WRITE_OUTPORT:
		write_outport(k, v);
		break;
	case CMD_WRITE_KBD_OBUF:
		queue_put(&k->ctrl, v, false);
		break;
	case CMD_WRITE_AUX_OBUF:
		queue_put(&k->ctrl, v, true);
		break;
	case CMD_WRITE_AUX:
		/* Sending enables the aux interface; nobody answers. */
		k->ccb &= ~CCB_AUX_DISABLE;
		queue_put(&k->mouse, KBD_RESEND, true);
		break;
	default:
		/* Sending to the keyboard enables its interface. */
		k->ccb &= ~CCB_KBD_DISABLE;
		kbd_write(k, v);
	}
	update(k);
}

static uint64_t i8042_status_read(void *opaque, uint64_t offset,
				  unsigned size)
{
	struct i8042 *k = opaque;

	return (k->obf ? STS_OBF : 0) | (k->sys ? STS_SYS : 0) |
	       (k->last_was_cmd ? STS_CMD : 0) | STS_UNLOCKED |
	       (k->obf && k->out_aux ? STS_AUX_OBF : 0);
}

static void i8042_cmd_write(void *opaque, uint64_t offset, uint64_t value,
			    unsigned size)
{
	struct i8042 *k = opaque;
	uint8_t cmd = value;

	k->last_was_cmd = true;
	k->pending_cmd = 0;
	switch (cmd) {
	case CMD_READ_CCB:
		reply(k, k->ccb);
		break;
	case CMD_WRITE_CCB:
	case CMD_WRITE_OUTPORT:
	case CMD_WRITE_KBD_OBUF:
	case CMD_WRITE_AUX_OBUF:
	case CMD_WRITE_AUX:
		k->pending_cmd = cmd;
		break;
	case CMD_AUX_DISABLE:
		k->ccb |= CCB_AUX_DISABLE;
		break;
	case CMD_AUX_ENABLE:
		k->ccb &= ~CCB_AUX_DISABLE;
		break;
	case CMD_AUX_TEST:
	case CMD_KBD_TEST:
		reply(k, 0x00);	/* no clock or data line stuck */
		break;
	case CMD_SELF_TEST:
		k->sys = true;
		reply(k, 0x55);
		break;
	case CMD_KBD_DISABLE:
		k->ccb |= CCB_KBD_DISABLE;
		break;
	case CMD_KBD_ENABLE:
		k->ccb &= ~CCB_KBD_DISABLE;
		break;
	case CMD_READ_OUTPORT:
		reply(k, (k->outport & ~(OUT_OBF | OUT_AUX_OBF)) |
			 (k->irq1_level ? OUT_OBF : 0) |
			 (k->irq12_level ? OUT_AUX_OBF : 0));
		break;
	default:
		if (cmd >= CMD_PULSE_FIRST) {
			/* pulses the output bits whose command bit is 0:
			 * only bit 0, the reset line, does anything */
			if (!(cmd & OUT_RESET)) {
				trace(TRACE_MODE, "i8042: reset pulse\n");
				k->reset(k->opaque);
			}
			break;
		}
		log__unimp("i8042", "controller command %#x\n", cmd);
	}
	update(k);
}

const struct iobus_ops i8042__data_ops = {
	.name = "i8042-data",
	.read = i8042_data_read,
	.write = i8042_data_write,
};

const struct iobus_ops i8042__cmd_ops = {
	.name = "i8042-cmd",
	.read = i8042_status_read,
	.write = i8042_cmd_write,
};

void i8042__reset(struct i8042 *k)
{
	/* QEMU's power-on state: both interrupts on, A20 on, no SYS */
	k->ccb = CCB_KBD_INT | CCB_AUX_INT;
	k->outport = OUT_UNUSED | OUT_A20 | OUT_RESET;
	k->sys = false;
	k->last_was_cmd = true;
	k->pending_cmd = k->kbd_cmd = 0;
	k->scancode_set = 2;
	k->out = 0;
	k->obf = k->out_aux = false;
	memset(&k->ctrl, 0, sizeof(k->ctrl));
	memset(&k->kbd, 0, sizeof(k->kbd));
	memset(&k->mouse, 0, sizeof(k->mouse));
	drive_lines(k);
}

void i8042__init(struct i8042 *k, struct irq irq1, struct irq irq12,
		 void (*a20)(void *opaque, bool enabled),
		 void (*reset)(void *opaque), void *opaque)
{
	memset(k, 0, sizeof(*k));
	k->irq1 = irq1;
	k->irq12 = irq12;
	k->a20 = a20;
	k->reset = reset;
	k->opaque = opaque;
	i8042__reset(k);
}
