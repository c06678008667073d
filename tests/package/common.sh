# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the package tests: a scratch directory, failing with a message, building a package.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# build_package CPACK_CONFIG GENERATOR SUFFIX: writes the package to $work/out, says so on
# stderr and prints its path; fails when cpack fails or writes no such file.
build_package() {
    local log=$work/cpack-$2.log package
    if ! cpack --config "$1" -G "$2" -B "$work/out" >"$log" 2>&1; then
        cat "$log" >&2
        fail "cpack -G $2 failed"
    fi
    package=$(find "$work/out" -maxdepth 1 -type f -name "*.$3" | head -n 1)
    [ -n "$package" ] || fail "cpack -G $2 wrote no .$3 file"
    echo "built $(basename "$package"): $(stat -c %s "$package") bytes" >&2
    echo "$package"
}

# run_hello BIN_DIR KERNEL_DIR TEXT: prints TEXT from Python through BIN_DIR/agentbay-run with the
# system PATH only, and checks the output, that the sandbox beside the runner served it and that
# the sandbox read the kernel drivers in KERNEL_DIR.
run_hello() {
    local bin=$1 kernels=$2 text=$3
    echo "print(\"$text\")" |
        env -u AGENTBAY_SANDBOX_PROGRAM -u AGENTBAY_ENDPOINT -u AGENTBAY_API_KEY \
            PATH=/usr/sbin:/usr/bin:/sbin:/bin "$bin/agentbay-run" --verbose --timeout 30 - \
            >"$work/hello.out" 2>"$work/hello.err" ||
        { cat "$work/hello.err"; fail "$bin/agentbay-run failed"; }
    cat "$work/hello.out"
    grep -qxF "$text" "$work/hello.out" || fail "no '$text' from $bin/agentbay-run"
    grep -qF "starting \"$bin/agentbay-sandbox\"" "$work/hello.err" ||
        fail "$bin/agentbay-run did not start the sandbox beside it"
    grep -qF "kernels from \"$kernels\"" "$work/hello.err" ||
        fail "the sandbox did not read the drivers in $kernels"
    grep -o 'kernels from "[^"]*"' "$work/hello.err"
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
