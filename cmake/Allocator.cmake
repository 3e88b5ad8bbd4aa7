# The malloc the services run on (common/allocator.h). mimalloc (Debian's libmimalloc-dev): the
# services allocate and free per message, and glibc's malloc, with its free-list consolidation,
# took 15-20 % of normalize's CPU (issue #18, docs/performance.md). Linked as a shared library
# ahead of libc, its malloc and free replace glibc's for the whole process, librdkafka's and
# hiredis's allocations included.
#
# Sanitizer and fuzz trees keep the system's: AddressSanitizer must own malloc to check it.
set(SWITCHYARD_ALLOCATOR "mimalloc" CACHE STRING "malloc of the service binaries: mimalloc or system")
set_property(CACHE SWITCHYARD_ALLOCATOR PROPERTY STRINGS mimalloc system)
if(NOT SWITCHYARD_ALLOCATOR MATCHES "^(mimalloc|system)$")
  message(FATAL_ERROR "SWITCHYARD_ALLOCATOR must be mimalloc or system, not \"${SWITCHYARD_ALLOCATOR}\"")
endif()
set(SWITCHYARD_ALLOCATOR_IN_USE ${SWITCHYARD_ALLOCATOR})
if(SWITCHYARD_SANITIZE OR SWITCHYARD_FUZZ)
  set(SWITCHYARD_ALLOCATOR_IN_USE system)
endif()
if(SWITCHYARD_ALLOCATOR_IN_USE STREQUAL "mimalloc")
  find_package(mimalloc 2.0 REQUIRED)
endif()
message(STATUS "Service allocator: ${SWITCHYARD_ALLOCATOR_IN_USE}")

# Links the chosen allocator into a service executable.
function(switchyard_link_allocator target)
  if(SWITCHYARD_ALLOCATOR_IN_USE STREQUAL "mimalloc")
    target_link_libraries(${target} PRIVATE mimalloc)
  endif()
endfunction()
