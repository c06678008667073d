#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Starts the real window on an Xvfb display, runs the welcome snippet in the local sandbox and
# saves a screenshot taken from the X server. Usage: xvfb_smoke.sh PLAYGROUND OUTPUT.png
set -euo pipefail
playground=$1
shot=$2
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$(dirname "$shot")"
rm -f "$shot"
# A private data/config home: the smoke run never touches the user's files.
XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
XDG_RUNTIME_DIR=$home/runtime QT_QPA_PLATFORM=xcb \
    timeout 120 xvfb-run -a -s '-screen 0 1280x800x24' "$playground" --screenshot "$shot"
[ -s "$shot" ] || { echo "no screenshot written"; exit 1; }
size=$(identify -format '%wx%h' "$shot")
deviation=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "screenshot $shot: $size, grey standard deviation $deviation"
# A blank or black frame has no deviation; the window with text has plenty.
awk -v d="$deviation" 'BEGIN { exit !(d > 0.05) }' || { echo "screenshot looks blank"; exit 1; }
grep -q 'finished' "$home"/data/agentbay-playground/logs/agentbay-playground.log 2>/dev/null ||
    grep -q 'deleted' "$home"/data/agentbay-playground/logs/agentbay-playground.log ||
    { echo "the log shows no completed session"; exit 1; }
