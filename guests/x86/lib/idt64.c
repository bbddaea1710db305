/* idt64.c - 64-bit IDT (interrupt gates to the isr64.S stubs) and the TSS
 * that provides the IST stacks (GDT selector 0x20 of start64.S). */
#include "guest.h"
#include "idt.h"

extern char isr_stubs[];
extern uint64_t gdt64[];

struct gate64 {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

struct tss64 {
	uint32_t rsv0;
	uint64_t rsp[3];
	uint64_t rsv1;
	uint64_t ist[7];
	uint64_t rsv2;
	uint16_t rsv3, iomap;
} __attribute__((packed));

static struct gate64 idt[256] __attribute__((aligned(16)));
static isr_handler handlers[256];
static struct tss64 tss __attribute__((aligned(16)));

#define TSS_SEL 0x20

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		uint64_t off = (uint64_t)(uintptr_t)isr_stubs + v * 16;
		idt[v].off0 = (uint16_t)off;
		idt[v].sel = 0x18;
		idt[v].ist = 0;
		idt[v].type = 0x8E;               /* present, DPL0, 64-bit interrupt gate */
		idt[v].off1 = (uint16_t)(off >> 16);
		idt[v].off2 = (uint32_t)(off >> 32);
		idt[v].zero = 0;
	}
	/* 64-bit available TSS descriptor (type 9), 16 bytes. */
	uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
	tss.iomap = sizeof(tss);
	gdt64[TSS_SEL / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
			     (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt64[TSS_SEL / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" ::"r"((uint16_t)TSS_SEL));
	idt_load();
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

void idt_set_handler(unsigned vec, isr_handler h)
{
	handlers[vec & 255] = h;
}

void idt_set_ist(unsigned vec, unsigned ist)
{
	idt[vec & 255].ist = (uint8_t)(ist & 7);
}

void tss_set_ist_stack(unsigned ist, void *top)
{
	if (ist >= 1 && ist <= 7)
		tss.ist[ist - 1] = (uint64_t)(uintptr_t)top;
}

void isr_dispatch(struct frame *f);
void isr_dispatch(struct frame *f)
{
	isr_handler h = handlers[f->vec & 255];
	if (h) {
		h(f);
		return;
	}
	test_abort("unexpected vector", "vector %u, error code 0x%llx, rip 0x%llx, rsp 0x%llx, cr2 0x%llx",
		   (unsigned)f->vec, (unsigned long long)f->err, (unsigned long long)f->rip,
		   (unsigned long long)f->rsp, (unsigned long long)read_cr2());
}
