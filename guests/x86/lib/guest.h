/* guest.h - the small common library of the x86 test guests.
 *
 *   serial.c   16550 COM1 output (polling LSR.THRE), printf, snprintf
 *   test.c     PASS/FAIL lines, failure count, isa-debug-exit
 *   pit.c      8254 channel 2 as a bounded timebase and a stopwatch,
 *              channel 0 rate setup
 *   pic.c      8259 pair: init (ICW1-4), masks, IRR/ISR reads
 *   cmdline.c  multiboot info: command line and key=value lookup
 *   string.c   memcpy/memset/memcmp/strlen (gcc may emit calls to these)
 *   lapic.h    xAPIC MMIO helpers, header only (32/64-bit guests)
 *   idt.h      IDT API shared by idt32.c and idt64.c
 *   idt32.c    32-bit IDT with per-vector C handlers (isr32.S stubs)
 *   idt64.c    64-bit IDT (isr64.S stubs), TSS with IST stacks
 *   start32.S  32-bit entry: stack, bss, GDT, calls guest_main()
 *   start64.S  64-bit entry: 1 GiB identity map, long mode, guest_main()
 *   mbheader.S multiboot v1 header
 *   realmode.h real-mode IVT helpers (rm_ivt.c, rm_stubs.S); rm.ld and
 *              rm_blob.S link a real-mode blob and embed it in a kernel
 *   link32.ld / link64.ld  load at 1 MiB (link64: ELF64, objcopy'd to ELF32)
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>
#include "x86.h"

/* ---- serial.c ---- */
#define COM1 0x3F8
void serial_init(void);
void serial_putc(char c);
void serial_puts(const char *s);
void serial_drain(void);                 /* wait until LSR.TEMT (all sent) */
/* No UART interrupt source enabled, nothing pending, all sent. */
void serial_irq_quiet(void);
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- test.c ---- */
extern const char *test_name;            /* set by the guest, used in DONE: */
/* Formats a check name into a static buffer (one at a time). */
const char *what_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "PASS: <what>" when ok, else "FAIL: <what> (<details>)" with the
 * details formatted from fmt.  Returns ok. */
int check(int ok, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void pass(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
unsigned test_checks(void);
unsigned test_failures(void);
/* Adds checks counted by another image of the same guest (the real-mode
 * blob of bootmgr_like) to this image's totals. */
void test_add_counts(unsigned checks, unsigned failed);
/* Prints "DONE: <test_name>: N checks, M failed" and exits through
 * isa-debug-exit with 0 (status 1) if nothing failed, else 1 (status 3). */
__attribute__((noreturn)) void test_finish(void);
/* Immediate exit: a FAIL line for what/why, then status 3. */
__attribute__((noreturn)) void test_abort(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* outl(0xF4, v): QEMU/hvsim exit with status (v << 1) | 1.  If no
 * isa-debug-exit device is present it halts forever with interrupts off. */
__attribute__((noreturn)) void debug_exit(uint32_t v);

/* ---- pit.c ---- */
#define PIT_HZ 1193182u
uint32_t pit_ms_to_ticks(uint32_t ms);
uint32_t pit_us_to_ticks(uint32_t us);
/* Channel 2 in mode 0 (gate via port 0x61 bit 0, OUT2 read as bit 5). */
void pit_ch2_start(uint16_t count);
int pit_ch2_out(void);
/* A deadline made of chained channel-2 one-shots; works for any length.
 * Every poll also counts against a poll budget so that a dead PIT cannot
 * hang the guest: pit_broken is set and the deadline counts as expired. */
struct deadline {
	uint32_t remaining;   /* PIT ticks still to run after the current chunk */
	uint32_t polls;
	uint32_t poll_limit;
};
extern int pit_broken;
void deadline_start_ticks(struct deadline *d, uint32_t ticks);
void deadline_start_ms(struct deadline *d, uint32_t ms);
void deadline_start_us(struct deadline *d, uint32_t us);
int deadline_expired(struct deadline *d);
/* Guests call this first: ends the guest with a FAIL line if channel 2
 * does not behave (OUT2 low after loading a count, high after it ran
 * out), since every bounded wait depends on it. */
void pit_check_timebase(void);
void pit_delay_ms(uint32_t ms);
void pit_delay_us(uint32_t us);
/* Wait until *flag != 0 or ms elapse; returns the final *flag. */
uint32_t wait_nonzero(volatile uint32_t *flag, uint32_t ms);
/* Wait until *v >= target or ms elapse; returns the final *v. */
uint32_t wait_at_least(volatile uint32_t *v, uint32_t target, uint32_t ms);
/* Channel 2 counter via the counter-latch command. */
uint16_t pit_ch2_read(void);
/* Rate of a counter (LAPIC CCR, TSC, ...) in units per millisecond of PIT
 * time.  Runs channel 2 free from 0xFFFF and takes two samples of rd(),
 * each bracketed by channel 2 counter reads no more than ~50 us apart, so
 * a pause of the (virtual) CPU anywhere in between cannot skew the result
 * (it can under QEMU TCG on a loaded host).  ms <= 40.  Returns 0 if no
 * clean measurement was possible in 5 tries. */
int pit_measure_rate(uint64_t (*rd)(void), uint32_t ms, uint64_t *per_ms);
/* A stopwatch for long polled stretches: chained 0xFFFF-tick channel-2
 * one-shots, the next started by stopwatch_poll() once OUT2 has risen.
 * It keeps time while it is polled at least every 54.9 ms; each lap loses
 * only the time between expiry and the poll that sees it. */
struct stopwatch {
	uint32_t laps;
};
void stopwatch_start(struct stopwatch *s);
void stopwatch_poll(struct stopwatch *s);
uint32_t stopwatch_ms(struct stopwatch *s);
/* Channel 0 periodic (mode 2, rate generator) at divisor. */
void pit_ch0_rate(uint16_t divisor);

/* ---- pic.c ---- */
void pic_init(uint8_t master_base, uint8_t slave_base);   /* ICW1-4, all masked */
void pic_set_mask(uint16_t mask);                          /* bit n = IRQ n */
uint16_t pic_get_mask(void);
uint16_t pic_read_irr(void);
uint16_t pic_read_isr(void);
void pic_eoi(unsigned irq);

/* ---- cmdline.c ---- */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};
extern uint32_t mb_magic, mb_info;       /* saved EAX / EBX at entry */
const char *mb_cmdline(void);            /* NULL if flags bit 2 is clear */
/* Finds "key=<number>" (decimal or 0x-hex) as a whitespace-separated word
 * of the command line.  Returns 1 and stores the value if found. */
int cmdline_uint(const char *key, uint32_t *val);

/* ---- string.c ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
uint64_t udiv64(uint64_t n, uint64_t d);  /* no libgcc in these guests */
int strncmp(const char *a, const char *b, size_t n);

/* Provided by each guest. */
void guest_main(void);

#endif
