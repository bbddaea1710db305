/* pic.c - the 8259A pair at 0x20/0xA0. */
#include "guest.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

void pic_init(uint8_t master_base, uint8_t slave_base)
{
	outb(PIC1_CMD, 0x11);              /* ICW1: edge, cascade, ICW4 needed */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, master_base);      /* ICW2: vector base */
	outb(PIC2_DATA, slave_base);
	outb(PIC1_DATA, 0x04);             /* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);             /* ICW3: slave identity 2 */
	outb(PIC1_DATA, 0x01);             /* ICW4: 8086 mode, normal EOI */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xFF);             /* OCW1: everything masked */
	outb(PIC2_DATA, 0xFF);
}

void pic_set_mask(uint16_t mask)
{
	outb(PIC1_DATA, (uint8_t)mask);
	outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

uint16_t pic_get_mask(void)
{
	return (uint16_t)(inb(PIC1_DATA) | (inb(PIC2_DATA) << 8));
}

uint16_t pic_read_irr(void)
{
	outb(PIC1_CMD, 0x0A);              /* OCW3: read IRR */
	outb(PIC2_CMD, 0x0A);
	return (uint16_t)(inb(PIC1_CMD) | (inb(PIC2_CMD) << 8));
}

uint16_t pic_read_isr(void)
{
	outb(PIC1_CMD, 0x0B);              /* OCW3: read ISR */
	outb(PIC2_CMD, 0x0B);
	uint16_t v = (uint16_t)(inb(PIC1_CMD) | (inb(PIC2_CMD) << 8));
	outb(PIC1_CMD, 0x0A);              /* back to IRR, the power-on default */
	outb(PIC2_CMD, 0x0A);
	return v;
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}
