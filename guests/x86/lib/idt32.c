/* idt32.c - 32-bit IDT: interrupt gates to the isr32.S stubs. */
#include "guest.h"
#include "idt.h"

extern char isr_stubs[];

struct gate32 {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

static struct gate32 idt[256] __attribute__((aligned(16)));
static isr_handler handlers[256];

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint32_t off = (uint32_t)(uintptr_t)isr_stubs + v * 16;
		idt[v].off_lo = (uint16_t)off;
		idt[v].sel = 0x08;
		idt[v].zero = 0;
		idt[v].type = 0x8E;               /* present, DPL0, 32-bit interrupt gate */
		idt[v].off_hi = (uint16_t)(off >> 16);
	}
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void idt_set_handler(unsigned vec, isr_handler h)
{
	handlers[vec & 255] = h;
}

void isr_dispatch(struct frame *f);
void isr_dispatch(struct frame *f)
{
	isr_handler h = handlers[f->vec & 255];
	if (h) {
		h(f);
		return;
	}
	test_abort("unexpected vector", "vector %u, error code 0x%x, eip 0x%08x, cr2 0x%08lx",
		   (unsigned)f->vec, (unsigned)f->err, (unsigned)f->eip, read_cr2());
}
