/*
 * svm_vmcb.h - reading and writing a VMCB page by offset (svm_arch.h).
 *
 * A VMCB is 4 KiB of host memory in little-endian byte order; these are
 * the only accessors the model and the hypervisor core use on it.
 */
#ifndef HVSIM_SVM_VMCB_H
#define HVSIM_SVM_VMCB_H

#include <stdint.h>
#include <string.h>

#include "hvsim/svm_arch.h"
#include "hvsim/x86_cpu.h"

static inline uint64_t vmcb__get64(const uint8_t *vmcb, unsigned off)
{
	uint64_t v;

	memcpy(&v, vmcb + off, sizeof(v));
	return v;
}

static inline uint32_t vmcb__get32(const uint8_t *vmcb, unsigned off)
{
	uint32_t v;

	memcpy(&v, vmcb + off, sizeof(v));
	return v;
}

static inline uint16_t vmcb__get16(const uint8_t *vmcb, unsigned off)
{
	uint16_t v;

	memcpy(&v, vmcb + off, sizeof(v));
	return v;
}

static inline void vmcb__set64(uint8_t *vmcb, unsigned off, uint64_t v)
{
	memcpy(vmcb + off, &v, sizeof(v));
}

static inline void vmcb__set32(uint8_t *vmcb, unsigned off, uint32_t v)
{
	memcpy(vmcb + off, &v, sizeof(v));
}

static inline void vmcb__set16(uint8_t *vmcb, unsigned off, uint16_t v)
{
	memcpy(vmcb + off, &v, sizeof(v));
}

/* A segment register in the state-save area. */
struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;	/* VMCB_ATTR_* layout */
	uint32_t limit;
	uint64_t base;
};

static inline struct vmcb_seg vmcb__get_seg(const uint8_t *vmcb, unsigned off)
{
	struct vmcb_seg s;

	s.selector = vmcb__get16(vmcb, off + VMCB_SEG_SEL);
	s.attrib = vmcb__get16(vmcb, off + VMCB_SEG_ATTRIB);
	s.limit = vmcb__get32(vmcb, off + VMCB_SEG_LIMIT);
	s.base = vmcb__get64(vmcb, off + VMCB_SEG_BASE);
	return s;
}

static inline void vmcb__set_seg(uint8_t *vmcb, unsigned off,
				 const struct vmcb_seg *s)
{
	vmcb__set16(vmcb, off + VMCB_SEG_SEL, s->selector);
	vmcb__set16(vmcb, off + VMCB_SEG_ATTRIB, s->attrib);
	vmcb__set32(vmcb, off + VMCB_SEG_LIMIT, s->limit);
	vmcb__set64(vmcb, off + VMCB_SEG_BASE, s->base);
}

/*
 * The state-save area as struct x86_state (sim/svm/vmcb_state.c):
 * segments, descriptor tables, CPL, CRs, DR6/7, RFLAGS, RIP, RSP, RAX,
 * EFER as stored (SVME included), the SYSCALL/SYSENTER MSRs, PAT and the
 * interrupt shadow.  Other GPRs are not in the VMCB and are left alone.
 */
void vmcb__get_state(const uint8_t *vmcb, struct x86_state *st);
void vmcb__set_state(uint8_t *vmcb, const struct x86_state *st);

#endif
