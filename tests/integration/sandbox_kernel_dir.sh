#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The sandbox runs the kernel drivers it finds on disk, not only says it does: a Python driver
# that exits with a message of its own is put where the sandbox looks, (1) named by --kernel-dir,
# (2) in ../share/agentbay-playground/kernels beside a copy of the program. A run then fails with
# that message, while JavaScript (its real driver beside it) still runs.
# Usage: sandbox_kernel_dir.sh SANDBOX RUNNER
set -euo pipefail
sandbox=$1 runner=$2
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
kernels=$(dirname "$sandbox")/../share/agentbay-playground/kernels

make_drivers() {
    mkdir -p "$1"
    cp "$kernels/node_kernel.js" "$kernels/r_kernel.R" "$kernels/java_kernel.java" \
        "$kernels/file_tool.py" "$1/"
    echo 'import sys; sys.exit("this is the driver read from disk")' >"$1/python_kernel.py"
}

check() { # check LABEL SANDBOX [ARGUMENT...]
    local label=$1
    shift
    "$@" >"$work/ready" 2>"$work/sandbox.err" &
    pid=$!
    for _ in $(seq 1 100); do
        [ -s "$work/ready" ] && break
        sleep 0.1
    done
    local endpoint key
    endpoint=$(sed -n 's/.*"endpoint":"\([^"]*\)".*/\1/p' "$work/ready")
    key=$(sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p' "$work/ready")
    [ -n "$endpoint" ] || { cat "$work/sandbox.err"; echo "FAIL: $label: no endpoint"; exit 1; }
    echo "$label: $(sed 's/"apiKey":"[^"]*"/"apiKey":"(masked)"/' "$work/ready")"
    if echo 'print("the built-in driver ran")' |
        "$runner" --endpoint "$endpoint" --api-key "$key" - >"$work/out" 2>&1; then
        cat "$work/out"
        echo "FAIL: $label: the Python run succeeded, so the driver on disk was not used"
        exit 1
    fi
    grep -q "this is the driver read from disk" "$work/out" ||
        { cat "$work/out"; echo "FAIL: $label: the driver's message is missing"; exit 1; }
    echo 'console.log(6 * 7)' | "$runner" --endpoint "$endpoint" --api-key "$key" \
        --language javascript - >"$work/js" 2>&1 || { cat "$work/js"; exit 1; }
    grep -qx 42 "$work/js" || { cat "$work/js"; echo "FAIL: $label: JavaScript"; exit 1; }
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    echo "$label: the Python run failed with the driver's own message; JavaScript printed 42"
}

make_drivers "$work/named"
check "--kernel-dir" "$sandbox" --kernel-dir "$work/named"

mkdir -p "$work/prefix/bin"
cp "$sandbox" "$work/prefix/bin/"
make_drivers "$work/prefix/share/agentbay-playground/kernels"
check "beside the program" "$work/prefix/bin/$(basename "$sandbox")"

# A named directory that lacks a driver is refused at start, with the file named.
mkdir -p "$work/incomplete"
if "$sandbox" --kernel-dir "$work/incomplete" >/dev/null 2>"$work/refused"; then
    echo "FAIL: a sandbox without drivers started"
    exit 1
fi
grep -q "python_kernel.py" "$work/refused" || { cat "$work/refused"; exit 1; }
echo "incomplete --kernel-dir: $(cat "$work/refused")"
