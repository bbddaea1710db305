# trace.cmake - the -trace-json export, included from tests/guests/CMakeLists.txt.
#
# pit_pic_realmode under -accel hvsim (AVIC on): its PIT ticks reach the CPU
# through the 8259 as ExtINT, so the picture has IRQWIN inhibits on the APICv
# track and ExtINT instants on vcpu0.  run-guest.sh judges the run as usual,
# then check_trace_json.py parses the file and checks its tracks and events.
find_program(HVSIM_PYTHON3 python3)
if(NOT HVSIM_PYTHON3)
  message(STATUS "trace/json_pit_pic_realmode: no python3: test not registered")
  return()
endif()
set(HVSIM_TRACE_DIR ${CMAKE_CURRENT_BINARY_DIR}/trace_json)
file(MAKE_DIRECTORY ${HVSIM_TRACE_DIR})
add_test(NAME trace/json_pit_pic_realmode
  COMMAND sh -c "rm -f trace.json && \"$0\" 1 \"$1\" -- \"$2\" -kernel \"$3\" -trace-json trace.json && \"$4\" \"$5\" trace.json"
          ${RUN_GUEST} ${X86_SRC}/pit_pic_realmode/expect.pat
          $<TARGET_FILE:hvsim> ${X86_GUESTS}/pit_pic_realmode.elf
          ${HVSIM_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/check_trace_json.py
  WORKING_DIRECTORY ${HVSIM_TRACE_DIR})
set_tests_properties(trace/json_pit_pic_realmode PROPERTIES
  LABELS "guest;avic" TIMEOUT 180)
