# SPDX-License-Identifier: GPL-3.0-or-later
# One INTERFACE target carries the project's string and warning policy; every target links it.

add_library(agentbay_options INTERFACE)
add_library(AgentBay::Options ALIAS agentbay_options)

target_compile_definitions(agentbay_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

target_compile_options(agentbay_options INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wold-style-cast -Wshadow
        -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-qual -Wformat=2>
    $<$<BOOL:${AGENTBAY_WERROR}>:-Werror>)

# Hardening of every binary we ship, as Debian builds its own (lintian checks each): full RELRO,
# a stack protector, and glibc's checked functions in optimised builds (the sanitizers do their
# own checking, and _FORTIFY_SOURCE needs optimisation).
target_link_options(agentbay_options INTERFACE
    $<$<PLATFORM_ID:Linux>:-Wl,-z,relro,-z,now>)
target_compile_options(agentbay_options INTERFACE
    $<$<AND:$<PLATFORM_ID:Linux>,$<CXX_COMPILER_ID:GNU,Clang>>:-fstack-protector-strong>)

# The version reaches C++ through one generated header.
configure_file(${CMAKE_SOURCE_DIR}/packaging/cmake/agentbayversion.h.in
    ${CMAKE_BINARY_DIR}/generated/agentbayversion.h @ONLY)
target_include_directories(agentbay_options INTERFACE ${CMAKE_BINARY_DIR}/generated)

option(AGENTBAY_WERROR "Treat compiler warnings as errors" OFF)
set(AGENTBAY_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address;undefined")
if(AGENTBAY_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "AGENTBAY_BUILD_FUZZERS needs clang (use the fuzz preset)")
    endif()
    # Coverage instrumentation for everything the fuzzers reach.
    target_compile_options(agentbay_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(NOT AGENTBAY_SANITIZE)
    target_compile_definitions(agentbay_options INTERFACE
        $<$<AND:$<PLATFORM_ID:Linux>,$<NOT:$<CONFIG:Debug>>>:_FORTIFY_SOURCE=2>)
endif()
if(AGENTBAY_SANITIZE)
    list(JOIN AGENTBAY_SANITIZE "," _agentbay_sanitizers)
    target_compile_options(agentbay_options INTERFACE
        -fsanitize=${_agentbay_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(agentbay_options INTERFACE -fsanitize=${_agentbay_sanitizers})
endif()
