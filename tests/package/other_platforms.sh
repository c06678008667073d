#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What of the Windows and macOS recipes this Debian machine can check (it cannot build either
# platform's programs): the NSIS installer script compiles with makensis and has its Start-menu
# shortcut, uninstaller and icon; the version resource compiles with the MinGW resource
# compiler; the .ico and .icns rendered from the SVG hold the sizes each platform wants.
# The installer built here holds the Linux programs: it checks the recipe, it is not a product.
# Usage: other_platforms.sh CPACK_CONFIG ICON_DIR APP_ID RC_FILE VERSION
set -euo pipefail
config=$1 icons=$2 app_id=$3 rc=$4 version=$5
source "$(dirname "$0")/common.sh"

installer=$(build_package "$config" NSIS64 exe)
file -b "$installer" | tee "$work/type"
grep -q "Nullsoft Installer" "$work/type" || fail "not an NSIS installer"
script=$(find "$work/out" -name project.nsi | head -n 1)
grep -q 'CreateShortCut "$SMPROGRAMS\\$STARTMENU_FOLDER\\AgentBay Playground.lnk" "$INSTDIR\\bin\\agentbay-playground.exe"' \
    "$script" || fail "no Start-menu shortcut to the window"
grep -q 'WriteUninstaller "$INSTDIR\\Uninstall AgentBay Playground.exe"' "$script" ||
    fail "no uninstaller"
grep -q "MUI_ICON \"$icons/$app_id.ico\"" "$script" || fail "the installer has not the icon"
grep -q "AgentBay Playground $version" "$script" || fail "the installer does not name $version"
echo "NSIS: installer built; Start-menu shortcut, uninstaller, icon and version in its script"

windres=$(command -v x86_64-w64-mingw32-windres) || fail "x86_64-w64-mingw32-windres is missing"
"$windres" -I "$(dirname "$rc")" -O coff -o "$work/version.o" "$rc" || fail "windres $rc"
x86_64-w64-mingw32-objdump -h "$work/version.o" | grep -q '\.rsrc' || fail "no .rsrc section"
strings -el "$work/version.o" | grep -qx "$version" || fail "the version resource lacks $version"
echo "Windows version resource: compiles, with the icon and FileVersion $version"

file -b "$icons/$app_id.ico" | tee "$work/ico"
grep -q "7 icons" "$work/ico" || fail "the .ico does not hold 7 sizes"
file -b "$icons/$app_id.icns" | grep -q "Mac OS X icon" || fail "the .icns is not an icon family"
for type in icp4 icp5 ic07 ic08 ic09 ic10 ic11 ic12 ic13 ic14; do
    grep -a -q "$type" "$icons/$app_id.icns" || fail "the .icns lacks $type"
done
echo ".icns: 10 elements (16 to 1024 pixels, @2x included)"
