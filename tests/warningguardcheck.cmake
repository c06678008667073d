# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DSOURCE_DIR=... -P warningguardcheck.cmake: every QTest::failOnWarning guard is set in
# init(). Qt clears the guard after each test function, so one set in initTestCase() guards the
# first function only and lets warnings in all the others pass unseen.
file(GLOB_RECURSE _tests "${SOURCE_DIR}/tests/*.cpp")
set(_guarded 0)
set(_wrong)
foreach(_file IN LISTS _tests)
    file(READ "${_file}" _text)
    if(NOT _text MATCHES "failOnWarning")
        continue()
    endif()
    math(EXPR _guarded "${_guarded} + 1")
    # A guard inside the body of initTestCase(): no closing brace between the two.
    if(_text MATCHES "initTestCase\\(\\)[^}]*failOnWarning")
        list(APPEND _wrong "${_file}")
    elseif(NOT _text MATCHES "void init\\(\\)[^}]*failOnWarning")
        list(APPEND _wrong "${_file}")
    endif()
endforeach()
if(_guarded EQUAL 0)
    message(FATAL_ERROR "warningguardcheck: no test sets QTest::failOnWarning; nothing was checked")
endif()
if(_wrong)
    string(REPLACE ";" "\n  " _list "${_wrong}")
    message(FATAL_ERROR "QTest::failOnWarning must be set in init(), not initTestCase():\n  ${_list}")
endif()
message(STATUS "${_guarded} test files set their warning guard in init()")
