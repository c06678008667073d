#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the failing-write case of tst_snippetlibrary where writes really fail, even for root:
# a library bound read-only, and a library on a 64 KiB tmpfs (disk full), both by bubblewrap.
# Usage: library_failing_writes.sh TEST_BINARY
set -euo pipefail
test_binary=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/readonly"
printf 'original\n' > "$work/readonly/kept.py"
exec bwrap --dev-bind / / --ro-bind "$work/readonly" "$work/readonly" \
    --size 65536 --tmpfs /tmp/agentbay-full \
    --setenv AGENTBAY_TEST_READONLY_LIBRARY "$work/readonly" \
    --setenv AGENTBAY_TEST_FULL_LIBRARY /tmp/agentbay-full \
    bash -c 'printf "original\n" > /tmp/agentbay-full/kept.py &&
             exec "$0" aFailedWrite_leavesTheOldFileWhole_andSaysWhy' "$test_binary"
