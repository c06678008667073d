#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The programs find their sandbox and kernel drivers relative to themselves, wherever they are:
# the .tar.gz unpacked under a path with a space, and `cmake --install --strip` into another
# prefix. Each runs a hello snippet on its own sandbox with its own drivers, and no installed
# binary holds a path of the build machine.
# Usage: relocatable.sh CPACK_CONFIG BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
config=$1 build=$2 source=$3 version=$4
source "$(dirname "$0")/common.sh"

archive=$(build_package "$config" TGZ tar.gz)
mkdir -p "$work/any where"
tar -xzf "$archive" -C "$work/any where"
unpacked="$work/any where/agentbay-playground-$version-Linux"
[ -x "$unpacked/bin/agentbay-run" ] || fail "the archive does not unpack to $unpacked/bin"

cmake --install "$build" --prefix "$work/other prefix" --strip >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install"; }

export HOME=$work/home
mkdir -p "$HOME"
for prefix in "$unpacked" "$work/other prefix"; do
    echo "== $prefix"
    echo "sandbox: $(sandbox_ready_line "$prefix/bin/agentbay-sandbox")"
    run_hello "$prefix/bin" "$prefix/share/agentbay-playground/kernels" \
        "hello from a relocated playground"
    out=$("$prefix/bin/agentbay-playground" --version)
    [ "$out" = "agentbay-playground $version" ] || fail "$prefix: --version says '$out'"
    for program in "$prefix"/bin/*; do
        for path in "$source" "$build"; do
            ! grep -a -q -F "$path" "$program" || fail "$program holds the build path $path"
        done
    done
    echo "no binary in $prefix/bin names $source or $build"
done
