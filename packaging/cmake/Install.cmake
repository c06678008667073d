# SPDX-License-Identifier: GPL-3.0-or-later
# Install rules: the three programs; the full package layout grows with the packaging work.
set(_agentbay_programs agentbay-sandbox agentbay-run)
if(AGENTBAY_BUILD_GUI)
    list(APPEND _agentbay_programs agentbay-playground)
endif()
install(TARGETS ${_agentbay_programs} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
