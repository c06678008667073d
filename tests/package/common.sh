# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the package tests: a scratch directory, failing with a message, building a package.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# build_package CPACK_CONFIG GENERATOR: writes the package to $work/out and prints its path.
build_package() {
    local log=$work/cpack-$2.log
    if ! cpack --config "$1" -G "$2" -B "$work/out" >"$log" 2>&1; then
        cat "$log" >&2
        fail "cpack -G $2 failed"
    fi
    find "$work/out" -maxdepth 1 -type f -name "*.$3" | head -n 1
}

# sandbox_ready_line PROGRAM [ARGUMENT...]: starts a sandbox, prints the JSON line it announces
# itself with (the API key masked) and ends it.
sandbox_ready_line() {
    "$@" >"$work/ready" 2>"$work/sandbox.err" &
    local pid=$! _
    for _ in $(seq 1 100); do
        [ -s "$work/ready" ] && break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    head -n 1 "$work/ready" | sed 's/"apiKey":"[^"]*"/"apiKey":"(masked)"/'
}
