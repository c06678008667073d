# SPDX-License-Identifier: GPL-3.0-or-later
# AgentBay Playground Python kernel driver.
#
# Runs inside the sandbox, one process per session. Reads one JSON request per line on stdin and
# answers with frames on the original stdout, each line starting with the record separator
# \x1e so that stray output (a C extension writing to fd 1) can never be mistaken for a frame:
# "stream" frames carry output as it is written (at most maxOutput characters a run), a "done"
# frame ends each run. State lives in one namespace across runs.
import ast
import base64
import builtins
import io
import json
import linecache
import os
import signal
import sys
import time
import traceback

CELL = "<cell>"
_proto = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace", newline="\n")
os.dup2(2, 1)  # anything written to fd 1 from now on lands in the stderr pipe


def _send(frame):
    _proto.write("\x1e" + json.dumps(frame, ensure_ascii=False, separators=(",", ":")) + "\n")
    _proto.flush()


class _Capture(io.TextIOBase):
    """A text stream that sends what user code writes as stream frames, at most `limit` chars
    per run in all; beyond that it only counts what it drops."""

    FLUSH_AT = 16384

    def __init__(self, name, budget):
        super().__init__()
        self.name = name
        self.budget = budget
        self.run_id = None
        self._buffer = []
        self._size = 0

    encoding = "utf-8"
    errors = "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if not text:
            return 0
        kept = self.budget.take(len(text))
        if kept:
            self._buffer.append(text[:kept])
            self._size += kept
            if self._size >= self.FLUSH_AT:
                self.flush()
        return len(text)

    def flush(self):
        if self._buffer:
            _send({"type": "stream", "id": self.run_id, "name": self.name,
                   "text": "".join(self._buffer)})
            self._buffer = []
            self._size = 0


class _Budget:
    """The output one run may send, shared by stdout and stderr."""

    def __init__(self, limit):
        self.left = limit
        self.dropped = 0

    def take(self, wanted):
        kept = min(wanted, max(self.left, 0))
        self.left -= kept
        self.dropped += wanted - kept
        return kept


_REPR_METHODS = (
    ("text/html", "_repr_html_"),
    ("text/markdown", "_repr_markdown_"),
    ("image/svg+xml", "_repr_svg_"),
    ("image/png", "_repr_png_"),
    ("image/jpeg", "_repr_jpeg_"),
    ("text/latex", "_repr_latex_"),
    ("application/json", "_repr_json_"),
)


def _mime_bundle(value):
    bundle = {}
    mimebundle = getattr(value, "_repr_mimebundle_", None)
    if callable(mimebundle):
        try:
            data = mimebundle()
            if isinstance(data, tuple):
                data = data[0]
            if isinstance(data, dict):
                bundle.update(data)
        except Exception:
            pass
    for mime, method in _REPR_METHODS:
        if mime in bundle:
            continue
        fn = getattr(value, method, None)
        if not callable(fn) or isinstance(value, type):
            continue
        try:
            data = fn()
        except Exception:
            continue
        if data is None:
            continue
        if isinstance(data, tuple):
            data = data[0]
        bundle[mime] = data
    if "text/plain" not in bundle:
        try:
            bundle["text/plain"] = repr(value)
        except Exception as exc:
            bundle["text/plain"] = "<unrepresentable %s: %s>" % (type(value).__name__, exc)
    for mime, data in list(bundle.items()):
        if isinstance(data, (bytes, bytearray)):
            bundle[mime] = base64.b64encode(bytes(data)).decode("ascii")
        elif mime == "application/json" or mime.endswith("+json"):
            if not isinstance(data, str):
                bundle[mime] = json.dumps(data, default=str)
        elif not isinstance(data, str):
            bundle[mime] = str(data)
    return bundle


class _Kernel:
    def __init__(self):
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.count = 0
        self.results = []
        builtins.display = self.display

    def display(self, *values, **_kwargs):
        for value in values:
            self.results.append(_mime_bundle(value))

    def _figures(self):
        # Open matplotlib figures become PNG results, as plt.show() does in Jupyter.
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        try:
            for number in pyplot.get_fignums():
                figure = pyplot.figure(number)
                buffer = io.BytesIO()
                figure.savefig(buffer, format="png", bbox_inches="tight")
                self.results.append({
                    "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                    "text/plain": repr(figure),
                })
            pyplot.close("all")
        except Exception as exc:
            sys.stderr.write("could not render figure: %s\n" % exc)

    def _patch_show(self):
        # Once pyplot is loaded, plt.show() emits the open figures at that point of the run.
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None or getattr(pyplot.show, "_agentbay", False):
            return

        def show(*_args, **_kwargs):
            self._figures()

        show._agentbay = True
        pyplot.show = show

    def _error(self, exc):
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != "<string>"]
        text = ""
        if frames:
            text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        line = None
        if isinstance(exc, SyntaxError) and exc.filename == CELL:
            line = exc.lineno
        else:
            cell_frames = [f for f in frames if f.filename == CELL]
            if cell_frames:
                line = cell_frames[-1].lineno
        error = {"name": type(exc).__name__, "value": str(exc), "traceback": text}
        if line is not None:
            error["line"] = line
        return error

    def execute(self, request):
        code = request.get("code", "")
        self.count += 1
        self.results = []
        budget = _Budget(int(request.get("maxOutput", 8 * 1024 * 1024)))
        out, err = _Capture("stdout", budget), _Capture("stderr", budget)
        out.run_id = err.run_id = request.get("id")
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        linecache.cache[CELL] = (len(code), None, code.splitlines(True), CELL)
        error = None
        started = time.monotonic()
        self._patch_show()
        try:
            tree = ast.parse(code, filename=CELL, mode="exec")
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, CELL, "exec"), self.namespace)
            value = None
            if last is not None:
                value = eval(compile(last, CELL, "eval"), self.namespace)
            self._figures()
            if value is not None:
                bundle = _mime_bundle(value)
                bundle["isMainResult"] = True
                self.results.append(bundle)
                self.namespace["_"] = value
        except BaseException as exc:  # user code may raise anything, SystemExit included
            error = self._error(exc)
            self._figures()  # what was drawn before the error is still shown, as in Jupyter
        finally:
            sys.stdout, sys.stderr = saved
            out.flush()
            err.flush()
        _send({
            "id": request.get("id"),
            "type": "done",
            "result": self.results,
            "error": error,
            "executionCount": self.count,
            "executionTime": round(time.monotonic() - started, 6),
            "droppedOutput": budget.dropped,
        })


def main():
    kernel = _Kernel()
    _send({"type": "ready", "language": "python", "version": sys.version.split()[0],
           "executable": sys.executable, "pid": os.getpid()})
    while True:
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            continue  # an interrupt that arrived between runs
        if not line:
            return
        try:
            request = json.loads(line)
        except ValueError as exc:
            _send({"type": "protocol-error", "message": str(exc)})
            continue
        try:
            kernel.execute(request)
        except KeyboardInterrupt:
            _send({"id": request.get("id"), "type": "done", "result": [],
                   "executionCount": kernel.count,
                   "error": {"name": "KeyboardInterrupt", "value": "", "traceback": ""}})


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
