# SPDX-License-Identifier: GPL-3.0-or-later
# CPack: what every package says about itself, then each platform's generators.
# `cpack --preset default` (after a build of the default preset) writes them to build/packages/.

set(CPACK_PACKAGE_NAME agentbay-playground)
set(CPACK_PACKAGE_VENDOR "AgentBay Playground developers")
set(CPACK_PACKAGE_CONTACT
    "AgentBay Playground maintainers <agentbay-playground@users.noreply.github.com>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "playground for AgentBay code sessions, with a local sandbox")
set(CPACK_PACKAGE_DESCRIPTION [=[
AgentBay Playground is a native desktop playground for writing Python or
JavaScript and running it in AgentBay code sessions (Alibaba Cloud's sandboxed
code runtime), or offline in agentbay-sandbox, a local server that speaks the
same protocol and runs code in isolated, persistent kernels.

Each tab owns a session; output, rich results, errors and the session
lifecycle are shown in panes. Snippets are plain files, open tabs survive a
crash, and every run is kept in a history that exports to Jupyter notebooks.
agentbay-run runs the same code from a terminal.]=])
set(CPACK_PACKAGE_INSTALL_DIRECTORY "AgentBay Playground")
set(CPACK_PACKAGE_EXECUTABLES agentbay-playground "AgentBay Playground")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)
# Settings for one generator only (the NSIS installer's), read when cpack runs.
configure_file(${CMAKE_CURRENT_LIST_DIR}/CPackProjectConfig.cmake.in
    ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_BINARY_DIR}/CPackProjectConfig.cmake)

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # The .tar.gz unpacks to agentbay-playground-VERSION-Linux/{bin,share}, runnable from there.
    set(CPACK_GENERATOR DEB RPM TGZ)

    # Debian: Depends computed by dpkg-shlibdeps, plus the X11/Wayland platform plugins, which
    # Qt's GUI library only recommends (a --no-install-recommends install could not start).
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
        "python3, nodejs, node-acorn, bubblewrap, python3-numpy, python3-pandas, python3-scipy, python3-matplotlib, python3-jedi, python3-pyflakes")
    # R runs locally when Debian's R and jsonlite are there (the R kernel).
    set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring, r-base-core, r-cran-jsonlite, default-jdk-headless")
    set(CPACK_DEBIAN_PACKAGE_SECTION devel)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
    set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

        # RPM: requirements found by rpmbuild's own scan of the binaries (by soname, so the package
    # suits an RPM system whose Qt 6.4 or later provides them). Python, Node.js and bubblewrap
    # stay optional, as on Debian; CPack cannot write weak dependencies with this rpmbuild.
    set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
    set(CPACK_RPM_PACKAGE_LICENSE "GPL-3.0-or-later")
    set(CPACK_RPM_PACKAGE_GROUP "Development/Tools")
    set(CPACK_RPM_PACKAGE_URL ${PROJECT_HOMEPAGE_URL})
        set(CPACK_RPM_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})

    set(CPACK_RPM_PACKAGE_AUTOREQ ON)
    # Directories the system owns, not this package.
    set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /usr/share/applications /usr/share/metainfo /usr/share/man /usr/share/man/man1
        /usr/share/icons /usr/share/icons/hicolor /usr/share/doc)
    foreach(_size 16 22 24 32 48 64 128 256 512)
        list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
            /usr/share/icons/hicolor/${_size}x${_size} /usr/share/icons/hicolor/${_size}x${_size}/apps)
    endforeach()
    list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
        /usr/share/icons/hicolor/scalable /usr/share/icons/hicolor/scalable/apps)
elseif(WIN32)
    include(PackagingWindows)
elseif(APPLE)
    include(PackagingMacOS)
endif()

if(WIN32 OR APPLE)
    # Qt's deployment tool runs at install time: windeployqt puts the Qt DLLs, plugins (platforms,
    # styles, image formats, the SVG icon engine) and the compiler runtime beside the programs;
    # macdeployqt puts the frameworks and plugins into the bundle.
    if(Qt6_VERSION VERSION_GREATER_EQUAL 6.5)
        qt_generate_deploy_app_script(TARGET agentbay-playground
            OUTPUT_SCRIPT _agentbay_deploy_script
            NO_TRANSLATIONS)
        install(SCRIPT ${_agentbay_deploy_script})
    else()
        message(WARNING "Windows and macOS packages need Qt 6.5 or later for "
            "qt_generate_deploy_app_script; run windeployqt or macdeployqt on the install by hand")
    endif()
endif()

include(CPack)
