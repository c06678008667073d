# SPDX-License-Identifier: GPL-3.0-or-later
# The macOS recipe: "AgentBay Playground.app" with its Info.plist and icon, agentbay-sandbox and
# agentbay-run beside the window in Contents/MacOS, the kernel drivers in Contents/Resources,
# the Qt frameworks gathered by macdeployqt (run from Packaging.cmake), all in a DragNDrop disk
# image.
# It cannot be built on Debian: build on macOS with Qt >= 6.5,
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAGENTBAY_BUILD_TESTS=OFF
#   cmake --build build && cd build && cpack -G DragNDrop

set(CPACK_GENERATOR DragNDrop)
set(CPACK_DMG_VOLUME_NAME "AgentBay Playground")
set(CPACK_DMG_FORMAT UDZO)

set(_icns ${AGENTBAY_ICON_DIR}/${AGENTBAY_APP_ID}.icns)
# Source properties belong to a directory: set them where the target is.
set_source_files_properties(${_icns} TARGET_DIRECTORY agentbay-playground PROPERTIES
    MACOSX_PACKAGE_LOCATION Resources GENERATED TRUE)
target_sources(agentbay-playground PRIVATE ${_icns})
add_dependencies(agentbay-playground agentbay_icons)
set_target_properties(agentbay-playground PROPERTIES
    OUTPUT_NAME "AgentBay Playground"
    MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/packaging/macos/Info.plist.in
    MACOSX_BUNDLE_BUNDLE_NAME "AgentBay Playground"
    MACOSX_BUNDLE_GUI_IDENTIFIER ${AGENTBAY_APP_ID}
    MACOSX_BUNDLE_ICON_FILE ${AGENTBAY_APP_ID}.icns
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_COPYRIGHT "GPL-3.0-or-later")
