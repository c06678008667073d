# SPDX-License-Identifier: GPL-3.0-or-later
# AgentBay Playground file tools, with the argument names and answer texts of the AgentBay cloud's
# filesystem tools (which the SDKs parse): read_file (offset/length in bytes; "format": "binary"
# answers the bytes in base64), write_file,
# list_directory, create_directory, get_file_info, move_file, delete_file, edit_file,
# search_files, read_multiple_files and get_file_change.
#
# Runs inside the session's sandbox as the session's uid, one request on stdin
# ({"tool", "args", "workspace", "maxBytes", "confined", "state"}), one JSON answer on stdout
# ({"text", "isError", "state"}). "state" is what the server keeps for the session between calls:
# get_file_change's last look at each watched directory. Relative paths start at the workspace. Confined (under bubblewrap), the
# session is a machine of its own and any path of it may be used: the read-only system refuses
# writes, the host's files are not there. Otherwise paths must resolve inside the workspace.
import base64
import datetime
import difflib
import fnmatch
import json
import os
import stat
import sys


CONFINED = False


def inside(workspace, path):
    if not isinstance(path, str) or not path:
        raise ValueError("path is required")
    full = os.path.realpath(os.path.join(workspace, path))
    if CONFINED:
        return full
    root = os.path.realpath(workspace)
    if full != root and not full.startswith(root + os.sep):
        raise PermissionError("%s is outside the session workspace %s" % (path, workspace))
    return full


def read_bytes(path, offset, length, max_bytes):
    with open(path, "rb") as f:
        if offset > 0:
            f.seek(offset)
        return f.read(min(length, max_bytes) if length > 0 else max_bytes)


def read_text(path, offset, length, max_bytes):
    return read_bytes(path, offset, length, max_bytes).decode("utf-8", errors="replace")


