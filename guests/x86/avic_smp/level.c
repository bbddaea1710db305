/* level.c - a level-triggered IOAPIC interrupt handled on an AP.  The
 * COM1 16550 THRE interrupt (IER bit 1) holds IOAPIC pin 4 high until IIR
 * is read; the pin is routed level/active high to AP 2 (physical).  A
 * handler that reads IIR (drops the line) before EOI gets exactly one
 * interrupt; handlers that EOI with the line still high get it again
 * (remote IRR cleared by the EOI, the pin still asserted).  Under AVIC a
 * level EOI is not accelerated: it traps to the core, which tells the
 * IOAPIC.  Nothing is printed while the THRE interrupt is on (console
 * output would re-arm it). */
#include "avic_smp.h"

#define IOAPIC_BASE 0xFEC00000u
#define REDIR_LO(p) (0x10 + 2 * (p))
#define REDIR_HI(p) (0x11 + 2 * (p))
#define RTE_MASKED  (1u << 16)
#define RTE_LEVEL   (1u << 15)
#define RTE_RIRR    (1u << 14)
#define PIN_UART    4
#define TARGET      2            /* the AP that takes the interrupt */

#define UART_IER (COM1 + 1)
#define UART_IIR (COM1 + 2)

/* Only one CPU touches the IOAPIC at a time (the BSP while the line is
 * down, the AP's handler while it is up), and each does so with IF=0. */
static uint32_t ioapic_read(uint32_t reg)
{
	mmio_write32(IOAPIC_BASE, reg);
	return mmio_read32(IOAPIC_BASE + 0x10);
}

static void ioapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(IOAPIC_BASE, reg);
	mmio_write32(IOAPIC_BASE + 0x10, v);
}

static volatile uint32_t n_uart, n_wrong_cpu, uart_hold, uart_iir;
static volatile uint32_t rirr_in[4], rirr_after[4];

/* Entries 0 .. uart_hold-1 EOI with the THRE interrupt still asserted
 * (IIR unread); later ones read IIR first, which drops the line. */
static void on_uart(struct frame *f)
{
	(void)f;
	uint32_t i = n_uart++, k = i < 3 ? i : 3;
	if (this_cpu() != TARGET)
		n_wrong_cpu++;
	rirr_in[k] = (ioapic_read(REDIR_LO(PIN_UART)) & RTE_RIRR) != 0;
	if (i >= uart_hold)
		uart_iir = inb(UART_IIR);
	lapic_eoi();
	rirr_after[k] = (ioapic_read(REDIR_LO(PIN_UART)) & RTE_RIRR) != 0;
	if (i >= 16)
		outb(UART_IER, 0);                   /* runaway: stop the source */
}

/* One run: THRE interrupt on, wait for `want` deliveries and 5 ms more,
 * THRE off.  Returns the number of deliveries. */
static uint32_t run(uint32_t hold, uint32_t want, uint32_t *rirr_end)
{
	serial_irq_quiet();
	n_uart = 0;
	n_wrong_cpu = 0;
	uart_hold = hold;
	uart_iir = 0;
	for (int i = 0; i < 4; i++)
		rirr_in[i] = rirr_after[i] = 0xFF;
	outb(UART_IER, 0x02);                        /* THRE interrupt on: line up */
	wait_at_least(&n_uart, want, 200);
	pit_delay_ms(5);
	outb(UART_IER, 0);
	uint32_t n = n_uart;
	pit_delay_ms(1);                             /* a handler in flight ends */
	*rirr_end = (ioapic_read(REDIR_LO(PIN_UART)) & RTE_RIRR) != 0;
	return n;
}

void test_level_ioapic(void)
{
	uint32_t rirr_end;

	idt_set_handler(VEC_UART, on_uart);
	ioapic_write(REDIR_LO(PIN_UART), RTE_MASKED);
	ioapic_write(REDIR_HI(PIN_UART), cpus[TARGET].apic_id << 24);
	ioapic_write(REDIR_LO(PIN_UART), RTE_LEVEL | VEC_UART);

	/* Handler clears the cause, then EOIs: one delivery. */
	uint32_t n = run(0, 1, &rirr_end);
	uint32_t in0 = rirr_in[0], after0 = rirr_after[0], iir = uart_iir, wrong = n_wrong_cpu;
	check(n >= 1 && wrong == 0, "level: IOAPIC pin 4 (UART THRE) delivered to AP 2's handler",
	      "%u interrupts, %u on another CPU", (unsigned)n, (unsigned)wrong);
	check(n == 0 || (iir & 0x0F) == 0x02, "level: IIR shows THRE as the source", "IIR 0x%02x",
	      (unsigned)iir);
	check(n == 0 || (in0 == 1 && after0 == 0),
	      "level: remote IRR set while in service, cleared by the AP's EOI",
	      "remote IRR %u in the handler, %u after EOI", (unsigned)in0, (unsigned)after0);
	check(n == 1 && rirr_end == 0, "level: cause cleared before EOI: no further delivery",
	      "%u interrupts, remote IRR %u at the end", (unsigned)n, (unsigned)rirr_end);

	/* Two handlers EOI without clearing the cause: delivered again after
	 * each EOI; the third clears it. */
	n = run(2, 3, &rirr_end);
	check(n == 3 && n_wrong_cpu == 0 && rirr_end == 0,
	      "level: EOI without clearing the cause delivers again (remote IRR), until cleared",
	      "%u interrupts (expected 3), %u on another CPU, remote IRR %u at the end", (unsigned)n,
	      (unsigned)n_wrong_cpu, (unsigned)rirr_end);
	check(n < 3 || (rirr_in[1] == 1 && rirr_in[2] == 1 && rirr_after[2] == 0),
	      "level: remote IRR set on each re-delivery, clear after the last EOI",
	      "in service %u %u %u, after the last EOI %u", (unsigned)rirr_in[0],
	      (unsigned)rirr_in[1], (unsigned)rirr_in[2], (unsigned)rirr_after[2]);

	ioapic_write(REDIR_LO(PIN_UART), RTE_MASKED | RTE_LEVEL | VEC_UART);
	serial_irq_quiet();
}
