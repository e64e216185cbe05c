# The kit, installed: its headers, the rest of the lab as a library (the harness, the commands
# and main(), one per build variant), and a pkg-config file per variant. A scenario file built
# against it is a lab of its own, with the same commands:
#   cc my-barista.c $(pkg-config --cflags --libs espresso-kit) -o my-lab
#   cc my-barista.c $(pkg-config --cflags --libs espresso-kit-tsan) -o my-lab-tsan
# Scenarios join the lab through a linker set, so they are linked in, not loaded (dlopen). The
# library holds none of the built-in scenarios: a lab of your own has only its own.

# The prefix as seen from the .pc file's folder ("../.." from lib/pkgconfig).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  message(FATAL_ERROR "espresso-kit.pc is found relative to its prefix: give CMAKE_INSTALL_LIBDIR "
          "relative to CMAKE_INSTALL_PREFIX, not ${CMAKE_INSTALL_LIBDIR}")
endif()
file(RELATIVE_PATH ESPRESSO_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" ESPRESSO_PC_TO_PREFIX "${ESPRESSO_PC_TO_PREFIX}")
get_filename_component(ESPRESSO_PC_CC ${CMAKE_C_COMPILER} NAME)

foreach(variant ${ESPRESSO_VARIANTS})
  if(variant STREQUAL native)
    set(suffix "")
  else()
    set(suffix "-${variant}")
  endif()
  add_library(espresso-kit-lib-${variant} STATIC $<TARGET_OBJECTS:espresso-main-${variant}>
              $<TARGET_OBJECTS:espresso-kit-${variant}> $<TARGET_OBJECTS:espresso-harness-${variant}>
              $<TARGET_OBJECTS:espresso-parsers-${variant}>)
  set_target_properties(espresso-kit-lib-${variant} PROPERTIES OUTPUT_NAME espresso-lab${suffix})
  install(TARGETS espresso-kit-lib-${variant} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

  # The variant's flags, for the scenario's code (the kit's barista loop is inline there) and for
  # the link, less the source-path mapping of this build tree.
  set(flags ${ESPRESSO_${variant}_FLAGS})
  list(FILTER flags EXCLUDE REGEX "^-ffile-prefix-map=")
  # The variant's definitions too: the scenario's code must see which build it is in (the
  # Valgrind build's annotations are chosen by ESPRESSO_VALGRIND_BUILD).
  foreach(definition ${ESPRESSO_${variant}_DEFINITIONS})
    list(APPEND flags -D${definition})
  endforeach()
  string(JOIN " " ESPRESSO_PC_FLAGS ${flags})
  set(ESPRESSO_PC_LINK_FLAGS ${ESPRESSO_PC_FLAGS})
  set(ESPRESSO_PC_SUFFIX ${suffix})
  if(variant STREQUAL native)
    set(ESPRESSO_PC_VARIANT "the measured build")
  elseif(variant STREQUAL tsan)
    set(ESPRESSO_PC_VARIANT "under ThreadSanitizer")
  elseif(variant STREQUAL controlled)
    set(ESPRESSO_PC_VARIANT "for controlled schedules (explore, replay)")
  else()
    set(ESPRESSO_PC_VARIANT "for Helgrind and DRD")
  endif()
  # Installed: found relative to the .pc file, so that the kit works from any prefix.
  set(ESPRESSO_PC_LOCATION_COMMENT "# Found relative to this file, so that the kit works from whatever prefix it was installed to.")
  set(ESPRESSO_PC_PREFIX "\${pcfiledir}/${ESPRESSO_PC_TO_PREFIX}")
  set(ESPRESSO_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}/espresso-kit/kit")
  set(ESPRESSO_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(ESPRESSO_PC_SUPPRESSIONS "\${prefix}/${CMAKE_INSTALL_DATADIR}/espresso-lab/tsan-suppressions")
  configure_file(${CMAKE_CURRENT_LIST_DIR}/espresso-kit.pc.in
                 ${CMAKE_BINARY_DIR}/pkgconfig/espresso-kit${suffix}.pc @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/espresso-kit${suffix}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

  # The build tree's own kit, which `check` uses when the lab runs from here: the headers in
  # src/kit, the libraries in this build directory, and the kit's paths mapped as the lab's own
  # are ("src/kit/machine.h:75" in a TSan report).
  set(ESPRESSO_PC_LOCATION_COMMENT "# The kit of the build tree ${CMAKE_BINARY_DIR}: not installed, not relocatable.")
  set(ESPRESSO_PC_PREFIX "${CMAKE_BINARY_DIR}")
  set(ESPRESSO_PC_INCLUDEDIR "${CMAKE_SOURCE_DIR}/src/kit")
  set(ESPRESSO_PC_LIBDIR "${CMAKE_BINARY_DIR}")
  set(ESPRESSO_PC_SUPPRESSIONS "${CMAKE_BINARY_DIR}/tsan-suppressions")
  string(APPEND ESPRESSO_PC_FLAGS " -ffile-prefix-map=${CMAKE_SOURCE_DIR}/=")
  configure_file(${CMAKE_CURRENT_LIST_DIR}/espresso-kit.pc.in
                 ${ESPRESSO_BUILD_TREE_PKGCONFIG}/espresso-kit${suffix}.pc @ONLY)
endforeach()

# The kit's headers, and the measurements its inline code includes ("../measure/clock.h"), side
# by side as in src/.
install(DIRECTORY src/kit/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/espresso-kit/kit
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY src/measure/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/espresso-kit/measure
        FILES_MATCHING PATTERN "*.h")
