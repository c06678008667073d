#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The .deb on a real system: apt installs it (dependencies resolved, recommends not taken), the
# installed programs run from /usr with their installed kernel drivers, the desktop entry starts
# the installed window, and apt removes it all again. Needs root (it changes /usr); skipped
# otherwise, and skipped when the package is already installed, so a user's copy is not touched.
# Usage: deb_install.sh CPACK_CONFIG VERSION APP_ID
set -euo pipefail
config=$1 version=$2 app_id=$3
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing a package needs root"
    exit 77
fi
if dpkg-query -W -f='${Status}' agentbay-playground 2>/dev/null | grep -q 'ok installed'; then
    echo "SKIP: agentbay-playground is installed on this machine already; not touching it"
    exit 77
fi
source "$(dirname "$0")/common.sh"
installed=
cleanup() {
    if [ -n "$installed" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq agentbay-playground >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

deb=$(build_package "$config" DEB deb)
# Installed by apt from the file, as a user would: Depends come from the archive if missing.
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
    >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install $deb"; }
dpkg-query -W -f='${Status} ${Version}\n' agentbay-playground | tee "$work/status"
grep -q "install ok installed $version" "$work/status" || fail "the package is not installed"

# A clean environment: the system PATH only, a fresh home.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_DATA_HOME=$work/home/data
export XDG_CACHE_HOME=$work/home/cache XDG_RUNTIME_DIR=$work/home/runtime
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
clean=(env -u AGENTBAY_SANDBOX_PROGRAM -u AGENTBAY_ENDPOINT -u AGENTBAY_API_KEY
    PATH=/usr/sbin:/usr/bin:/sbin:/bin)

out=$("${clean[@]}" /usr/bin/agentbay-playground --version)
echo "$out"
[ "$out" = "agentbay-playground $version" ] || fail "the installed --version says '$out'"

# The installed sandbox reads the installed drivers.
ready=$(sandbox_ready_line "${clean[@]}" /usr/bin/agentbay-sandbox)
echo "installed sandbox: $ready"
[[ "$ready" == *'"kernels":"/usr/share/agentbay-playground/kernels"'* ]] ||
    fail "the installed sandbox does not read /usr/share/agentbay-playground/kernels"

# Hello snippets through the installed runner, on the sandbox it starts.
run_hello /usr/bin /usr/share/agentbay-playground/kernels "hello from the installed playground"
echo 'console.log("hello from JavaScript", 6 * 7)' |
    "${clean[@]}" /usr/bin/agentbay-run --language javascript - | tee "$work/js.out"
grep -qx "hello from JavaScript 42" "$work/js.out" || fail "no JavaScript hello"

# The shared-sandbox unit: installed, valid to systemd, hardened, and not enabled.
unit=/usr/lib/systemd/system/agentbay-sandbox.service
[ -f "$unit" ] || fail "no systemd unit at $unit"
grep -q '^ExecStart=/usr/bin/agentbay-sandbox ' "$unit" || fail "the unit does not start /usr/bin/agentbay-sandbox"
systemd-analyze verify --man=no "$unit" >"$work/verify.txt" 2>&1 ||
    { cat "$work/verify.txt"; fail "systemd-analyze verify $unit"; }
echo "systemd-analyze verify: $(wc -l <"$work/verify.txt") lines of complaint"
[ ! -s "$work/verify.txt" ] || { cat "$work/verify.txt"; fail "systemd-analyze verify complained"; }
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: //p')
echo "systemd-analyze security: exposure $exposure"
! compgen -G "/etc/systemd/system/*.wants/agentbay-sandbox.service" >/dev/null ||
    fail "the package enabled the shared sandbox"

# The desktop entry starts the installed binary.
entry=/usr/share/applications/$app_id.desktop
exec_line=$(sed -n 's/^Exec=//p' "$entry")
program=${exec_line%% *}
resolved=$("${clean[@]}" bash -c "command -v '$program'")
echo "desktop entry: Exec=$exec_line -> $resolved"
[ "$resolved" = /usr/bin/agentbay-playground ] || fail "Exec resolves to '$resolved'"
dpkg -S "$resolved" | grep -q '^agentbay-playground:' || fail "$resolved is not the package's"

# The installed window starts on a real X server (its platform plugin comes from the Depends).
if command -v xvfb-run >/dev/null; then
    report=$("${clean[@]}" QT_QPA_PLATFORM=xcb DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus \
        timeout 60 xvfb-run -a "$resolved" --report-startup 2>"$work/window.err" | grep '^{' | tail -n 1) ||
        { cat "$work/window.err"; fail "the installed window did not start"; }
    echo "installed window on Xvfb: ${report:0:120}"
    [[ "$report" == *'"firstPaintMs"'* ]] || fail "the installed window reported no first paint"
fi

# Removed again, files and all.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq agentbay-playground >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log"; fail "apt-get purge"; }
installed=
! dpkg-query -W -f='${Status}' agentbay-playground 2>/dev/null | grep -q 'ok installed' ||
    fail "still installed after purge"
for gone in /usr/bin/agentbay-playground /usr/bin/agentbay-sandbox /usr/bin/agentbay-run \
    /usr/share/agentbay-playground "$entry"; do
    [ ! -e "$gone" ] || fail "$gone is left after purge"
done
echo "purged: no file of the package is left"
