/*
 * exit_reasons.c - the SVM exit codes the core knows, by name (KVM's
 * SVM_EXIT_REASONS): the -d kvm trace, the -trace-json slices and the
 * exit statistics all name exits from this one table.
 */
#include "hvsim/svm_arch.h"
#include "kvm/x86/kvm_host.h"

static const struct {
	uint64_t code;
	const char *name;
} reasons[] = {
	{ SVM_EXIT_INTR, "INTR" },
	{ SVM_EXIT_NMI, "NMI" },
	{ SVM_EXIT_VINTR, "VINTR" },
	{ SVM_EXIT_RDTSC, "RDTSC" },
	{ SVM_EXIT_CPUID, "CPUID" },
	{ SVM_EXIT_INVD, "INVD" },
	{ SVM_EXIT_HLT, "HLT" },
	{ SVM_EXIT_IOIO, "IOIO" },
	{ SVM_EXIT_MSR, "MSR" },
	{ SVM_EXIT_SHUTDOWN, "SHUTDOWN" },
	{ SVM_EXIT_VMRUN, "VMRUN" },
	{ SVM_EXIT_VMMCALL, "VMMCALL" },
	{ SVM_EXIT_RDTSCP, "RDTSCP" },
	{ SVM_EXIT_NPF, "NPF" },
	{ SVM_EXIT_AVIC_INCOMPLETE_IPI, "AVIC_INCOMPLETE_IPI" },
	{ SVM_EXIT_AVIC_UNACCELERATED_ACCESS, "AVIC_UNACCELERATED_ACCESS" },
	{ SVM_EXIT_INVALID, "INVALID" },
};

/* The last index counts every code not in the table. */
_Static_assert(sizeof(reasons) / sizeof(reasons[0]) + 1 == SVM_EXIT_REASON_NR,
	       "SVM_EXIT_REASON_NR does not match the table");

unsigned svm_exit_reason(uint64_t code)
{
	unsigned i;

	for (i = 0; i < SVM_EXIT_REASON_NR - 1; i++)
		if (reasons[i].code == code)
			return i;
	return SVM_EXIT_REASON_NR - 1;
}

const char *svm_exit_reason_name(unsigned reason)
{
	return reason < SVM_EXIT_REASON_NR - 1 ? reasons[reason].name : "other";
}
