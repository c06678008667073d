# SPDX-License-Identifier: GPL-3.0-or-later
# The Windows recipe: an NSIS installer (Start-menu shortcut, uninstaller, entry in Apps &
# features) and a ZIP, both holding the programs with the Qt libraries windeployqt gathers.
# It cannot be built on Debian (no Windows Qt 6 there): build on Windows with MSVC and Qt >= 6.5,
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTBAY_BUILD_TESTS=OFF
#   cmake --build build && cd build && cpack -G "NSIS;ZIP"
# The version resource and the icon come from packaging/windows/version.rc.in (configured in
# packaging/CMakeLists.txt); the NSIS settings themselves are in CPackProjectConfig.cmake.in,
# which is read when cpack runs; windeployqt runs from Packaging.cmake.

set(CPACK_GENERATOR NSIS ZIP)

# The executable's icon and version resource.
target_sources(agentbay-playground PRIVATE ${AGENTBAY_WINDOWS_RC})
add_dependencies(agentbay-playground agentbay_icons)
