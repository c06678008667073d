#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs tst_secretstore against a real Secret Service: a private D-Bus session with
# gnome-keyring-daemon unlocked with a throw-away password in a throw-away home. Usage: script TEST_BINARY
set -euo pipefail
test_binary=$1
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_RUNTIME_DIR=$home/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
    printf "agentbay-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    AGENTBAY_TEST_KEYRING=present exec "$0"' "$test_binary"
