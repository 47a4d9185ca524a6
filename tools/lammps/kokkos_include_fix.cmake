# Passed to LAMMPS's configure as -DCMAKE_PROJECT_INCLUDE=<this file>; it runs
# right after project(lammps), in the top-level directory scope, i.e. before
# LAMMPS's KOKKOS.cmake calls find_package(Kokkos).
#
# Debian's Kokkos 3.4 (libtrilinos-kokkos-dev) creates Kokkos::kokkos with
# INTERFACE_INCLUDE_DIRECTORIES = /usr/lib/include (prefix computed as four
# levels above .../cmake/Kokkos/KokkosConfig.cmake), while the headers are in
# /usr/include/trilinos. Imported targets cannot be fixed before they exist, so
# find Kokkos here and correct the target. LAMMPS's own find_package(Kokkos)
# later reuses it: KokkosConfig.cmake returns early when already included in
# this scope and only creates Kokkos::kokkos "if(NOT TARGET Kokkos::kokkos)".
#
# BACKMAP's own build includes it too (unittest/CMakeLists.txt, with BACKMAP_KOKKOS_OPTIONAL):
# there Kokkos is looked for quietly, and the kernel tests are left out without it.
include_guard(GLOBAL)
if(PKG_KOKKOS AND EXTERNAL_KOKKOS)
  find_package(Kokkos 3.4.01 REQUIRED CONFIG)
elseif(BACKMAP_KOKKOS_OPTIONAL)
  find_package(Kokkos 3.4.01 QUIET CONFIG)
endif()
if(TARGET Kokkos::kokkos AND ((PKG_KOKKOS AND EXTERNAL_KOKKOS) OR BACKMAP_KOKKOS_OPTIONAL))
  set(_hints)
  foreach(_d ${Kokkos_INCLUDE_DIRS})   # the config's own (correct) value, with ../
    get_filename_component(_d "${_d}" ABSOLUTE)
    list(APPEND _hints "${_d}")
  endforeach()
  find_path(BACKMAP_KOKKOS_INCLUDE_DIR Kokkos_Core.hpp
            HINTS ${_hints} PATHS /usr/include/trilinos NO_DEFAULT_PATH)
  if(NOT BACKMAP_KOKKOS_INCLUDE_DIR)
    message(FATAL_ERROR "Kokkos_Core.hpp not found (looked in ${Kokkos_INCLUDE_DIRS} and /usr/include/trilinos)")
  endif()
  set_target_properties(Kokkos::kokkos PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${BACKMAP_KOKKOS_INCLUDE_DIR}")
  message(STATUS "BACKMAP: Kokkos::kokkos include directory set to ${BACKMAP_KOKKOS_INCLUDE_DIR}")
endif()
