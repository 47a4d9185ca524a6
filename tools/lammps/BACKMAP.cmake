# LAMMPS CMake module for the BACKMAP package (installed by build_lammps.sh as
# <lammps>/cmake/Modules/Packages/BACKMAP.cmake). LAMMPS compiles and
# style-registers the styles in src/BACKMAP/*.cpp itself; the core they use lives
# in src/BACKMAP/core/, in layers built here by the core's own CMakeLists.txt and
# linked into liblammps (the layers up to `engine` and `metrics`; training is not).

# LibTorch 1.13 headers need C++17. LAMMPS 20220106 does
# set(CMAKE_CXX_STANDARD 11) (a normal variable, so -DCMAKE_CXX_STANDARD=17
# cannot override it) *before* add_library(lammps), and includes this file
# afterwards: setting the variable here would be too late for lammps/lmp, so
# raise the standard on the target. PUBLIC: lmp and anything else linking
# liblammps compiles LAMMPS headers with the same standard.
set_target_properties(lammps PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
target_compile_features(lammps PUBLIC cxx_std_17)
# targets created later (KOKKOS.cmake only raises the variable to 14 if lower)
set(CMAKE_CXX_STANDARD 17)

add_subdirectory(${LAMMPS_SOURCE_DIR}/BACKMAP/core ${CMAKE_BINARY_DIR}/backmap_core)
# PUBLIC: liblammps is static, so lmp (and anything else linking it) needs the layers too
target_link_libraries(lammps PUBLIC backmap_lammps_core)

# LAMMPS_VERSION_NUMBER (yyyymmdd) from src/version.h ("29 Sep 2021"): fix backmap picks the
# neighbour-request API by it (the API changed in 24Mar2022).
file(STRINGS "${LAMMPS_SOURCE_DIR}/version.h" BACKMAP_LAMMPS_VERSION_LINE REGEX "LAMMPS_VERSION \"")
string(REGEX MATCH "\"([0-9]+) ([A-Za-z]+) ([0-9]+)\"" _ "${BACKMAP_LAMMPS_VERSION_LINE}")
set(BACKMAP_MONTHS Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)
list(FIND BACKMAP_MONTHS "${CMAKE_MATCH_2}" BACKMAP_MONTH_INDEX)
if(BACKMAP_MONTH_INDEX LESS 0)
  message(FATAL_ERROR "BACKMAP: cannot read the LAMMPS version from ${LAMMPS_SOURCE_DIR}/version.h")
endif()
math(EXPR BACKMAP_LAMMPS_VERSION_NUMBER
     "${CMAKE_MATCH_3} * 10000 + (${BACKMAP_MONTH_INDEX} + 1) * 100 + ${CMAKE_MATCH_1}")
message(STATUS "BACKMAP: building into LAMMPS ${BACKMAP_LAMMPS_VERSION_NUMBER}")
# on the package's own sources only: a definition on the whole target would recompile LAMMPS
file(GLOB BACKMAP_PACKAGE_SOURCES ${LAMMPS_SOURCE_DIR}/BACKMAP/*.cpp)
set_property(SOURCE ${BACKMAP_PACKAGE_SOURCES} APPEND PROPERTY
             COMPILE_DEFINITIONS LAMMPS_VERSION_NUMBER=${BACKMAP_LAMMPS_VERSION_NUMBER})
