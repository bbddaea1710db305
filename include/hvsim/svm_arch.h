/*
 * svm_arch.h - AMD SVM and AVIC as architected (AMD APM vol. 2, ch. 15 and
 * appendix B): VMCB offsets and bit fields, exit codes, EXITINFO formats,
 * permission-map layouts, AVIC table entry formats, MSR numbers.
 *
 * Only numbers live here, the way a datasheet would list them.  The VMCB
 * is a 4 KiB page of host memory read and written by offset (svm_vmcb.h
 * has the accessors); the modeled hardware (sim/svm) and the hypervisor
 * core (src/kvm/x86/svm) never share a C structure for it.
 */
#ifndef HVSIM_SVM_ARCH_H
#define HVSIM_SVM_ARCH_H

#define SVM_PAGE_SIZE		0x1000u

/* ---- VMCB control area ------------------------------------------------- */
#define VMCB_INTERCEPT_CR	0x000	/* 15:0 reads, 31:16 writes */
#define VMCB_INTERCEPT_DR	0x004
#define VMCB_INTERCEPT_EXC	0x008	/* bit n: exception vector n */
#define VMCB_INTERCEPT_MISC1	0x00c	/* SVM_INTERCEPT1_* */
#define VMCB_INTERCEPT_MISC2	0x010	/* SVM_INTERCEPT2_* */
#define VMCB_IOPM_BASE_PA	0x040
#define VMCB_MSRPM_BASE_PA	0x048
#define VMCB_TSC_OFFSET		0x050
#define VMCB_GUEST_ASID		0x058	/* 32 bit */
#define VMCB_TLB_CONTROL	0x05c	/* 8 bit */
#define VMCB_INT_CTL		0x060	/* 32 bit */
#define VMCB_INT_VECTOR		0x064	/* 32 bit, V_INTR_VECTOR in 7:0 */
#define VMCB_INT_STATE		0x068	/* bit 0 interrupt shadow */
#define VMCB_EXIT_CODE		0x070
#define VMCB_EXIT_INFO1		0x078
#define VMCB_EXIT_INFO2		0x080
#define VMCB_EXIT_INT_INFO	0x088
#define VMCB_NESTED_CTL		0x090	/* bit 0 NP_ENABLE */
#define VMCB_AVIC_APIC_BAR	0x098
#define VMCB_EVENT_INJ		0x0a8
#define VMCB_NESTED_CR3		0x0b0
#define VMCB_CLEAN		0x0c0
#define VMCB_NEXT_RIP		0x0c8
#define VMCB_INSN_LEN		0x0d0	/* bytes fetched (decode assists) */
#define VMCB_INSN_BYTES		0x0d1	/* up to 15 */
#define VMCB_AVIC_BACKING_PAGE	0x0e0
#define VMCB_AVIC_LOGICAL_ID	0x0f0
#define VMCB_AVIC_PHYSICAL_ID	0x0f8	/* 51:12 table, 7:0 max index */

/* Intercept vector 3 (VMCB 0x00c). */
#define SVM_INTERCEPT1_INTR	(1u << 0)
#define SVM_INTERCEPT1_NMI	(1u << 1)
#define SVM_INTERCEPT1_VINTR	(1u << 4)
#define SVM_INTERCEPT1_RDTSC	(1u << 14)
#define SVM_INTERCEPT1_CPUID	(1u << 18)
#define SVM_INTERCEPT1_INVD	(1u << 22)
#define SVM_INTERCEPT1_HLT	(1u << 24)
#define SVM_INTERCEPT1_IOIO	(1u << 27)
#define SVM_INTERCEPT1_MSR	(1u << 28)
#define SVM_INTERCEPT1_SHUTDOWN	(1u << 31)
/* Intercept vector 4 (VMCB 0x010). */
#define SVM_INTERCEPT2_VMRUN	(1u << 0)
#define SVM_INTERCEPT2_VMMCALL	(1u << 1)
#define SVM_INTERCEPT2_RDTSCP	(1u << 7)

