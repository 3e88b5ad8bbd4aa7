# Precompiled headers (CI time): the standard library, simdjson and, for the tests, GoogleTest
# are most of what every translation unit parses. Two small targets precompile them once, and
# every C++ target of the tree reuses one (REUSE_FROM), so no target pays for its own PCH.
# A PCH must match the compiler and the flags exactly, and clang refuses one whose command-line
# macros differ from its user's: so in a clang tree (the fuzz tree) each of our two libraries
# precompiles its own instead of reusing one (switchyard_precompile_headers_per_library).
option(SWITCHYARD_PCH "Precompile common headers" ON)

set(SWITCHYARD_PCH_HEADERS
  <algorithm> <array> <atomic> <charconv> <chrono> <cstdint> <filesystem> <fstream>
  <functional> <map> <memory> <mutex> <optional> <set> <sstream> <stdexcept> <string>
  <string_view> <thread> <utility> <variant> <vector> <simdjson.h>)

# True when `target` links `wanted` directly or through the targets it links.
function(_switchyard_links_to target wanted out)
  set(seen "")
  set(queue ${target})
  set(found FALSE)
  while(queue AND NOT found)
    list(POP_FRONT queue current)
    if(current IN_LIST seen OR NOT TARGET ${current})
      continue()
    endif()
    list(APPEND seen ${current})
    get_target_property(type ${current} TYPE)
    set(deps "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${current} LINK_LIBRARIES)
      if(direct)
        list(APPEND deps ${direct})
      endif()
    endif()
    get_target_property(iface ${current} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND deps ${iface})
    endif()
    foreach(dep IN LISTS deps)
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" dep "${dep}")
      if(dep STREQUAL wanted)
        set(found TRUE)
        break()
      endif()
      list(APPEND queue ${dep})
    endforeach()
  endwhile()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

function(_switchyard_targets_in dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _switchyard_targets_in(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Clang trees: switchyard_common and switchyard_connectors each precompile the headers for their
# own sources (each has dozens of files, so two PCHs pay for themselves).
function(switchyard_precompile_headers_per_library)
  if(NOT SWITCHYARD_PCH)
    return()
  endif()
  foreach(target switchyard_common switchyard_connectors)
    target_precompile_headers(${target} PRIVATE ${SWITCHYARD_PCH_HEADERS})
  endforeach()
endfunction()

# Call once, after every add_subdirectory: gives switchyard_common and each C++ target that links
# it the shared PCH (the one with GoogleTest when it links gtest too). The PCH targets link the
# same packages as switchyard_common, so their macros match (hiredis' _FILE_OFFSET_BITS changes
# the standard headers; simdjson's SIMDJSON_THREADS_ENABLED its own). Any other target keeps its
# plain build. A clang tree gets the per-library PCHs above instead.
function(switchyard_precompile_headers)
  if(NOT SWITCHYARD_PCH)
    return()
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    switchyard_precompile_headers_per_library()
    return()
  endif()
  _switchyard_targets_in(${PROJECT_SOURCE_DIR} targets)

  set(pch_dir ${PROJECT_BINARY_DIR}/pch)
  file(WRITE ${pch_dir}/pch.cpp "// Carries the precompiled headers that the other targets reuse.\n")
  get_target_property(common_links switchyard_common LINK_LIBRARIES)
  list(FILTER common_links INCLUDE REGEX "::")  # the packages, not our own targets
  add_library(switchyard_pch STATIC ${pch_dir}/pch.cpp)
  target_link_libraries(switchyard_pch PRIVATE ${common_links})
  target_precompile_headers(switchyard_pch PRIVATE ${SWITCHYARD_PCH_HEADERS})

  # GTest's imported targets belong to the directory that found them (tests/): find it here too,
  # or there would be no test PCH and every test file would parse GoogleTest itself.
  if(SWITCHYARD_BUILD_TESTS)
    find_package(GTest QUIET)
  endif()
  set(with_tests FALSE)
  if(TARGET GTest::gtest)
    set(with_tests TRUE)
    add_library(switchyard_test_pch STATIC ${pch_dir}/pch.cpp)
    target_link_libraries(switchyard_test_pch PRIVATE ${common_links} GTest::gtest GTest::gmock)
    # Compiled as the tests are (-O1 in optimised trees), so that its flags match theirs.
    target_compile_options(switchyard_test_pch PRIVATE ${SWITCHYARD_TEST_COMPILE_OPTIONS})
    target_precompile_headers(switchyard_test_pch PRIVATE
      ${SWITCHYARD_PCH_HEADERS} <gtest/gtest.h> <gmock/gmock.h>)
  endif()

  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(sources ${target} SOURCES)
    if(NOT sources MATCHES "\\.cpp")
      continue()
    endif()
    _switchyard_links_to(${target} switchyard_common uses_common)
    if(NOT uses_common AND NOT target STREQUAL "switchyard_common")
      continue()
    endif()
    set(pch switchyard_pch)
    if(with_tests)
      _switchyard_links_to(${target} GTest::gtest uses_gtest)
      if(uses_gtest)
        set(pch switchyard_test_pch)
      endif()
    endif()
    target_precompile_headers(${target} REUSE_FROM ${pch})
  endforeach()
endfunction()
