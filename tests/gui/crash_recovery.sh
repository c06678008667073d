#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing typed is lost to a crash: starts the real window on Xvfb, types into two tabs with
# xdotool (real X key events), waits for the autosave, kills the window with SIGKILL, starts it
# again and compares the tabs it brings back with what was typed.
# Usage: crash_recovery.sh PLAYGROUND
set -euo pipefail
playground=$1
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache
export XDG_RUNTIME_DIR=$home/runtime QT_QPA_PLATFORM=xcb
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/agentbay-crash-bus
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

timeout 120 xvfb-run -a -s '-screen 0 1440x900x24' bash -euo pipefail -c '
    playground=$0 home=$1
    "$playground" >"$home/first.log" 2>&1 &
    pid=$!
    window=
    for _ in $(seq 1 200); do
        window=$(xdotool search --onlyvisible --name "AgentBay Playground" 2>/dev/null | head -1 || true)
        [ -n "$window" ] && break
        sleep 0.1
    done
    [ -n "$window" ] || { echo "the window did not appear"; exit 1; }
    sleep 1.5
    # Without a window manager the first focus request can race the window being mapped
    # (BadMatch from X_SetInputFocus): ask again until the server accepts it.
    focused=
    for _ in $(seq 1 50); do
        if xdotool windowfocus --sync "$window" 2>/dev/null; then focused=1; break; fi
        sleep 0.1
    done
    [ -n "$focused" ] || { echo "the window never took the keyboard focus"; exit 1; }
    # Into the editor (a click), to the start of the welcome snippet, and type a line there.
    xdotool mousemove --window "$window" 640 300 click 1
    sleep 0.3
    xdotool key ctrl+Home
    xdotool type --delay 20 "crash_marker = 42  # typed before the crash"
    xdotool key Return
    # A second tab (Ctrl+T) with its own text.
    xdotool key ctrl+t
    sleep 0.5
    xdotool type --delay 20 "print(\"second tab survives\")"
    sleep 3.5   # the autosave interval is 2 s
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    echo "killed the window with SIGKILL"
    "$playground" --report-startup >"$home/second.json" 2>"$home/second.log"
' "$playground" "$home"

/usr/bin/python3 - "$home/second.json" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("{")]
report = json.loads(lines[-1])
tabs = report["tabs"]
print("restored tabs:", [(t["title"], t["text"][:45], t["cursorLine"], t["cursorIndex"], t["dirty"]) for t in tabs])
assert len(tabs) == 2, "expected the 2 tabs that were open"
first, second = tabs
assert first["text"].startswith("crash_marker = 42  # typed before the crash\n# Welcome"), first["text"][:80]
assert (first["cursorLine"], first["cursorIndex"]) == (1, 0), (first["cursorLine"], first["cursorIndex"])
assert first["dirty"], "an unsaved tab comes back marked unsaved"
assert second["text"] == 'print("second tab survives")', second["text"]
assert second["cursorIndex"] == len('print("second tab survives")')
print("every tab came back with its text and cursor")
PY
