#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts the real window on an Xvfb display, runs a snippet in the local sandbox and saves a
# screenshot taken from the X server: the welcome snippet, then a snippet with rich results and
# an error in the light and in the dark theme.
# Usage: xvfb_smoke.sh PLAYGROUND OUTPUT_DIR RICH_ERROR_SNIPPET
set -euo pipefail
playground=$1
out=$2
snippet=$3
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$out"

shoot() { # NAME [playground arguments...]: a fresh home each, as on a first start
    local shot=$out/$1.png
    local run=$home/$1
    shift
    rm -f "$shot"
    # A private data/config home: the run never touches the user's files.
    XDG_CONFIG_HOME=$run/config XDG_DATA_HOME=$run/data XDG_CACHE_HOME=$run/cache \
    XDG_RUNTIME_DIR=$run/runtime QT_QPA_PLATFORM=xcb \
    DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/agentbay-xvfb-bus \
        timeout 120 xvfb-run -a -s '-screen 0 1440x900x24' "$playground" "$@" --screenshot "$shot"
    [ -s "$shot" ] || { echo "no screenshot written: $shot"; exit 1; }
    local size deviation mean
    size=$(identify -format '%wx%h' "$shot")
    deviation=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
    mean=$(convert "$shot" -colorspace Gray -format '%[fx:mean]' info:)
    echo "screenshot $shot: $size, grey mean $mean, standard deviation $deviation"
    # A blank or black frame has no deviation; the window with text has plenty.
    awk -v d="$deviation" 'BEGIN { exit !(d > 0.05) }' || { echo "screenshot looks blank"; exit 1; }
    LAST_MEAN=$mean
}

shoot main-window
grep -q 'deleted' "$home"/main-window/data/agentbay-playground/logs/agentbay-playground.log ||
    { echo "the log shows no deleted session"; exit 1; }
shoot main-window-light --theme light --open "$snippet"
light=$LAST_MEAN
shoot main-window-dark --theme dark --open "$snippet"
dark=$LAST_MEAN
# The dark theme really is darker, everywhere at once.
awk -v l="$light" -v d="$dark" 'BEGIN { exit !(l - d > 0.25) }' ||
    { echo "the dark screenshot ($dark) is not darker than the light one ($light)"; exit 1; }
