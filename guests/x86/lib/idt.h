/* idt.h - interrupt descriptor tables with per-vector C handlers.
 *
 * Every vector has an assembly stub (isr32.S / isr64.S) that pushes an
 * error code (0 where the CPU pushes none) and the vector number, saves
 * the general registers and calls the dispatcher.  Vectors without a
 * registered handler are reported as
 *   FAIL: unexpected vector N (...)
 * and end the guest with status 3, so a stray exception or interrupt can
 * never hang or silently pass. */
#ifndef GUEST_IDT_H
#define GUEST_IDT_H

#include <stdint.h>

#if defined(__x86_64__)
struct frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vec, err;
	uint64_t rip, cs, rflags, rsp, ss;     /* pushed by the CPU */
};
#else
struct frame {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;   /* pushal */
	uint32_t vec, err;
	uint32_t eip, cs, eflags;             /* pushed by the CPU */
};
#endif

typedef void (*isr_handler)(struct frame *f);

/* Builds the IDT (all 256 gates present, DPL 0, interrupt gates). */
void idt_init(void);
/* Loads the IDT on this CPU (APs call only this). */
void idt_load(void);
void idt_set_handler(unsigned vec, isr_handler h);
#if defined(__x86_64__)
/* Makes the gate of vec switch to IST slot ist (1-7; 0 = no switch). */
void idt_set_ist(unsigned vec, unsigned ist);
/* Sets the stack top of IST slot ist (1-7) in the TSS. */
void tss_set_ist_stack(unsigned ist, void *top);
#endif

#endif
