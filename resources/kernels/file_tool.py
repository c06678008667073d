# SPDX-License-Identifier: GPL-3.0-or-later
# AgentBay Playground file tools: read_file, write_file, list_directory.
#
# Runs inside the session's sandbox as the session's uid, one request on stdin
# ({"tool", "args", "workspace"}), one JSON answer on stdout ({"text", "isError"}). Paths must
# resolve inside the workspace; the sandbox around this process is the second guard.
import json
import os
import sys


def inside(workspace, path):
    if not isinstance(path, str) or not path:
        raise ValueError("path is required")
    full = os.path.realpath(os.path.join(workspace, path))
    root = os.path.realpath(workspace)
    if full != root and not full.startswith(root + os.sep):
        raise PermissionError("%s is outside the session workspace %s" % (path, workspace))
    return full


def main():
    request = json.loads(sys.stdin.read())
    tool, args, workspace = request["tool"], request.get("args") or {}, request["workspace"]
    try:
        path = inside(workspace, args.get("path"))
        if tool == "read_file":
            with open(path, "r", encoding="utf-8", errors="replace") as f:
                text = f.read(int(request.get("maxBytes", 8 * 1024 * 1024)))
        elif tool == "write_file":
            mode = args.get("mode", "overwrite")
            if mode not in ("overwrite", "append"):
                raise ValueError("mode must be overwrite or append, not %r" % mode)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "a" if mode == "append" else "w", encoding="utf-8") as f:
                f.write(str(args.get("content", "")))
            text = "Successfully wrote to %s" % args.get("path")
        elif tool == "list_directory":
            entries = sorted(os.scandir(path), key=lambda e: e.name)
            text = "\n".join(("[DIR] " if e.is_dir(follow_symlinks=False) else "[FILE] ") + e.name
                             for e in entries)
        else:
            raise ValueError("unknown file tool %r" % tool)
        answer = {"text": text, "isError": False}
    except Exception as exc:  # every failure is the tool's answer, never a crash
        answer = {"text": "%s: %s" % (type(exc).__name__, exc), "isError": True}
    sys.stdout.write(json.dumps(answer))


main()
