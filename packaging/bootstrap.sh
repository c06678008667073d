#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's commands, on Debian 12 as root (or with sudo):
#   bash packaging/bootstrap.sh run      install what is missing, build, start the playground
#   bash packaging/bootstrap.sh test     install what is missing, build, run the whole test suite
#   bash packaging/bootstrap.sh package  install what is missing, build, write the packages
# Each is idempotent: a second run skips the package install and rebuilds incrementally.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

# Everything the build, the programs and the tests need, by Debian package name.
packages=(
    cmake ninja-build g++ ccache binutils pkg-config libseccomp-dev
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    libqscintilla2-qt6-dev qt6-svg-dev qtkeychain-qt6-dev qt6-qpa-plugins libgl-dev fonts-dejavu-core
    python3 nodejs bubblewrap
    # What code_latest users expect to import, and the parser the JavaScript kernel rewrites on.
    python3-numpy python3-pandas python3-scipy python3-matplotlib node-acorn
    # The editor's completion, signatures and documentation (jedi), and its lint (pyflakes).
    python3-jedi python3-pyflakes
)
# What cpack needs for the .deb (dpkg-shlibdeps, file), the .rpm and the .tar.gz.
package_tools=(dpkg-dev file rpm gzip xz-utils)
test_packages=(xvfb xauth xdotool dbus gnome-keyring python3-nbformat imagemagick clang-format clang
    libclang-rt-14-dev openssl
    # The R and Java kernels, which the .deb suggests.
    r-base-core r-cran-jsonlite default-jdk-headless
    # The package tests: the distribution checks, and what can be checked of the Windows recipe.
    lintian desktop-file-utils appstream man-db systemd nsis binutils-mingw-w64-x86-64
    "${package_tools[@]}")

usage() {
    echo "usage: bash packaging/bootstrap.sh run|test|package [arguments for agentbay-playground]" >&2
    exit 2
}

install_missing() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' ||
            missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "bootstrap: all ${#} packages are installed"
        return
    fi
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "bootstrap: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

build() {
    local preset=$1
    shift
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake --preset "$preset" "${launcher[@]}" "$@" >/dev/null
    cmake --build --preset "$preset"
}

# Runs one ctest preset and adds its counts to the totals printed at the end.
passed=0
failed=0
run_tests() {
    local log status=0
    log=$(mktemp)
    ctest --preset "$1" 2>&1 | tee "$log" || status=$?
    local total fails
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    fails=$(sed -n 's/.*, \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -n 1)
    rm -f "$log"
    if [ -z "$total" ]; then
        echo "bootstrap: ctest --preset $1 ran no test" >&2
        failed=$((failed + 1))
        return
    fi
    passed=$((passed + total - fails))
    failed=$((failed + fails))
    [ "$status" -eq 0 ] || [ "$fails" -gt 0 ] || failed=$((failed + 1))
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
run)
    install_missing "${packages[@]}"
    build default -DAGENTBAY_BUILD_TESTS=OFF
    echo "bootstrap: starting build/bin/agentbay-playground (log: ~/.local/share/agentbay-playground/logs)"
    exec build/bin/agentbay-playground "$@"
    ;;
package)
    install_missing "${packages[@]}" "${package_tools[@]}"
    build default -DAGENTBAY_BUILD_TESTS=OFF
    cpack --preset default
    echo "bootstrap: packages in build/packages/:"
    ls -l build/packages/*.deb build/packages/*.rpm build/packages/*.tar.gz
    ;;
test)
    install_missing "${packages[@]}" "${test_packages[@]}"
    # 1. The release build: unit, integration, gui (offscreen), Xvfb screenshots, package (built,
    #    linted, installed, removed), benchmarks, style.
    build default -DAGENTBAY_BUILD_TESTS=ON
    run_tests default
    # 2. The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
    build asan
    run_tests asan
    # 3. libFuzzer on the parsers of untrusted bytes, seeded with the wire captures.
    build fuzz
    run_tests fuzz
    echo "bootstrap: screenshots of the window: build/screenshots/main-window{,-light,-dark}.png"
    echo "tests: ${passed} passed, ${failed} failed"
    [ "$failed" -eq 0 ]
    ;;
*)
    usage
    ;;
esac
