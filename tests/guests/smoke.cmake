# smoke.cmake - smoke tests of the s390x and ppc64 machines, included from
# tests/guests/CMakeLists.txt (after guests/ has defined the guest targets).
#
# Each test runs its guest under hvsim through run-guest.sh, which demands
# exit status 0, a PASS: line and no FAIL: line; run-guest.sh prints the
# guest's output (RUN_GUEST_VERBOSE), so CTest also matches the exact PASS
# line.  PASS_REGULAR_EXPRESSION alone would ignore the exit status, hence
# the FAIL_REGULAR_EXPRESSION on run-guest.sh's failure banner.

set(HVSIM_SMOKE_RUNNER ${CMAKE_CURRENT_LIST_DIR}/run-guest.sh)
set(HVSIM_SMOKE_DIR ${CMAKE_CURRENT_BINARY_DIR}/smoke)
file(MAKE_DIRECTORY ${HVSIM_SMOKE_DIR})

# hvsim_smoke_guest(<test name> <guest target> <machine> <elf> <PASS line>
#                   [<more hvsim arguments>...])
function(hvsim_smoke_guest name target machine elf pass_line)
  if(NOT TARGET ${target})
    message(STATUS "guest/${name}: guest target ${target} does not exist "
                   "(cross compiler missing?): test not registered")
    return()
  endif()
  set(patterns ${HVSIM_SMOKE_DIR}/${name}.patterns)
  file(WRITE ${patterns} "^${pass_line}$\n")
  add_test(NAME guest/${name}
    COMMAND ${HVSIM_SMOKE_RUNNER} 0 ${patterns} --
            $<TARGET_FILE:hvsim> -M ${machine} ${ARGN} -kernel ${elf})
  set_tests_properties(guest/${name} PROPERTIES
    LABELS guest
    TIMEOUT 120
    ENVIRONMENT RUN_GUEST_VERBOSE=1
    PASS_REGULAR_EXPRESSION "${pass_line}"
    FAIL_REGULAR_EXPRESSION "run-guest: FAILED")
endfunction()

hvsim_smoke_guest(s390x_hello s390x_guest_hello s390-ccw
                  ${CMAKE_BINARY_DIR}/guests/s390x/hello.elf
                  "PASS: s390x sclp hello")
hvsim_smoke_guest(s390x_smp s390x_guest_smp s390-ccw
                  ${CMAKE_BINARY_DIR}/guests/s390x/smp.elf
                  "PASS: s390x smp sigp" -smp 2)
hvsim_smoke_guest(ppc64_hello ppc64_guest_hello pseries
                  ${CMAKE_BINARY_DIR}/guests/ppc64/hello.elf
                  "PASS: ppc64 hcall hello")
