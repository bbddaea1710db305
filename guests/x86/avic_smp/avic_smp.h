/* avic_smp.h - shared by the files of the avic_smp guest: per-CPU state,
 * the AP command mailbox, vectors and the BSP's IPI helpers. */
#ifndef GUEST_AVIC_SMP_H
#define GUEST_AVIC_SMP_H

#include "guest.h"
#include "idt.h"
#include "lapic.h"

#define NCPUS        4            /* run with -smp 4: APIC IDs 0-3 */
#define CPU_OTHER    NCPUS        /* counts of a CPU we could not identify */

#define VEC_UART     0x34         /* IOAPIC pin 4, level */
#define VEC_WAKE     0x40         /* "look at your mailbox" */
#define VEC_TEST     0x50         /* the IPI every check counts */
#define VEC_SPURIOUS 0xFF

#define ICR_DEST_LOGICAL (1u << 11)
#define DFR_FLAT     0xFFFFFFFFu
#define DFR_CLUSTER  0x0FFFFFFFu

/* Mailbox commands, run by the AP in its idle loop with IF=0. */
enum ap_cmd {
	CMD_NONE,
	CMD_SET_LOGICAL,              /* DFR = arg0, then LDR = arg1 */
	CMD_SET_ID,                   /* xAPIC ID register = arg0 << 24 */
	CMD_CLI_HLT,                  /* HLT with IF=0 (only an NMI wakes it) */
};

struct cpu_state {
	volatile uint32_t cmd, arg0, arg1;
	volatile uint32_t cmd_done;           /* commands finished */
	volatile uint32_t idle;               /* 1: in STI;HLT, 2: in CLI;HLT */
	volatile uint32_t arrivals;           /* times ap_main ran (INIT/SIPI) */
	volatile uint32_t svr_at_entry, ldr_at_entry;
	volatile uint32_t apic_id;            /* ID register, read back by the CPU */
	volatile uint32_t ldr, dfr;           /* read back after CMD_SET_LOGICAL */
	volatile uint32_t n_test, n_nmi, n_wake, n_uart;
	volatile uint32_t test_eip, nmi_eip;  /* EIP the last VEC_TEST / NMI interrupted */
};
extern struct cpu_state cpus[NCPUS + 1];
extern volatile uint32_t ap_arrived, n_spurious;

/* idle.S: HLT points; the labels are the EIP right after each HLT. */
void ap_sti_hlt(void);
void ap_cli_hlt(void);
extern char ap_hlt_resume[], ap_clihlt_resume[];

/* ap.c */
int this_cpu(void);                       /* 0 = BSP, 1-3 = APs, CPU_OTHER */
void install_handlers(void);

/* ipi.c: BSP side. */
/* Sends VEC_TEST (ICR high = dest << 24, ICR low = VEC_TEST | mode) and
 * returns the set of CPUs (bit n = CPU n, bit 4 = unidentified) whose
 * VEC_TEST count went up, after waiting for all of `expect` and then 2 ms
 * for strays; *dup is set if any CPU got more than one (or the ICR
 * never went idle). */
uint32_t send_test_ipi(uint32_t dest, uint32_t mode, uint32_t expect, int *dup);
/* Posts cmd to each AP in the mask, wakes them (fixed IPI to all
 * excluding self) and waits for them to finish.  Returns 1 if all did. */
int run_cmd(uint32_t ap_mask, enum ap_cmd cmd, const uint32_t *arg0, const uint32_t *arg1);
/* Waits (bounded) until the AP sits in its STI;HLT idle point. */
int wait_idle(unsigned cpu, uint32_t state);

/* the tests, in the order guest_main runs them */
void test_halted_ipi(void);
void test_nmi(void);
void test_logical(void);
void test_init_sipi(void);
void test_apic_id_change(void);
void test_level_ioapic(void);

#endif
