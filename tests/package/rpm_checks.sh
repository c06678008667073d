#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The .rpm: its version, the same files as the .deb, and requirements found from the binaries.
# Usage: rpm_checks.sh CPACK_CONFIG VERSION APP_ID
set -euo pipefail
config=$1 version=$2 app_id=$3
source "$(dirname "$0")/common.sh"

rpm=$(build_package "$config" RPM rpm)
[ "$(rpm -qp --queryformat '%{NAME} %{VERSION}' "$rpm")" = "agentbay-playground $version" ] ||
    fail "name or version"
rpm -qpl "$rpm" >"$work/files"
for file in /usr/bin/agentbay-playground /usr/bin/agentbay-sandbox /usr/bin/agentbay-run \
    /usr/share/agentbay-playground/kernels/python_kernel.py \
    /usr/share/agentbay-playground/kernels/node_kernel.js \
    /usr/share/agentbay-playground/kernels/file_tool.py \
    "/usr/share/applications/$app_id.desktop" "/usr/share/metainfo/$app_id.metainfo.xml" \
    "/usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    "/usr/share/icons/hicolor/256x256/apps/$app_id.png" \
    /usr/share/man/man1/agentbay-run.1.gz /usr/share/doc/agentbay-playground/copyright; do
    grep -qxF "$file" "$work/files" || fail "the .rpm lacks $file"
done
# The system's own directories are not the package's.
! grep -qxE '/usr/share/(applications|icons|man|metainfo|doc)' "$work/files" ||
    fail "the .rpm claims a system directory"
rpm -qp --requires "$rpm" >"$work/requires"
for needed in 'libQt6Widgets.so.6()(64bit)' 'libqscintilla2_qt6.so.15()(64bit)' \
    'libqt6keychain.so.1()(64bit)' 'libseccomp.so.2()(64bit)'; do
    grep -qxF "$needed" "$work/requires" || fail "the .rpm does not require $needed"
done
echo "$(wc -l <"$work/files") paths, $(wc -l <"$work/requires") requirements, among them:"
grep -E 'Qt6Widgets.so.6\(\)|scintilla|keychain' "$work/requires" | sed 's/^/  /'

# The .deb, the .rpm and the .tar.gz hold the same files (the .rpm adds rpmbuild's build-id links).
deb=$(build_package "$config" DEB deb)
archive=$(build_package "$config" TGZ tar.gz)
rpm -qp --queryformat '[%{FILENAMES} %{FILEMODES:perms}\n]' "$rpm" | grep -v '^/usr/lib/.build-id' |
    grep -v ' d' | sed 's|^/usr/||; s| .*||' | sort >"$work/rpm.files"
dpkg-deb -c "$deb" | grep -v '^d' | sed 's|.* \./usr/||' | sort >"$work/deb.files"
tar -tvzf "$archive" | grep -v '^d' | sed 's|.* agentbay-playground-[^/]*/||' | sort >"$work/tgz.files"
grep -qx 'bin/agentbay-sandbox' "$work/deb.files" && [ "$(wc -l <"$work/deb.files")" -ge 20 ] ||
    fail "could not read the .deb's file list"
diff -u "$work/deb.files" "$work/rpm.files" || fail "the .deb and the .rpm hold different files"
diff -u "$work/deb.files" "$work/tgz.files" || fail "the .deb and the .tar.gz hold different files"
echo "the .deb, .rpm and .tar.gz hold the same $(wc -l <"$work/deb.files") files"
