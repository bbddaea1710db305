# ap.cmake - the AP scenario catalogue (tests/ap/*.aps, label "ap"),
# included from tests/guests/CMakeLists.txt.  Each scenario runs under
# `hvsim ap-scenario` with the s390x driver guest; run-guest.sh demands
# exit status 0, the driver's "PASS: ap-scenario NAME" line and no FAIL:
# line - the verdicts are the guest's own, from the step results it saw.
#
# The bug scenarios run a second time with the hypervisor core in the
# older revision's mode (-ap-bug): then the guest itself must report the
# failing step (RUN_GUEST_BUG_MODE allows FAIL: lines; the pattern file
# lists the ones that must appear).

set(HVSIM_AP_DIR ${CMAKE_SOURCE_DIR}/tests/ap)
set(HVSIM_AP_PAT ${CMAKE_CURRENT_BINARY_DIR}/ap)
file(MAKE_DIRECTORY ${HVSIM_AP_PAT})

if(NOT TARGET s390x_guest_ap_driver)
  message(STATUS "ap/*: the s390x driver guest is not built (cross "
                 "compiler missing?): AP scenarios not registered")
  return()
endif()

file(GLOB HVSIM_AP_SCENARIOS CONFIGURE_DEPENDS ${HVSIM_AP_DIR}/*.aps)
foreach(file ${HVSIM_AP_SCENARIOS})
  get_filename_component(name ${file} NAME_WE)
  file(STRINGS ${file} line REGEX "^scenario ")
  string(REGEX REPLACE "^scenario +([^ #]+).*" "\\1" scenario "${line}")
  set(patterns ${HVSIM_AP_PAT}/${name}.patterns)
  file(WRITE ${patterns}
       "^PASS: ap-scenario ${scenario}$\n^ap-scenario ${scenario}: [0-9]+ steps, 0 failed$\n")
  add_test(NAME ap/${name}
    COMMAND ${RUN_GUEST} 0 ${patterns} --
            $<TARGET_FILE:hvsim> ap-scenario ${file})
  set_tests_properties(ap/${name} PROPERTIES LABELS "ap;guest" TIMEOUT 120)
endforeach()

# hvsim_ap_bug(<scenario> <bug mode> <FAIL line pattern>): the scenario
# under -ap-bug <bug mode>; the guest must fail the named step.
function(hvsim_ap_bug name mode fail_line)
  set(patterns ${HVSIM_AP_PAT}/${name}_${mode}.patterns)
  file(WRITE ${patterns} "${fail_line}\n^FAIL: ap-scenario \n")
  add_test(NAME ap/${name}_bug_${mode}
    COMMAND ${RUN_GUEST} 0 ${patterns} --
            $<TARGET_FILE:hvsim> ap-scenario ${HVSIM_AP_DIR}/${name}.aps
            -ap-bug ${mode})
  set_tests_properties(ap/${name}_bug_${mode} PROPERTIES
    LABELS "ap;guest" TIMEOUT 120
    ENVIRONMENT "RUN_GUEST_BUG_MODE=1;RUN_GUEST_NO_PASS_LINE=1")
endfunction()

hvsim_ap_bug(aqic_reserved_bits pqap-fc-unmasked
  "aqic 03.0005 .*pgm=0x01 FAIL: expected program interruption 0x06")
hvsim_ap_bug(alert_list_pending aqic-gisa-next-alert
  "wait-irq isc=5 .*FAIL: expected an adapter interruption")
