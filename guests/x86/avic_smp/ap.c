/* ap.c - the AP side of avic_smp: ap_main (called by ../smp/trampoline.S
 * after INIT-SIPI), the idle loop that runs mailbox commands, and the
 * interrupt handlers every CPU shares.
 *
 * A CPU is identified by its stack, not by its APIC ID (which a test
 * changes): the trampoline gives each arrival its own slot of ap_stacks,
 * and ap_main records which CPU (CPUID initial APIC ID, 1-3) owns it. */
#include "avic_smp.h"
#include "../smp/smp.h"

struct cpu_state cpus[NCPUS + 1];
volatile uint32_t ap_next_slot;                  /* trampoline: lock xadd */
volatile uint32_t ap_arrived, n_spurious;
static volatile uint8_t cpu_of_slot[MAX_APS];

extern char ap_stacks[];

int this_cpu(void)
{
	uintptr_t sp, base = (uintptr_t)ap_stacks;
	__asm__ volatile("mov %%esp, %0" : "=r"(sp));
	if (sp < base || sp >= base + MAX_APS * AP_STACK_SIZE)
		return 0;                                /* the BSP's stack */
	uint8_t c = cpu_of_slot[(sp - base) / AP_STACK_SIZE];
	return c >= 1 && c < NCPUS ? c : CPU_OTHER;
}

static void on_test(struct frame *f)
{
	struct cpu_state *s = &cpus[this_cpu()];
	s->test_eip = f->eip;
	s->n_test++;                                 /* only this CPU writes it */
	lapic_eoi();
}

static void on_wake(struct frame *f)
{
	(void)f;
	cpus[this_cpu()].n_wake++;
	lapic_eoi();
}

static void on_nmi(struct frame *f)
{
	struct cpu_state *s = &cpus[this_cpu()];
	s->nmi_eip = f->eip;
	s->n_nmi++;                                  /* NMIs take no EOI */
}

static void on_spurious(struct frame *f)
{
	(void)f;
	__atomic_fetch_add(&n_spurious, 1, __ATOMIC_SEQ_CST);
}

void install_handlers(void)
{
	idt_set_handler(2, on_nmi);
	idt_set_handler(VEC_TEST, on_test);
	idt_set_handler(VEC_WAKE, on_wake);
	idt_set_handler(VEC_SPURIOUS, on_spurious);
}

static void run_cmd_here(struct cpu_state *s)
{
	switch (s->cmd) {
	case CMD_SET_LOGICAL:
		lapic_write(LAPIC_DFR, s->arg0);
		lapic_write(LAPIC_LDR, s->arg1);
		s->dfr = lapic_read(LAPIC_DFR);
		s->ldr = lapic_read(LAPIC_LDR);
		break;
	case CMD_SET_ID:
		lapic_write(LAPIC_ID, s->arg0 << 24);
		s->apic_id = lapic_id();
		break;
	case CMD_CLI_HLT:
		s->idle = 2;
		ap_cli_hlt();
		s->idle = 0;
		break;
	default:
		break;
	}
	s->cmd = CMD_NONE;
	barrier();
	s->cmd_done++;
}

void ap_main(uint32_t slot);
void ap_main(uint32_t slot)
{
	uint32_t ebx;
	cpuid(1, 0, NULL, &ebx, NULL, NULL);
	uint32_t c = ebx >> 24;                      /* initial APIC ID: fixed */
	if (c < 1 || c >= NCPUS)
		c = CPU_OTHER;
	cpu_of_slot[slot] = (uint8_t)c;
	struct cpu_state *s = &cpus[c];
	s->idle = 0;
	idt_load();
	s->svr_at_entry = lapic_read(LAPIC_SVR);     /* before we enable it */
	s->ldr_at_entry = lapic_read(LAPIC_LDR);
	lapic_enable(VEC_SPURIOUS);
	s->apic_id = lapic_id();
	s->arrivals++;
	__atomic_fetch_add(&ap_arrived, 1, __ATOMIC_SEQ_CST);
	for (;;) {                                   /* IF=0 here */
		if (s->cmd != CMD_NONE)
			run_cmd_here(s);
		s->idle = 1;
		ap_sti_hlt();                        /* woken by any interrupt */
		s->idle = 0;
	}
}
