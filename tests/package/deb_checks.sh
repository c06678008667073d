#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The .deb as a distribution sees it: control fields (Depends computed, qt6-qpa-plugins in them,
# the interpreters and bubblewrap recommended), lintian with every tag level shown, the desktop
# entry and the AppStream metainfo validated, the manual pages formatted without a warning, and
# the version of the project in every place it appears.
# Usage: deb_checks.sh CPACK_CONFIG VERSION APP_ID
set -euo pipefail
config=$1 version=$2 app_id=$3
source "$(dirname "$0")/common.sh"

deb=$(build_package "$config" DEB deb)

# Control fields.
[ "$(dpkg-deb -f "$deb" Package)" = agentbay-playground ] || fail "package name"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
for needed in qt6-qpa-plugins 'libc6 (' 'libqt6widgets6 (' 'libqt6core6 (' 'libqscintilla2-qt6-15 (' \
    'libqt6keychain1 (' 'libqt6svg6 (' 'libseccomp2 ('; do
    [[ ", $depends" == *", $needed"* ]] || fail "Depends lacks $needed"
done
for recommended in python3 nodejs bubblewrap node-acorn python3-numpy python3-pandas python3-scipy \
    python3-matplotlib python3-jedi python3-pyflakes; do
    [[ ", $recommends, " == *", $recommended, "* ]] || fail "Recommends lacks $recommended"
done
suggests=$(dpkg-deb -f "$deb" Suggests)
echo "Suggests: $suggests"
for suggested in r-base-core r-cran-jsonlite default-jdk-headless; do
    [[ ", $suggests, " == *", $suggested, "* ]] || fail "Suggests lacks $suggested"
done

# lintian: no error, no warning; info and pedantic tags are printed and must be ones this
# project has accepted, with the reason, in lintian-accepted.txt (one tag a line).
lintian --allow-root --display-level '>=pedantic' --display-experimental "$deb" >"$work/lintian.txt" 2>&1 ||
    true
echo "lintian (pedantic and above):"
sed 's/^/  /' "$work/lintian.txt"
echo "  ($(grep -c '^[EWIPX]:' "$work/lintian.txt" || true) tags)"
! grep -q '^[EW]:' "$work/lintian.txt" || fail "lintian reports errors or warnings"
accepted=$(dirname "$0")/lintian-accepted.txt
sources=$(cd "$(dirname "$0")/../.." && pwd)
while read -r level _ tag word _; do
    # A "misspelled" word that is in no text of ours is bytes of compiled code that happen to
    # read as one (it comes and goes with the code's layout); one that is in our text is real.
    if [[ $tag == spelling-error-in-binary ]] &&
        ! grep -rqw --include='*.cpp' --include='*.h' --include='*.py' --include='*.js' \
            --include='*.ui' --include='*.in' -e "$word" "$sources/core" "$sources/ui" \
            "$sources/app" "$sources/resources" "$sources/packaging"; then
        echo "  ($word is in no source file: bytes of compiled code, not a word of ours)"
        continue
    fi
    grep -q "^$tag " "$accepted" || fail "lintian tag $tag ($level) is not in lintian-accepted.txt"
done < <(grep '^[IPX]:' "$work/lintian.txt" || true)

# The installed tree.
dpkg-deb -x "$deb" "$work/root"
root=$work/root
for file in usr/bin/agentbay-playground usr/bin/agentbay-sandbox usr/bin/agentbay-run \
    usr/share/agentbay-playground/kernels/python_kernel.py \
    usr/share/agentbay-playground/kernels/node_kernel.js \
    usr/share/agentbay-playground/kernels/file_tool.py \
    "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
    "usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
    usr/share/man/man1/agentbay-playground.1.gz usr/share/man/man1/agentbay-sandbox.1.gz \
    usr/share/man/man1/agentbay-run.1.gz \
    usr/share/doc/agentbay-playground/copyright usr/share/doc/agentbay-playground/changelog.gz; do
    [ -f "$root/$file" ] || fail "the package lacks /$file"
done
for size in 16 22 24 32 48 64 128 256 512; do
    png=$root/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    file -b "$png" | grep -q "PNG image data, $size x $size" || fail "no ${size}px icon"
done
echo "files: the three programs, 3 kernel drivers, desktop entry, metainfo, SVG and 9 PNG icons, 3 manual pages, copyright, changelog"

desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
echo "desktop-file-validate: no complaint"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/$app_id.metainfo.xml" \
    | tee "$work/appstream.txt"
! grep -qE '^[EWIP]: ' "$work/appstream.txt" || fail "appstreamcli has remarks"

# The manual pages format without a warning.
for page in "$root"/usr/share/man/man1/*.1.gz; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
    [ -z "$warnings" ] || fail "$(basename "$page"): $warnings"
done
echo "man --warnings: the three pages format cleanly"

# One version everywhere.
grep -q "<release version=\"$version\" date=\"" "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
    fail "the metainfo release is not $version"
zcat "$root/usr/share/doc/agentbay-playground/changelog.gz" | head -n 1 |
    grep -q "^agentbay-playground ($version) " || fail "the changelog does not start with $version"
for page in "$root"/usr/share/man/man1/*.1.gz; do
    zcat "$page" | grep -q "^\.TH .* \"agentbay-[a-z]* $version\"" || fail "$page is not $version"
done
echo "version $version: package, metainfo release, changelog, manual pages"