/* int_ctl (VMCB 0x060). */
#define SVM_V_TPR_MASK		0x0fu
#define SVM_V_IRQ		(1u << 8)
#define SVM_V_GIF		(1u << 9)
#define SVM_V_INTR_PRIO_SHIFT	16
#define SVM_V_INTR_PRIO_MASK	(0xfu << 16)
#define SVM_V_IGN_TPR		(1u << 20)
#define SVM_V_INTR_MASKING	(1u << 24)
#define SVM_V_GIF_ENABLE	(1u << 25)
#define SVM_X2AVIC_ENABLE	(1u << 30)
#define SVM_AVIC_ENABLE		(1u << 31)

#define SVM_INT_STATE_SHADOW	1u
#define SVM_NESTED_CTL_NP	1u

/* TLB_CONTROL values. */
#define SVM_TLB_CONTROL_NONE	0
#define SVM_TLB_CONTROL_ALL	1
#define SVM_TLB_CONTROL_ASID	3

/* EVENTINJ / EXITINTINFO. */
#define SVM_EVT_VECTOR_MASK	0xffu
#define SVM_EVT_TYPE_SHIFT	8
#define SVM_EVT_TYPE_MASK	(7u << 8)
#define SVM_EVT_TYPE_INTR	(0u << 8)
#define SVM_EVT_TYPE_NMI	(2u << 8)
#define SVM_EVT_TYPE_EXC	(3u << 8)
#define SVM_EVT_TYPE_SOFT	(4u << 8)
#define SVM_EVT_ERR_VALID	(1u << 11)
#define SVM_EVT_VALID		(1u << 31)
/* error code in bits 63:32 */

/* ---- VMCB state-save area ------------------------------------------------ */
#define VMCB_SAVE		0x400
/* Segment: selector 16, attrib 16, limit 32, base 64. */
#define VMCB_ES			0x400
#define VMCB_CS			0x410
#define VMCB_SS			0x420
#define VMCB_DS			0x430
#define VMCB_FS			0x440
#define VMCB_GS			0x450
#define VMCB_GDTR		0x460
#define VMCB_LDTR		0x470
#define VMCB_IDTR		0x480
#define VMCB_TR			0x490
#define VMCB_SEG_SEL		0
#define VMCB_SEG_ATTRIB		2
#define VMCB_SEG_LIMIT		4
#define VMCB_SEG_BASE		8
#define VMCB_CPL		0x4cb
#define VMCB_EFER		0x4d0
#define VMCB_CR4		0x548
#define VMCB_CR3		0x550
#define VMCB_CR0		0x558
#define VMCB_DR7		0x560
#define VMCB_DR6		0x568
#define VMCB_RFLAGS		0x570
#define VMCB_RIP		0x578
#define VMCB_RSP		0x5d8
#define VMCB_RAX		0x5f8
#define VMCB_STAR		0x600
#define VMCB_LSTAR		0x608
#define VMCB_CSTAR		0x610
#define VMCB_SFMASK		0x618
#define VMCB_KERNEL_GS_BASE	0x620
#define VMCB_SYSENTER_CS	0x628
#define VMCB_SYSENTER_ESP	0x630
#define VMCB_SYSENTER_EIP	0x638
#define VMCB_CR2		0x640
#define VMCB_G_PAT		0x668

/* VMCB segment attribute (12 bits): type 3:0, S 4, DPL 6:5, P 7, AVL 8,
 * L 9, D/B 10, G 11. */
#define VMCB_ATTR_S		(1u << 4)
#define VMCB_ATTR_DPL_SHIFT	5
#define VMCB_ATTR_P		(1u << 7)
#define VMCB_ATTR_L		(1u << 9)
#define VMCB_ATTR_DB		(1u << 10)
#define VMCB_ATTR_G		(1u << 11)

/* ---- exit codes ------------------------------------------------------------ */
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_RDTSC		0x06e
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_AVIC_INCOMPLETE_IPI	0x401
#define SVM_EXIT_AVIC_UNACCELERATED_ACCESS 0x402
#define SVM_EXIT_INVALID	(~0ull)	/* VMRUN refused the VMCB */

