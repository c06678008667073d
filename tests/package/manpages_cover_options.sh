#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every option a program's --help lists is described in its manual page, so the two stay one.
# Usage: manpages_cover_options.sh MAN_DIR PROGRAM...
set -euo pipefail
man_dir=$1
shift
status=0
for program in "$@"; do
    name=$(basename "$program")
    page=$man_dir/$name.1
    options=$(QT_QPA_PLATFORM=offscreen "$program" --help 2>/dev/null |
        grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' | sed 's/.*--//')
    count=0
    for option in $options; do
        count=$((count + 1))
        escaped=${option//-/\\\\-}
        if ! grep -q -- "\\\\-\\\\-$escaped\\b" "$page"; then
            echo "FAIL: $name --$option is not in $page"
            status=1
        fi
    done
    [ "$count" -gt 3 ] || { echo "FAIL: found only $count options in $name --help"; status=1; }
    echo "$name: $count options in --help, looked up in $(basename "$page")"
done
exit $status
