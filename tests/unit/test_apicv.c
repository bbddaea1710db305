/* test_apicv.c - the APICv inhibit state machine of the hypervisor core
 * (apicv.c): reasons as a bitmap, action only when the mask crosses zero
 * (APIC access page mapped or not, KVM_REQ_APICV_UPDATE to every vCPU),
 * and the vCPU side (avic_refresh_apicv) flipping AVIC in its own VMCB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/lapic.h"
#include "hvsim/svm_arch.h"
#include "hvsim/svm_vmcb.h"
#include "kvm/x86/kvm_host.h"

#define NR_VCPUS 3

static struct kvm *kvm;
static uint8_t vmcbs[NR_VCPUS][SVM_PAGE_SIZE];

static int setup(void **state)
{
	unsigned i;

	(void)state;
	kvm = calloc(1, sizeof(*kvm));
	if (!kvm || hostmem__init(&kvm->hm, 0x1000000, 1 << 20) < 0 ||
	    kvm_mmu__init(kvm) < 0)
		return -1;
	kvm->avic_supported = true;
	kvm->nr_vcpus = NR_VCPUS;
	memset(vmcbs, 0, sizeof(vmcbs));
	for (i = 0; i < NR_VCPUS; i++) {
		kvm->vcpus[i].kvm = kvm;
		kvm->vcpus[i].idx = i;
		kvm->vcpus[i].vmcb = vmcbs[i];
	}
	/* As at VM creation: active, the APIC access page mapped. */
	kvm_mmu__set_apic_access(kvm, true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	hostmem__exit(&kvm->hm);
	free(kvm);
	return 0;
}

/* Takes the APICV_UPDATE request of every vCPU; true if all had it,
 * false if none had; fails the test on a mix. */
static bool take_updates(void)
{
	unsigned i, n = 0;

	for (i = 0; i < NR_VCPUS; i++)
		n += kvm_check_request(&kvm->vcpus[i], KVM_REQ_APICV_UPDATE);
	assert_true(n == 0 || n == NR_VCPUS);
	return n == NR_VCPUS;
}

/* Whether an access to the APIC base page finds the APIC access page
 * (what AVIC needs) rather than no translation (MMIO emulation). */
static bool apic_page_present(void)
{
	return kvm_mmu__page_fault(kvm, LAPIC_DEFAULT_BASE, false);
}

static void set(enum apicv_inhibit r, bool on)
{
	kvm_set_or_clear_apicv_inhibit(kvm, r, on);
}

static void test_first_reason_deactivates(void **state)
{
	(void)state;
	assert_true(kvm_apicv_activated(kvm));
	assert_true(apic_page_present());

	set(APICV_INHIBIT_IRQWIN, true);
	assert_false(kvm_apicv_activated(kvm));
	assert_int_equal(kvm->apicv_inhibit, 1ul << APICV_INHIBIT_IRQWIN);
	assert_true(take_updates());
	assert_false(apic_page_present());
	/* the page zap flushed every vCPU's nested TLB */
	assert_true(kvm_check_request(&kvm->vcpus[2], KVM_REQ_TLB_FLUSH));
}

static void test_mask_must_cross_zero(void **state)
{
	(void)state;
	set(APICV_INHIBIT_IRQWIN, true);
	assert_true(take_updates());

	/* a second reason, the same reason again, clearing one of two:
	 * APICv stays inactive and nobody is asked to update */
	set(APICV_INHIBIT_APIC_ID_MODIFIED, true);
	assert_false(take_updates());
	set(APICV_INHIBIT_IRQWIN, true);
	assert_false(take_updates());
	set(APICV_INHIBIT_IRQWIN, false);
	assert_false(take_updates());
	assert_false(kvm_apicv_activated(kvm));
	assert_int_equal(kvm->apicv_inhibit,
			 1ul << APICV_INHIBIT_APIC_ID_MODIFIED);

	/* clearing a reason that is not set changes nothing */
	set(APICV_INHIBIT_PIT_REINJ, false);
	assert_false(take_updates());

	/* the last reason goes: active again, the page back */
	set(APICV_INHIBIT_APIC_ID_MODIFIED, false);
	assert_true(kvm_apicv_activated(kvm));
	assert_true(take_updates());
	assert_true(apic_page_present());
}

/* The vCPU side: on its next entry each vCPU flips AVIC in its VMCB and,
 * when AVIC goes, re-evaluates pending interrupts the legacy way. */
static void test_vcpu_refresh(void **state)
{
	struct kvm_vcpu *v = &kvm->vcpus[1];

	(void)state;
	vmcb__set32(v->vmcb, VMCB_INT_CTL, 0x0f000000);	/* other bits */
	avic_refresh_apicv(v);
	assert_true(v->apicv_active);
	assert_int_equal(vmcb__get32(v->vmcb, VMCB_INT_CTL),
			 0x0f000000 | SVM_AVIC_ENABLE);
	assert_false(kvm_check_request(v, KVM_REQ_EVENT));

	set(APICV_INHIBIT_LOGICAL_ID_ALIASED, true);
	assert_true(kvm_check_request(v, KVM_REQ_APICV_UPDATE));
	avic_refresh_apicv(v);
	assert_false(v->apicv_active);
	assert_int_equal(vmcb__get32(v->vmcb, VMCB_INT_CTL), 0x0f000000);
	assert_true(kvm_check_request(v, KVM_REQ_EVENT));

	/* refreshing again without a change does nothing */
	avic_refresh_apicv(v);
	assert_false(kvm_check_request(v, KVM_REQ_EVENT));
	assert_int_equal(vmcb__get32(v->vmcb, VMCB_INT_CTL), 0x0f000000);
}

/* avic=off: the host has no AVIC for the VM; no reason makes it active. */
static void test_avic_unsupported(void **state)
{
	struct kvm_vcpu *v = &kvm->vcpus[0];

	(void)state;
	kvm->avic_supported = false;
	avic_refresh_apicv(v);
	assert_false(v->apicv_active);
	assert_int_equal(vmcb__get32(v->vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE,
			 0);
}

static void test_reason_names(void **state)
{
	(void)state;
	assert_string_equal(apicv_inhibit__name(APICV_INHIBIT_IRQWIN),
			    "IRQWIN");
	assert_string_equal(apicv_inhibit__name(APICV_INHIBIT_PIT_REINJ),
			    "PIT_REINJ");
	assert_string_equal(apicv_inhibit__name(APICV_INHIBIT_NR), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_reason_deactivates,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mask_must_cross_zero,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_refresh, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_avic_unsupported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reason_names, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