/* IOIO EXITINFO1. */
#define SVM_IOIO_TYPE_IN	(1u << 0)
#define SVM_IOIO_STR		(1u << 2)
#define SVM_IOIO_REP		(1u << 3)
#define SVM_IOIO_SZ_SHIFT	4	/* bit 4 SZ8, 5 SZ16, 6 SZ32 */
#define SVM_IOIO_SZ_MASK	(7u << 4)
#define SVM_IOIO_ASZ_SHIFT	7	/* bit 7 A16, 8 A32, 9 A64 */
#define SVM_IOIO_ASZ_MASK	(7u << 7)
#define SVM_IOIO_SEG_SHIFT	10	/* 12:10 segment (ES=0 .. GS=5) */
#define SVM_IOIO_SEG_MASK	(7u << 10)
#define SVM_IOIO_PORT_SHIFT	16

/* NPF EXITINFO1 (#PF-style error code plus where the fault happened). */
#define SVM_NPF_P		(1ull << 0)
#define SVM_NPF_WRITE		(1ull << 1)
#define SVM_NPF_USER		(1ull << 2)
#define SVM_NPF_RSVD		(1ull << 3)
#define SVM_NPF_FETCH		(1ull << 4)
#define SVM_NPF_FINAL_GPA	(1ull << 32)
#define SVM_NPF_GUEST_TABLE	(1ull << 33)

/* AVIC_UNACCELERATED_ACCESS: EXITINFO1 offset and write flag;
 * EXITINFO2 = vector (of an EOI). */
#define SVM_AVIC_UNACCEL_OFFSET_MASK	0xff0ull
#define SVM_AVIC_UNACCEL_WRITE		(1ull << 32)

/* AVIC_INCOMPLETE_IPI: EXITINFO1 = ICR (high:low), EXITINFO2 = failure id
 * (63:32) and table index (7:0). */
#define SVM_AVIC_IPI_INVALID_TYPE	0u
#define SVM_AVIC_IPI_NOT_RUNNING	1u
#define SVM_AVIC_IPI_INVALID_TARGET	2u
#define SVM_AVIC_IPI_INVALID_BACKING	3u

/* ---- AVIC tables ----------------------------------------------------------- */
/* Physical APIC ID table entry (64 bit). */
#define AVIC_PHYS_HOST_ID_MASK	0xffull
#define AVIC_PHYS_BACKING_MASK	0x000ffffffffff000ull	/* 51:12 */
#define AVIC_PHYS_IS_RUNNING	(1ull << 62)
#define AVIC_PHYS_VALID		(1ull << 63)
#define AVIC_PHYS_MAX_INDEX	0xfe	/* 0xff is broadcast */
#define AVIC_PHYS_TABLE_MAX_MASK 0xffull	/* low bits of VMCB 0xf8 */
/* Logical APIC ID table entry (32 bit). */
#define AVIC_LOG_GUEST_ID_MASK	0xffu
#define AVIC_LOG_VALID		(1u << 31)
#define AVIC_PAGE_MASK		0x000ffffffffff000ull

/* ---- permission maps --------------------------------------------------------- */
#define SVM_IOPM_SIZE		0x3000u	/* 1 bit per port, plus spill */
#define SVM_MSRPM_SIZE		0x2000u	/* 2 bits per MSR: read, write */
/* MSRPM ranges: byte offset of the first MSR of each 8K-MSR block. */
#define SVM_MSRPM_RANGE0_MSR	0x00000000u	/* bytes 0x0000-0x07ff */
#define SVM_MSRPM_RANGE1_MSR	0xc0000000u	/* bytes 0x0800-0x0fff */
#define SVM_MSRPM_RANGE2_MSR	0xc0010000u	/* bytes 0x1000-0x17ff */

/* ---- MSRs and CPUID ---------------------------------------------------------- */
#define MSR_EFER_SVME		(1ull << 12)
#define MSR_VM_CR		0xc0010114u
#define MSR_VM_HSAVE_PA		0xc0010117u
#define MSR_AVIC_DOORBELL	0xc001011bu
#define CPUID_8000_0001_ECX_SVM	(1u << 2)
#define CPUID_8000_000A_EDX_NP	(1u << 0)
#define CPUID_8000_000A_EDX_NRIPS (1u << 3)
#define CPUID_8000_000A_EDX_VMCB_CLEAN (1u << 5)
#define CPUID_8000_000A_EDX_FLUSH_BY_ASID (1u << 6)
#define CPUID_8000_000A_EDX_DECODE_ASSISTS (1u << 7)
#define CPUID_8000_000A_EDX_AVIC (1u << 13)

#endif
