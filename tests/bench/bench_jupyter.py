#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Side by side, in one run on one machine: the local sandbox and a Jupyter kernel.

Measures for both: a warm `1+1` round trip (median of N), start to first result (a new session
or a new kernel, until `1+1` answers), and a 1 000 000-line `print` flood (until the whole
output is back). Prints the figures and the ratios (Jupyter / sandbox). Needs Debian's
python3-jupyter-client and python3-ipykernel; without them it says so and exits 0. It never
fails on speed.

Usage: bench_jupyter.py AGENTBAY_SANDBOX [WARM_RUNS] [FLOOD_LINES]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

KEY = "akm-bench-jupyter-key"


class Sandbox:
    """agentbay-sandbox on 127.0.0.1:0, spoken to as the SDKs do (form-encoded POP requests)."""

    def __init__(self, program):
        self.keyfile = tempfile.NamedTemporaryFile("w", delete=False)
        self.keyfile.write(KEY)
        self.keyfile.close()
        self.process = subprocess.Popen(
            [program, "--listen", "127.0.0.1:0", "--api-key-file", self.keyfile.name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        ready = json.loads(self.process.stdout.readline())
        self.endpoint = ready["endpoint"].rstrip("/")

    def call(self, action, fields):
        body = urllib.parse.urlencode(dict(fields, Authorization="Bearer " + KEY)).encode()
        request = urllib.request.Request(
            "%s/?Action=%s" % (self.endpoint, action), data=body,
            headers={"x-acs-action": action,
                     "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())

    def new_session(self):
        return self.call("CreateMcpSession", {"ImageId": "code_latest"})["Data"]["SessionId"]

    def run(self, session, code, timeout=60):
        envelope = self.call("CallMcpTool", {
            "SessionId": session, "Name": "run_code", "Server": "",
            "Args": json.dumps({"code": code, "language": "python", "timeout_s": timeout})})
        text = json.loads(envelope["Data"]["content"][0]["text"])
        if text.get("executionError"):
            raise RuntimeError(text["executionError"])
        return text

    def delete(self, session):
        self.call("DeleteSessionAsync", {"SessionId": session})

    def close(self):
        self.process.terminate()
        self.process.wait(10)
        os.unlink(self.keyfile.name)


def sandbox_figures(program, warm_runs, flood_lines):
    sandbox = Sandbox(program)
    try:
        started = time.perf_counter()
        session = sandbox.new_session()
        sandbox.run(session, "1+1")
        start_to_first = time.perf_counter() - started
        warm = []
        for _ in range(warm_runs):
            t = time.perf_counter()
            sandbox.run(session, "1+1")
            warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = sandbox.run(session, "for i in range(%d): print('line', i)" % flood_lines)
        flood = time.perf_counter() - t
        lines = sum(chunk.count("\n") for chunk in result["stdout"])
        sandbox.delete(session)
        return statistics.median(warm), start_to_first, flood, lines
    finally:
        sandbox.close()


def jupyter_figures(warm_runs, flood_lines):
    from jupyter_client.manager import start_new_kernel

    # ipykernel's debugger otherwise warns about frozen modules on every start.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    started = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        client.execute_interactive("1+1", output_hook=lambda message: None, timeout=60)
        start_to_first = time.perf_counter() - started
        warm = []
        for _ in range(warm_runs):
            t = time.perf_counter()
            client.execute_interactive("1+1", output_hook=lambda message: None, timeout=60)
            warm.append(time.perf_counter() - t)
        lines = [0]

        def count(message):
            if message["msg_type"] == "stream":
                lines[0] += message["content"]["text"].count("\n")

        t = time.perf_counter()
        client.execute_interactive("for i in range(%d): print('line', i)" % flood_lines,
                                   output_hook=count, timeout=600)
        flood = time.perf_counter() - t
        return statistics.median(warm), start_to_first, flood, lines[0]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip())
        return 2
    program = sys.argv[1]
    warm_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    flood_lines = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    try:
        import jupyter_client  # noqa: F401
        import ipykernel  # noqa: F401
    except ImportError as missing:
        print("bench_jupyter: skipped, Jupyter is not installed here (%s); install Debian's "
              "python3-jupyter-client and python3-ipykernel to compare" % missing)
        return 0
    ours = sandbox_figures(program, warm_runs, flood_lines)
    theirs = jupyter_figures(warm_runs, flood_lines)
    print("side by side, one machine, one run (sandbox | Jupyter | Jupyter / sandbox)")
    rows = (("warm 1+1, median of %d (ms)" % warm_runs, 0, 1000.0),
            ("start to first result (ms)", 1, 1000.0),
            ("%d-line flood, whole output back (s)" % flood_lines, 2, 1.0))
    for label, index, scale in rows:
        a, b = ours[index] * scale, theirs[index] * scale
        print("  %-42s %10.2f %10.2f %8.1fx" % (label, a, b, b / a if a > 0 else float("nan")))
    print("  lines received: sandbox %d, Jupyter %d, of %d" % (ours[3], theirs[3], flood_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
