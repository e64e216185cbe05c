# gcc's ThreadSanitizer twin (see CMakeLists.txt): this source tree configured again with gcc, in
# build/gcc-tsan, building its espresso-lab-tsan only, copied here as espresso-lab-tsan-gcc.
#
# First, whether gcc can build and link a TSan program at all: gcc without libtsan2 fails at
# the link ("cannot find -ltsan"). Checked by hand rather than with try_compile, which would use
# this tree's compiler.
find_program(ESPRESSO_GCC gcc)
set(ESPRESSO_GCC_TSAN_TWIN "")
if(NOT ESPRESSO_GCC)
  message(STATUS "gcc not found: no gcc TSan twin (detectors reports gcc's TSan missing)")
  return()
endif()
set(probe_dir ${CMAKE_BINARY_DIR}/gcc-tsan-probe)
file(MAKE_DIRECTORY ${probe_dir})
file(WRITE ${probe_dir}/probe.c "#include <pthread.h>\nint main(void) { return 0; }\n")
execute_process(COMMAND ${ESPRESSO_GCC} -fsanitize=thread -pthread probe.c -o probe
                WORKING_DIRECTORY ${probe_dir} RESULT_VARIABLE probe_failed OUTPUT_QUIET
                ERROR_VARIABLE probe_error)
if(probe_failed)
  string(STRIP "${probe_error}" probe_error)
  message(STATUS "gcc cannot link -fsanitize=thread (install libtsan2): no gcc TSan twin. gcc said: ${probe_error}")
  return()
endif()

include(ExternalProject)
set(ESPRESSO_GCC_TSAN_TWIN ${CMAKE_BINARY_DIR}/espresso-lab-tsan-gcc)
ExternalProject_Add(espresso-gcc-tsan
  SOURCE_DIR ${CMAKE_SOURCE_DIR}
  BINARY_DIR ${CMAKE_BINARY_DIR}/gcc-tsan
  CMAKE_ARGS -DCMAKE_C_COMPILER=${ESPRESSO_GCC} -DCMAKE_BUILD_TYPE=RelWithDebInfo
             -DESPRESSO_BUILD_TESTS=OFF -DESPRESSO_GCC_TSAN=OFF
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target espresso-lab-tsan
  INSTALL_COMMAND ${CMAKE_COMMAND} -E copy <BINARY_DIR>/espresso-lab-tsan ${ESPRESSO_GCC_TSAN_TWIN}
  # Its sources are this tree's: rebuild it whenever this tree builds (make works out what
  # changed), rather than only when it was first configured.
  BUILD_ALWAYS ON
  BUILD_BYPRODUCTS ${ESPRESSO_GCC_TSAN_TWIN})
