# bench.cmake - a functional check of the benchmark guest guests/x86/irq_bench
# (bench/run-bench.sh measures with it): both interrupt sources with a small
# n under the default -accel hvsim, judged by the guest's own BENCH/PASS
# lines (guests/x86/irq_bench/<src>.pat).  No timing is asserted.  Included
# from tests/guests/CMakeLists.txt (which sets RUN_GUEST, X86_GUESTS and
# X86_SRC).
foreach(src lapic extint)
  add_test(NAME guest/x86_irq_bench_${src}
    COMMAND ${RUN_GUEST} 1 ${X86_SRC}/irq_bench/${src}.pat --
            $<TARGET_FILE:hvsim> -kernel ${X86_GUESTS}/irq_bench.elf
            -append "src=${src} n=200")
  set_tests_properties(guest/x86_irq_bench_${src} PROPERTIES
    LABELS guest TIMEOUT 180)
endforeach()
