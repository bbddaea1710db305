# avic.cmake - the avic_smp guest (guests/x86/avic_smp): SMP interrupt
# delivery under AVIC as the guest sees it (issue 3, section 5): fixed and
# NMI IPIs to halted vCPUs, INIT/SIPI to a running AP, logical flat and
# cluster destinations, an xAPIC ID change, a level-triggered IOAPIC pin
# with EOI on an AP.  Included from tests/guests/CMakeLists.txt (which sets
# RUN_GUEST, X86_GUESTS and X86_SRC).  Judged by run-guest.sh: status 1,
# no FAIL: line, every line of avic_smp/expect.pat.
#
# avic-logical-invalidate=buggy (seed 004) has no variant here: it makes no
# difference the guest can see (an invalidated entry has Valid clear either
# way, and a later entry with the stray reserved bits set is an invalid
# target the core emulates through the LAPIC, which delivers correctly).

set(AVIC_SMP_ELF ${X86_GUESTS}/avic_smp.elf)
set(AVIC_SMP_PAT ${X86_SRC}/avic_smp/expect.pat)

# avic_smp_test(<name suffix> <-accel value> <-append value>)
function(avic_smp_test suffix accel append)
  add_test(NAME guest/x86_avic_smp${suffix}
    COMMAND ${RUN_GUEST} 1 ${AVIC_SMP_PAT} --
            $<TARGET_FILE:hvsim> -accel ${accel} -smp 4
            -kernel ${AVIC_SMP_ELF} -append ${append})
  set_tests_properties(guest/x86_avic_smp${suffix} PROPERTIES
    LABELS "guest;avic" TIMEOUT 180)
endfunction()

avic_smp_test("" hvsim "cpus=4")
avic_smp_test(_hvsim_avic_off "hvsim,avic=off" "cpus=4")
avic_smp_test(_bare bare "cpus=4")
