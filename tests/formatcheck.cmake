# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P formatcheck.cmake: every C++ file is clang-formatted.
file(GLOB_RECURSE _sources RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h"
    "${SOURCE_DIR}/core/*.cpp" "${SOURCE_DIR}/core/*.h"
    "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h"
    "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h"
    "${SOURCE_DIR}/packaging/*.cpp" "${SOURCE_DIR}/packaging/*.h")
list(LENGTH _sources _count)
if(_count EQUAL 0)
    message(FATAL_ERROR "formatcheck: no sources found under ${SOURCE_DIR}")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror ${_sources}
    WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE _rc ERROR_VARIABLE _errors)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "clang-format would change these files:\n${_errors}")
endif()
message(STATUS "${_count} files are clang-format clean")
