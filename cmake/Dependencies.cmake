# Dependencies.cmake - locate Unicorn >= 2.1, Capstone >= 5, libelf, CMocka,
# libcrypto (the s390 AP adapter model's RSA).
#
# Debian bookworm ships Unicorn 2.0.1 (wrong x86 paging, slow stores) and
# Capstone 4; tools/setup.sh then unpacks trixie's packages into
# HVSIM_DEPS_PREFIX.  A distro that is new enough is used as it is.

set(_dep_hints "${HVSIM_DEPS_PREFIX}/usr")
set(_dep_howto "Run tools/setup.sh: it installs the build dependencies and, \
where the distro's Unicorn/Capstone are too old, fetches Debian trixie's \
libunicorn-dev 2.1.1 and libcapstone-dev 5 into .deps/prefix.")

find_path(UNICORN_INCLUDE_DIR unicorn/unicorn.h
          HINTS "${_dep_hints}/include" NO_DEFAULT_PATH)
find_path(UNICORN_INCLUDE_DIR unicorn/unicorn.h)
find_library(UNICORN_LIBRARY NAMES unicorn
             HINTS "${_dep_hints}/lib/x86_64-linux-gnu" "${_dep_hints}/lib"
             NO_DEFAULT_PATH)
find_library(UNICORN_LIBRARY NAMES unicorn)
find_path(CAPSTONE_INCLUDE_DIR capstone/capstone.h
          HINTS "${_dep_hints}/include" NO_DEFAULT_PATH)
find_path(CAPSTONE_INCLUDE_DIR capstone/capstone.h)
find_library(CAPSTONE_LIBRARY NAMES capstone
             HINTS "${_dep_hints}/lib/x86_64-linux-gnu" "${_dep_hints}/lib"
             NO_DEFAULT_PATH)
find_library(CAPSTONE_LIBRARY NAMES capstone)

if(NOT UNICORN_INCLUDE_DIR OR NOT UNICORN_LIBRARY)
  message(FATAL_ERROR "Unicorn >= 2.1 not found. ${_dep_howto}")
endif()
if(NOT CAPSTONE_INCLUDE_DIR OR NOT CAPSTONE_LIBRARY)
  message(FATAL_ERROR "Capstone >= 5 not found. ${_dep_howto}")
endif()

file(STRINGS "${UNICORN_INCLUDE_DIR}/unicorn/unicorn.h" _uc_ver
     REGEX "#define UC_API_(MAJOR|MINOR|PATCH) ")
string(REGEX REPLACE ".*UC_API_MAJOR ([0-9]+).*" "\\1" UNICORN_MAJOR "${_uc_ver}")
string(REGEX REPLACE ".*UC_API_MINOR ([0-9]+).*" "\\1" UNICORN_MINOR "${_uc_ver}")
string(REGEX REPLACE ".*UC_API_PATCH ([0-9]+).*" "\\1" UNICORN_PATCH "${_uc_ver}")
if(UNICORN_MAJOR LESS 2 OR (UNICORN_MAJOR EQUAL 2 AND UNICORN_MINOR LESS 1))
  message(FATAL_ERROR "Unicorn ${UNICORN_MAJOR}.${UNICORN_MINOR} at \
${UNICORN_INCLUDE_DIR} is too old: hvsim needs >= 2.1 (2.0 maps guest \
virtual pages to the same-numbered physical pages). ${_dep_howto}")
endif()
file(STRINGS "${CAPSTONE_INCLUDE_DIR}/capstone/capstone.h" _cs_ver
     REGEX "#define CS_API_MAJOR ")
string(REGEX REPLACE ".*CS_API_MAJOR ([0-9]+).*" "\\1" CAPSTONE_MAJOR "${_cs_ver}")
if(CAPSTONE_MAJOR LESS 5)
  message(FATAL_ERROR "Capstone ${CAPSTONE_MAJOR} at ${CAPSTONE_INCLUDE_DIR} \
is too old: hvsim needs >= 5. ${_dep_howto}")
endif()
message(STATUS "Unicorn ${UNICORN_MAJOR}.${UNICORN_MINOR}.${UNICORN_PATCH}: ${UNICORN_LIBRARY}")
message(STATUS "Capstone ${CAPSTONE_MAJOR}: ${CAPSTONE_LIBRARY}")

# The trixie libraries live outside the loader's search path: bake an rpath.
get_filename_component(_uc_libdir "${UNICORN_LIBRARY}" DIRECTORY)
get_filename_component(_cs_libdir "${CAPSTONE_LIBRARY}" DIRECTORY)
set(CMAKE_BUILD_RPATH "${_uc_libdir};${_cs_libdir}")

add_library(unicorn_dep INTERFACE)
target_include_directories(unicorn_dep SYSTEM INTERFACE "${UNICORN_INCLUDE_DIR}")
target_link_libraries(unicorn_dep INTERFACE "${UNICORN_LIBRARY}")
add_library(capstone_dep INTERFACE)
target_include_directories(capstone_dep SYSTEM INTERFACE "${CAPSTONE_INCLUDE_DIR}")
target_link_libraries(capstone_dep INTERFACE "${CAPSTONE_LIBRARY}")

find_library(ELF_LIBRARY elf)
find_path(ELF_INCLUDE_DIR libelf.h)
if(NOT ELF_LIBRARY OR NOT ELF_INCLUDE_DIR)
  message(FATAL_ERROR "libelf not found (Debian: libelf-dev). ${_dep_howto}")
endif()
find_library(CMOCKA_LIBRARY cmocka)
find_path(CMOCKA_INCLUDE_DIR cmocka.h)
if(NOT CMOCKA_LIBRARY)
  message(FATAL_ERROR "CMocka not found (Debian: libcmocka-dev). ${_dep_howto}")
endif()

# OpenSSL's libcrypto (Debian libssl-dev): the AP adapter model computes
# RSA with it (sim/s390/ap/type50_rsa.c).
find_package(OpenSSL QUIET COMPONENTS Crypto)
if(NOT OpenSSL_FOUND)
  message(FATAL_ERROR "OpenSSL's libcrypto not found. ${_dep_howto}")
endif()
