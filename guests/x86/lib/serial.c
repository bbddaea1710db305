/* serial.c - COM1 16550 output by polling LSR bit 5 (THRE), and a small
 * printf/snprintf: %c %s %d %i %u %x %X %p %%, flags '0' '-', width, and
 * the length modifiers l and ll.  No libgcc: 64-bit decimal uses
 * shift/subtract. */
#include "guest.h"

#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_IIR 2
#define UART_MSR 6
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

/* Upper bound on LSR polls per character.  A UART that never reports THRE
 * must not hang the guest; after the bound the byte is written anyway. */
#define THRE_POLL_LIMIT 1000000u

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);      /* no UART interrupts */
	outb(COM1 + UART_LCR, 0x80);      /* DLAB */
	outb(COM1 + 0, 0x01);             /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);      /* 8N1, DLAB off */
	outb(COM1 + UART_FCR, 0xC7);      /* FIFO on, clear both, 14-byte trigger */
	outb(COM1 + UART_MCR, 0x0B);      /* DTR, RTS, OUT2 (IRQ gate on PCs) */
	/* Start on a fresh line: firmware may have left a partial line or
	 * escape sequences on the console before us. */
	serial_putc('\n');
}

void serial_irq_quiet(void)
{
	outb(COM1 + UART_IER, 0);
	serial_drain();
	(void)inb(COM1 + UART_IIR);
	(void)inb(COM1 + UART_LSR);
	(void)inb(COM1 + UART_MSR);
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	for (uint32_t i = 0; i < THRE_POLL_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_puts(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

void serial_drain(void)
{
	for (uint32_t i = 0; i < THRE_POLL_LIMIT; i++)
		if ((inb(COM1 + UART_LSR) & (LSR_THRE | LSR_TEMT)) == (LSR_THRE | LSR_TEMT))
			break;
}

/* 64-bit unsigned divide by 10 without libgcc helpers. */
static uint32_t divmod10(uint64_t *n)
{
	uint64_t q = 0, r = 0, v = *n;
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((v >> i) & 1);
		if (r >= 10) {
			r -= 10;
			q |= (uint64_t)1 << i;
		}
	}
	*n = q;
	return (uint32_t)r;
}

struct sink {
	void (*put)(struct sink *s, char c);
	char *buf;
	size_t size, len;
};

static void emit(struct sink *o, const char *buf, int len, int width, int left, char pad, int *count)
{
	int n = len < width ? width - len : 0;
	if (!left)
		for (int i = 0; i < n; i++)
			o->put(o, pad);
	for (int i = 0; i < len; i++)
		o->put(o, buf[i]);
	if (left)
		for (int i = 0; i < n; i++)
			o->put(o, ' ');
	*count += (len > width ? len : width);
}

static int vformat(struct sink *o, const char *fmt, va_list ap)
{
	int count = 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			o->put(o, *fmt);
			count++;
			continue;
		}
		fmt++;
		int left = 0, width = 0, lng = 0;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		char buf[24];
		int len = 0;
		uint64_t u;
		int neg = 0;
		switch (*fmt) {
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			emit(o, buf, 1, width, left, ' ', &count);
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			emit(o, s, (int)strlen(s), width, left, ' ', &count);
			continue;
		}
		case 'd':
		case 'i': {
			int64_t v;
			if (lng >= 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			neg = v < 0;
			u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			goto decimal;
		}
		case 'u':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
		decimal:
			do
				buf[len++] = (char)('0' + divmod10(&u));
			while (u);
			if (neg)
				buf[len++] = '-';
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			goto hex;
		case 'x':
		case 'X':
			if (lng >= 2)
				u = va_arg(ap, unsigned long long);
			else if (lng == 1)
				u = va_arg(ap, unsigned long);
			else
				u = va_arg(ap, unsigned int);
		hex:
			do {
				unsigned dgt = (unsigned)(u & 15);
				buf[len++] = (char)(dgt < 10 ? '0' + dgt : (*fmt == 'X' ? 'A' : 'a') + dgt - 10);
				u >>= 4;
			} while (u);
			break;
		case '%':
			o->put(o, '%');
			count++;
			continue;
		case 0:
			return count;
		default:
			o->put(o, '%');
			o->put(o, *fmt);
			count += 2;
			continue;
		}
		/* buf holds the digits reversed; zero padding goes between a
		 * minus sign and the digits. */
		char out[24];
		int n = 0;
		if (neg) {
			out[n++] = '-';
			len--;
			if (pad == '0' && !left)
				while (n + len < width && n < 22)
					out[n++] = '0';
		}
		while (len > 0)
			out[n++] = buf[--len];
		emit(o, out, n, width, left, neg ? ' ' : pad, &count);
	}
	return count;
}

static void put_serial(struct sink *s, char c)
{
	(void)s;
	serial_putc(c);
}

static void put_buf(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len++] = c;
}

int vprintf(const char *fmt, va_list ap)
{
	struct sink o = { put_serial, NULL, 0, 0 };
	return vformat(&o, fmt, ap);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink o = { put_buf, buf, size, 0 };
	int n = vformat(&o, fmt, ap);
	if (size)
		buf[o.len] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