def read_file(workspace, args, max_bytes):
    offset = max(0, int(args.get("offset") or 0))
    length = max(0, int(args.get("length") or 0))
    path = inside(workspace, args.get("path"))
    form = args.get("format") or "text"
    if form == "binary":
        # The SDKs' read(..., format="bytes"): the bytes in base64, which must fit the answer.
        return base64.b64encode(read_bytes(path, offset, length, max_bytes // 4 * 3)).decode()
    if form != "text":
        raise ValueError("format must be text or binary, not %r" % form)
    return read_text(path, offset, length, max_bytes)


def write_file(workspace, args, max_bytes):
    path = inside(workspace, args.get("path"))
    mode = args.get("mode", "overwrite")
    if mode not in ("overwrite", "append"):
        raise ValueError("mode must be overwrite or append, not %r" % mode)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a" if mode == "append" else "w", encoding="utf-8") as f:
        f.write(str(args.get("content", "")))
    return "Successfully wrote to %s" % args.get("path")


def list_directory(workspace, args, max_bytes):
    entries = sorted(os.scandir(inside(workspace, args.get("path"))), key=lambda e: e.name)
    return "\n".join(("[DIR] " if e.is_dir(follow_symlinks=False) else "[FILE] ") + e.name
                     for e in entries)


def create_directory(workspace, args, max_bytes):
    os.makedirs(inside(workspace, args.get("path")), exist_ok=True)
    return "Successfully created directory %s" % args.get("path")


def iso(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def get_file_info(workspace, args, max_bytes):
    info = os.stat(inside(workspace, args.get("path")))
    directory = stat.S_ISDIR(info.st_mode)
    lines = [("size", info.st_size), ("created", iso(info.st_ctime)),
             ("modified", iso(info.st_mtime)), ("accessed", iso(info.st_atime)),
             ("isDirectory", "true" if directory else "false"),
             ("isFile", "true" if stat.S_ISREG(info.st_mode) else "false"),
             ("permissions", "%03o" % stat.S_IMODE(info.st_mode))]
    return "\n".join("%s: %s" % line for line in lines)


def move_file(workspace, args, max_bytes):
    source = inside(workspace, args.get("source"))
    destination = inside(workspace, args.get("destination"))
    if os.path.lexists(destination):
        raise FileExistsError("destination %s already exists" % args.get("destination"))
    os.rename(source, destination)
    return "Successfully moved %s to %s" % (args.get("source"), args.get("destination"))


def delete_file(workspace, args, max_bytes):
    path = inside(workspace, args.get("path"))
    if os.path.isdir(path) and not os.path.islink(path):
        raise IsADirectoryError("%s is a directory" % args.get("path"))
    os.remove(path)
    return "Successfully deleted %s" % args.get("path")


def edit_file(workspace, args, max_bytes):
    path = inside(workspace, args.get("path"))
    edits = args.get("edits")
    if not isinstance(edits, list) or not edits:
        raise ValueError("edits must be a list of {oldText, newText}")
    with open(path, "r", encoding="utf-8", newline="") as f:
        original = f.read()
    text = original
    for edit in edits:
        old, new = str(edit.get("oldText", "")), str(edit.get("newText", ""))
        if not old or old not in text:
            raise ValueError("Could not find exact match for edit:\n%s" % old)
        text = text.replace(old, new, 1)
    diff = "".join(difflib.unified_diff(original.splitlines(True), text.splitlines(True),
                                        args.get("path"), args.get("path")))
    if not args.get("dryRun"):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return "```diff\n%s```\n\n" % diff


def matches(pattern, name, relative):
    if any(c in pattern for c in "*?["):
        bare = pattern[3:] if pattern.startswith("**/") else pattern
        return fnmatch.fnmatch(name, bare) or fnmatch.fnmatch(relative, pattern)
    return pattern.lower() in name.lower()


def search_files(workspace, args, max_bytes):
    root = inside(workspace, args.get("path"))
    pattern = str(args.get("pattern") or "")
    if not pattern:
        raise ValueError("pattern is required")
    excluded = args.get("excludePatterns") or []
    if isinstance(excluded, str):  # the Python SDK joins them with commas, TypeScript sends a list
        excluded = excluded.split(",")
    excluded = [str(p).strip() for p in excluded if str(p).strip()]
    found = []
    for directory, subdirectories, files in os.walk(root):
        for name in sorted(subdirectories) + sorted(files):
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, root)
            if any(matches(p, name, relative) for p in excluded):
                if name in subdirectories:
                    subdirectories.remove(name)
                continue
            if matches(pattern, name, relative):
                found.append(os.path.join(args.get("path"), relative))
        subdirectories.sort()
    return "\n".join(found) if found else "No matches found"


def read_multiple_files(workspace, args, max_bytes):
    paths = args.get("paths")
    if not isinstance(paths, list):
        raise ValueError("paths must be a list")
    parts = []
    for path in paths:
        try:
            parts.append("%s:\n%s\n" % (path, read_text(inside(workspace, path), 0, 0, max_bytes)))
        except Exception as exc:
            parts.append("%s: Error - %s: %s" % (path, type(exc).__name__, exc))
    return "\n---\n".join(parts)


WATCHED_ENTRIES = 20000  # a directory watch looks at most this many entries


def look_at(root):
    """Every entry under root: its path relative to root -> [is directory, size, mtime in ns]."""
    seen = {}
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in subdirectories + sorted(files):
            full = os.path.join(directory, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue  # gone while looking
            seen[os.path.relpath(full, root)] = [stat.S_ISDIR(info.st_mode), info.st_size,
                                                 info.st_mtime_ns]
            if len(seen) >= WATCHED_ENTRIES:
                return seen
    return seen


def get_file_change(workspace, args, max_bytes):
    """The changes under a directory since the last call for it, as the cloud's JSON list of
    {"eventType": create|modify|delete, "path", "pathType": file|directory}. The first call
    for a directory starts watching it and answers an empty list."""
    given = args.get("path")
    root = inside(workspace, given)
    if not os.path.isdir(root):
        raise FileNotFoundError("%s is not a directory" % given)
    now = look_at(root)
    watches = STATE.setdefault("watches", {})
    before = watches.get(root)
    watches[root] = now
    if before is None:
        return "[]"
    events = []
    for relative in sorted(set(before) | set(now)):
        old, new = before.get(relative), now.get(relative)
        if old is not None and new is not None:
            if old[0] == new[0] and (new[0] or old[1:] == new[1:]):
                continue
            kind = "modify" if old[0] == new[0] else None
        else:
            kind = "create" if old is None else "delete"
        entry = new if new is not None else old
        path = os.path.join(given, relative)
        if kind is None:  # a file became a directory or the other way round
            events.append({"eventType": "delete", "path": path,
                           "pathType": "directory" if old[0] else "file"})
            kind, entry = "create", new
        events.append({"eventType": kind, "path": path,
                       "pathType": "directory" if entry[0] else "file"})
    return json.dumps(events)


TOOLS = {tool.__name__: tool for tool in (
    read_file, write_file, list_directory, create_directory, get_file_info, move_file,
    delete_file, edit_file, search_files, read_multiple_files, get_file_change)}
STATE = {}


def main():
    global CONFINED
    request = json.loads(sys.stdin.read())
    tool, args, workspace = request["tool"], request.get("args") or {}, request["workspace"]
    CONFINED = bool(request.get("confined"))
    STATE.update(request.get("state") or {})
    try:
        if tool not in TOOLS:
            raise ValueError("unknown file tool %r" % tool)
        text = TOOLS[tool](workspace, args, int(request.get("maxBytes", 8 * 1024 * 1024)))
        answer = {"text": text, "isError": False}
    except Exception as exc:  # every failure is the tool's answer, never a crash
        answer = {"text": "%s: %s" % (type(exc).__name__, exc), "isError": True}
    answer["state"] = STATE
    sys.stdout.write(json.dumps(answer))


main()
