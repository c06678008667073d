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
import codecs
import importlib.machinery
import importlib.util
import inspect
import io
import json
import linecache
import os
import queue
import re
import signal
import sys
import threading
import time
import traceback
import types
import warnings

CELL_PREFIX = "<cell-"  # each run's code is "<cell-N>", N its execution count
KEPT_CELLS = 500  # sources of this many runs stay in linecache for tracebacks
_proto = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace", newline="\n")
os.dup2(2, 1)  # anything written to fd 1 from now on lands in the stderr pipe
try:
    # A pipe of 1 MiB rather than 64 KiB: a flood runs ahead of the sandbox's reading instead of
    # waiting on it every two frames.
    import fcntl
    fcntl.fcntl(_proto.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
except (ImportError, OSError):
    pass


# One lock for the frame pipe and the stderr buffer: user threads print too, and a flusher
# thread sends what has waited FLUSH_AFTER seconds, so output arrives while a run is going.
_lock = threading.RLock()
FLUSH_AT = 32768  # bytes: a flood of stdout goes out in batches this size
FLUSH_AFTER = 0.005  # seconds: nothing written waits much longer than this


def _send(frame):
    data = "\x1e" + json.dumps(frame, ensure_ascii=False, separators=(",", ":")) + "\n"
    with _lock:
        _proto.write(data)
        _proto.flush()


class _Charge:
    """The run that output is charged to: its id, its budget (None between runs) and the most
    text one frame carries (a frame, escapes included, stays well under the run's limit)."""

    run_id = None
    budget = None
    frame_text = 16384


def _emit(name, text):
    with _lock:
        budget = _Charge.budget
        if budget is None or not text:
            return
        kept = budget.take(len(text))
        step = _Charge.frame_text
        for at in range(0, kept, step):
            _send({"type": "stream", "id": _Charge.run_id, "name": name,
                   "text": text[at:min(at + step, kept)]})


class _StdoutSink(io.RawIOBase):
    """The raw end of sys.stdout. sys.stdout is a C TextIOWrapper over a BufferedWriter over
    this, so print() costs what it costs into a pipe; this sees FLUSH_AT-byte batches, or what
    a flush hands it, and sends them as stream frames, after any stderr written before them."""

    def __init__(self):
        super().__init__()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def writable(self):
        return True

    def write(self, data):
        size = len(data)
        text = self._decoder.decode(bytes(data))
        _stderr.send_pending()
        _emit("stdout", text)
        return size


class _StderrStream(io.TextIOBase):
    """sys.stderr: written seldom, so plain Python; it sends stdout written before it first,
    which keeps the two streams in the order they were written."""

    encoding = "utf-8"
    errors = "backslashreplace"

    def __init__(self):
        super().__init__()
        self._buffer = []
        self._size = 0
        self._since = 0.0

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if not text:
            return 0
        _stdout_flush()  # outside the lock: the stdout buffer's own lock comes first
        with _lock:
            now = time.monotonic()
            if not self._buffer:
                self._since = now
            self._buffer.append(text)
            self._size += len(text)
            # A line completes: it goes now (an error message is read at once); a flood is
            # still batched by size and age.
            if text.endswith("\n") or self._size >= FLUSH_AT or now - self._since >= FLUSH_AFTER:
                self.send_pending()
        return len(text)

    def send_pending(self):
        with _lock:
            if self._buffer:
                text = "".join(self._buffer)
                self._buffer = []
                self._size = 0
                _emit("stderr", text)

    def flush(self):
        _stdout_flush()
        self.send_pending()


def _new_stdout():
    return io.TextIOWrapper(io.BufferedWriter(_StdoutSink(), FLUSH_AT), encoding="utf-8",
                            errors="backslashreplace", newline="\n")


_stdout = _new_stdout()
_stderr = _StderrStream()
_running = threading.Event()  # set while a run goes: the flusher sleeps otherwise


def _stdout_flush():
    try:
        _stdout.flush()
    except (ValueError, RuntimeError):
        pass  # closed by user code (a new one comes with the next run), or a reentrant call


def _flush_all():
    _stderr.send_pending()  # stderr pending was written before any stdout still buffered
    _stdout_flush()


def _flusher():
    while True:
        _running.wait()
        time.sleep(FLUSH_AFTER)
        try:
            _flush_all()
        except Exception:  # a closed pipe: the kernel is going away
            return


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
    ("application/javascript", "_repr_javascript_"),
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


class UsageError(Exception):
    """A magic the local kernel does not know (IPython's name for it)."""


def _cell_name(count):
    return "%s%d>" % (CELL_PREFIX, count)


def _run_of(filename):
    """The run a code name belongs to, or None for other files."""
    if filename.startswith(CELL_PREFIX) and filename.endswith(">"):
        try:
            return int(filename[len(CELL_PREFIX):-1])
        except ValueError:
            return None
    return None


# IPython's display idioms without IPython: `from IPython.display import display, HTML` works,
# and display() yields the matching MIME bundle. When IPython is installed its own classes are
# used (their _repr_*_ methods are honoured) and only its display() is routed to this kernel.
class _DisplayObject:
    _mime = "text/plain"

    def __init__(self, data=None, url=None, filename=None, metadata=None, **_kwargs):
        if data is None and filename:
            with open(filename, "rb" if self._binary else "r") as handle:
                data = handle.read()
        self.data = data
        self.url = url
        self.metadata = metadata or {}

    _binary = False

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = self.data
        if isinstance(data, (bytes, bytearray)) and not self._binary:
            data = data.decode("utf-8", "replace")
        return {self._mime: data, "text/plain": "<IPython.core.display.%s object>" %
                type(self).__name__}


class HTML(_DisplayObject):
    _mime = "text/html"


class Markdown(_DisplayObject):
    _mime = "text/markdown"


class Latex(_DisplayObject):
    _mime = "text/latex"


class Math(_DisplayObject):
    _mime = "text/latex"

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = self.data.strip("$") if isinstance(self.data, str) else self.data
        return {"text/latex": "$$%s$$" % text, "text/plain": "<IPython.core.display.Math object>"}


class SVG(_DisplayObject):
    _mime = "image/svg+xml"


class Javascript(_DisplayObject):
    _mime = "application/javascript"


class JSON(_DisplayObject):
    _mime = "application/json"

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = self.data
        if isinstance(data, str):
            data = json.loads(data)
        return {"application/json": json.dumps(data), "text/plain": repr(data)}


class Image(_DisplayObject):
    _binary = True

    def __init__(self, data=None, url=None, filename=None, format=None, **kwargs):
        if isinstance(data, str) and not data.startswith(("<", "data:")) and os.path.exists(data):
            filename, data = data, None
        super().__init__(data, url, filename, **kwargs)
        name = (filename or url or "").lower()
        self.format = format or ("jpeg" if name.endswith((".jpg", ".jpeg")) else "png")

    def _repr_mimebundle_(self, include=None, exclude=None):
        mime = "image/jpeg" if self.format in ("jpeg", "jpg") else "image/png"
        return {mime: self.data, "text/plain": "<IPython.core.display.Image object>"}


class Pretty(_DisplayObject):
    pass


_SHIM_NAMES = ("HTML", "Markdown", "Latex", "Math", "SVG", "Javascript", "JSON", "Image",
               "Pretty")


class _IPythonShim:
    """Provides IPython, IPython.display and IPython.core.display when IPython is missing; when
    it is present, lets it load and routes its display() here. A finder and loader by its
    methods (importlib.abc is not imported: it costs a kernel's start 20 ms)."""

    _MODULES = ("IPython", "IPython.display", "IPython.core", "IPython.core.display",
                "IPython.core.display_functions")

    def __init__(self, kernel):
        self.kernel = kernel
        self.real = None  # decided on the first import

    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib.pyplot":
            # Imported in the middle of a run: plt.show() sends the figures at that point of it
            # from the start, not only from the next run on.
            return self._patched(name, path, target, lambda module: self.kernel._patch_show())
        if name not in self._MODULES:
            return None
        if self.real is None:
            others = [f for f in sys.meta_path if f is not self]
            self.real = any(getattr(f, "find_spec", None) and f.find_spec("IPython", None)
                            for f in others)
        if self.real:
            if name in ("IPython.display", "IPython.core.display_functions"):
                kernel = self.kernel
                return self._patched(name, path, target,
                                     lambda module: setattr(module, "display", kernel.display))
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=name in
                                              ("IPython", "IPython.core"))

    def _patched(self, name, path, target, after):
        """The real module's spec, with `after(module)` run once the module has loaded."""
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                real_exec = spec.loader.exec_module

                def exec_module(module, real_exec=real_exec):
                    real_exec(module)
                    after(module)
                spec.loader.exec_module = exec_module
                return spec
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.display = self.kernel.display
        module.get_ipython = lambda: None
        for name in _SHIM_NAMES:
            setattr(module, name, globals()[name])
        module.__doc__ = "The local sandbox's stand-in for IPython's display module."
        if module.__name__ in ("IPython", "IPython.core"):
            module.__path__ = []


def _format_seconds(seconds):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("\u00b5s", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return "%.3g %s" % (seconds / scale, unit)
    return "%.3g s" % seconds


class _Magics:
    """The IPython magics a playground user types: !command, name = !command, %time, %timeit
    and %%time. Anything else starting with % is a UsageError naming what is supported."""

    SUPPORTED = "%time, %timeit, %%time and !command"

    def __init__(self, kernel):
        self.kernel = kernel

    def system(self, command, capture=False):
        import subprocess
        completed = subprocess.run(command, shell=True, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        text = completed.stdout.decode("utf-8", "replace")
        if capture:
            return text.splitlines()
        if text:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return None

    def time(self, statement, namespace, filename, line):
        tree = ast.parse(statement, filename=filename, mode="exec")
        ast.increment_lineno(tree, line - 1)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        before = os.times()
        wall = time.perf_counter()
        try:
            exec(compile(tree, filename, "exec"), namespace)
            value = eval(compile(last, filename, "eval"), namespace) if last is not None else None
        finally:
            wall = time.perf_counter() - wall
            after = os.times()
            user, system = after.user - before.user, after.system - before.system
            print("CPU times: user %s, sys: %s, total: %s\nWall time: %s" % (
                _format_seconds(user), _format_seconds(system), _format_seconds(user + system),
                _format_seconds(wall)))
        return value

    def timeit(self, statement, namespace):
        import timeit as timeit_module
        timer = timeit_module.Timer(statement, globals=namespace)
        number, _ = timer.autorange()
        number = max(1, number)
        runs = [t / number for t in timer.repeat(repeat=7, number=number)]
        mean = sum(runs) / len(runs)
        spread = (sum((r - mean) ** 2 for r in runs) / len(runs)) ** 0.5
        print("%s \u00b1 %s per loop (mean \u00b1 std. dev. of 7 runs, %d loop%s each)" % (
            _format_seconds(mean), _format_seconds(spread), number, "" if number == 1 else "s"))

    def unknown(self, text):
        name = text.split()[0] if text.split() else "%"
        raise UsageError("%s is not a magic the local kernel knows; it supports %s"
                         % (name, self.SUPPORTED))

    def transform(self, code, filename):
        """The cell with magic lines turned into calls, line for line; None if there are none."""
        lines = code.split("\n")
        changed = False
        if lines and lines[0].strip().startswith("%%"):
            magic = lines[0].strip()
            if magic.split()[0] != "%%time":
                lines[0] = "_agentbay_magics.unknown(%r)" % magic
                return "\n".join(lines)
            body = "\n".join(lines[1:])
            return "_agentbay_magics.time(%r, globals(), %r, 2)" % (body, filename)
        for index, line in enumerate(lines):
            stripped = line.lstrip()
            indent = line[:len(line) - len(stripped)]
            assigned = None
            if "=" in stripped and not stripped.startswith(("!", "%")):
                target, _, rest = stripped.partition("=")
                if rest.lstrip().startswith("!") and target.strip().isidentifier():
                    assigned, stripped = target.strip(), rest.lstrip()
            if stripped.startswith("!"):
                call = "_agentbay_magics.system(%r, capture=%s)" % (stripped[1:],
                                                                   assigned is not None)
                lines[index] = indent + (assigned + " = " + call if assigned else call)
                changed = True
            elif stripped.startswith("%timeit "):
                lines[index] = indent + "_agentbay_magics.timeit(%r, globals())" % stripped[8:]
                changed = True
            elif stripped.startswith("%time "):
                lines[index] = indent + "_agentbay_magics.time(%r, globals(), %r, %d)" % (
                    stripped[6:], filename, index + 1)
                changed = True
            elif stripped.startswith("%") and not stripped.startswith("%="):
                lines[index] = indent + "_agentbay_magics.unknown(%r)" % stripped
                changed = True
        return "\n".join(lines) if changed else None


class _Assist:
    """Completion, signatures, documentation and lint for the editor (the sandbox's "assist"
    extension). Answered on the request reader's thread, so a run in progress neither waits for
    it nor holds it up. Nothing here runs the user's code: live objects are found in the
    session's namespace and read with inspect.getattr_static (no property, descriptor,
    __getattr__ or __dir__ is called); what does not resolve that way, and every request of a
    kernel that only analyses ("static": true, before a session exists or for a cloud profile),
    is answered by jedi's script mode over the buffer, which reads source and never calls it."""

    MAX_CANDIDATES = 400
    MAX_DOC = 1200

    def __init__(self, kernel):
        self.kernel = kernel
        self.jedi = None
        self.jedi_missing = False
        self.lock = threading.Lock()  # one request at a time: jedi's caches are not shared

    def _load_jedi(self):
        if self.jedi is None and not self.jedi_missing:
            try:
                import jedi
                jedi.settings.allow_unsafe_interpreter_executions = False
                self.jedi = jedi
            except Exception:
                self.jedi_missing = True
        return self.jedi

    def _script(self, request):
        jedi = self._load_jedi()
        if jedi is None:
            return None
        return jedi.Script(request.get("code", ""), path=request.get("path") or None,
                           environment=jedi.InterpreterEnvironment())

    @staticmethod
    def _position(request):
        code = request.get("code", "")
        lines = code.split("\n")
        line = min(max(int(request.get("line", 1)), 1), max(len(lines), 1))
        text = lines[line - 1] if lines else ""
        column = min(max(int(request.get("column", len(text))), 0), len(text))
        return line, column, text, lines

    # -- live objects, read without running code

    def _resolve(self, expression):
        """The live object a dotted name (a.b.c) stands for, or _UNRESOLVED."""
        if self.kernel.static or not expression:
            return _UNRESOLVED
        parts = expression.split(".")
        namespace = self.kernel.namespace
        if parts[0] in namespace:
            value = namespace[parts[0]]
        elif parts[0] in vars(builtins):
            value = vars(builtins)[parts[0]]
        else:
            return _UNRESOLVED
        for part in parts[1:]:
            try:
                attribute = inspect.getattr_static(value, part)
            except (AttributeError, Exception):
                return _UNRESOLVED
            if isinstance(attribute, classmethod):
                attribute = types.MethodType(attribute.__func__,
                                             value if isinstance(value, type) else type(value))
            elif isinstance(attribute, staticmethod):
                attribute = attribute.__func__
            elif isinstance(attribute, types.FunctionType) and not isinstance(value, type):
                try:
                    own = object.__getattribute__(value, "__dict__")
                except Exception:
                    own = {}
                if not isinstance(own, dict) or part not in own:
                    attribute = types.MethodType(attribute, value)  # bound, as value.part is
            elif isinstance(attribute, (types.FunctionType, types.BuiltinFunctionType,
                                        types.MethodDescriptorType,
                                        types.WrapperDescriptorType)):
                pass
            elif _is_descriptor(attribute):
                return _UNRESOLVED  # a property or other computed attribute: never called
            value = attribute
        return value

    @staticmethod
    def _attributes(value):
        """Name -> kind of what value's instance dict and classes hold."""
        found = {}
        try:
            own = object.__getattribute__(value, "__dict__")
        except Exception:
            own = None
        if isinstance(own, dict):
            for name, item in list(own.items()):
                if isinstance(name, str):
                    found.setdefault(name, _kind_of(item))
        classes = list(type.__dict__["__mro__"].__get__(type(value)))
        if isinstance(value, type):
            classes = list(type.__dict__["__mro__"].__get__(value)) + classes
        for klass in classes:
            try:
                items = type.__dict__["__dict__"].__get__(klass)
            except Exception:
                continue
            for name, item in list(items.items()):
                found.setdefault(name, _kind_of(item))
        return found

    def _names_fast(self, prefix, code):
        """Plain names: the namespace's, the builtins, the keywords and those the buffer
        defines, without jedi (10 000 globals answer in a few milliseconds)."""
        import keyword
        found = {}

        def add(name, kind):
            if name.startswith(prefix) and name != prefix and name not in found:
                found[name] = kind

        if not self.kernel.static:
            for name, value in list(self.kernel.namespace.items()):
                if name.startswith(prefix) and not name.startswith("_agentbay"):
                    add(name, _kind_of(value))
        for defined, assigned in _BUFFER_NAME.findall(code):
            add(defined or assigned, "function" if defined else "statement")
        for name in keyword.kwlist:
            add(name, "keyword")
        for name, value in vars(builtins).items():
            if not name.startswith("_") or prefix.startswith("_"):
                add(name, _kind_of(value))
        return self._sorted(found, prefix)

    def _sorted(self, found, prefix):
        names = sorted(found, key=lambda n: (n.startswith("_"), n.startswith("__"), n.lower()))
        return [{"name": n, "complete": n[len(prefix):], "type": found[n]}
                for n in names[:self.MAX_CANDIDATES]]

    def complete(self, request):
        line, column, text, _lines = self._position(request)
        before = text[:column]
        match = _NAME_AT_END.search(before)
        prefix = match.group(0) if match else ""
        start = column - len(prefix)
        head = before[:start]
        dotted = head.endswith(".")
        if not dotted and not before.lstrip().startswith(("import ", "from ")):
            return self._names_fast(prefix, request.get("code", "")) if prefix else []
        if dotted:
            base = _DOTTED_AT_END.search(head[:-1])
            value = self._resolve(base.group(0)) if base else _UNRESOLVED
            if value is _UNRESOLVED and head[:-1].rstrip().endswith(("'", '"')):
                value = ""  # a string literal
            if value is not _UNRESOLVED:
                found = {name: kind for name, kind in self._attributes(value).items()
                         if name.startswith(prefix) and name != prefix
                         and (prefix.startswith("_") or not name.startswith("__"))}
                return self._sorted(found, prefix)
        script = self._script(request)
        if script is None:
            return []
        out = []
        for completion in script.complete(line, column):
            if completion.name.startswith("__") and not prefix.startswith("_"):
                continue
            out.append({"name": completion.name, "complete": completion.complete,
                        "type": completion.type})
            if len(out) >= self.MAX_CANDIDATES:
                break
        return out

    def signature(self, request):
        line, column, _text, lines = self._position(request)
        before = "\n".join(lines[:line - 1] + [lines[line - 1][:column]]) if lines else ""
        call = _call_before(before[-4000:])
        if call is not None:
            callee, index, keyword_name = call
            value = self._resolve(callee)
            if value is not _UNRESOLVED and callable(value):
                return _signature_of(value, callee.rsplit(".", 1)[-1], index, keyword_name)
        script = self._script(request)
        if script is None:
            return None
        signatures = script.get_signatures(line, column)
        if not signatures:
            return None
        signature = signatures[0]
        params = [param.to_string() for param in signature.params]
        return _labelled(signature.to_string(), params, signature.index,
                         _first_paragraph(signature.docstring(raw=True)))

    def doc(self, request):
        line, column, text, _lines = self._position(request)
        end = column
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        dotted = _DOTTED_AT_END.search(text[:end])
        value = self._resolve(dotted.group(0)) if dotted else _UNRESOLVED
        if value is not _UNRESOLVED:
            doc = inspect.getdoc(value) if not _is_plain_data(value) else None
            signature = ""
            if callable(value):
                signature = (_signature_of(value, dotted.group(0).rsplit(".", 1)[-1], None, None)
                             or {}).get("label", "")
            name = dotted.group(0)
            if not doc and not signature:
                doc = "%s: %s" % (type(value).__name__, _short_repr(value))
            return {"name": name, "type": _kind_of(value), "signature": signature,
                    "text": _first_paragraph(doc)[:self.MAX_DOC]}
        script = self._script(request)
        if script is None:
            return None
        for name in script.help(line, end) or script.infer(line, end):
            text = _first_paragraph(name.docstring(raw=True))
            signatures = []
            try:
                signatures = [s.to_string() for s in name.get_signatures()]
            except Exception:
                pass
            if text or signatures:
                return {"name": name.full_name or name.name, "type": name.type,
                        "signature": signatures[0] if signatures else "",
                        "text": text[:self.MAX_DOC]}
        return None

    def lint(self, request):
        code = request.get("code", "")
        filename = "<buffer>"
        try:
            tree = ast.parse(code, filename=filename)
        except SyntaxError as exc:
            transformed = self.kernel.magics.transform(code, filename)
            try:
                if transformed is None:
                    raise exc
                tree = ast.parse(transformed, filename=filename)
            except SyntaxError as error:
                line = error.lineno or 1
                column = max((error.offset or 1) - 1, 0)
                end = column + 1
                if getattr(error, "end_lineno", None) == line and error.end_offset:
                    end = max(error.end_offset - 1, end)
                return [{"line": line, "column": column, "endColumn": end,
                         "severity": "error", "message": "SyntaxError: %s" % error.msg}]
        try:
            from pyflakes import checker, messages
        except Exception:
            return []
        found = checker.Checker(tree, filename=filename)
        live = {} if self.kernel.static else self.kernel.namespace
        lines = code.split("\n")
        out = []
        for message in sorted(found.messages, key=lambda m: (m.lineno, m.col)):
            undefined = isinstance(message, (messages.UndefinedName, messages.UndefinedLocal,
                                             messages.UndefinedExport))
            if undefined and message.message_args[0] in live:
                continue  # defined by an earlier run of this session
            text = lines[message.lineno - 1] if 0 < message.lineno <= len(lines) else ""
            token = _NAME_AT_START.match(text[message.col:])
            end = message.col + (len(token.group(0)) if token else 1)
            out.append({"line": message.lineno, "column": message.col, "endColumn": end,
                        "severity": "error" if undefined else "warning",
                        "message": message.message % message.message_args})
        return out

    def answer(self, request):
        kind = request.get("kind", "complete")
        if kind == "lint":  # its own thread, no jedi: never waits behind completion
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return {"diagnostics": self.lint(request)}
        with self.lock, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "warm":
                jedi = self._load_jedi()
                if jedi is not None and self.kernel.static:
                    # Parse and infer once, so the first keystroke finds the caches warm.
                    self._script({"code": "import os\nos.path.join"}).complete(2, 11)
                return {"jedi": jedi is not None}
            if kind == "complete":
                return {"candidates": self.complete(request)}
            if kind == "signature":
                return {"signature": self.signature(request)}
            if kind == "doc":
                return {"doc": self.doc(request)}
            return {"error": "unknown assist kind %r" % kind}

    def handle(self, request):
        started = time.monotonic()
        try:
            answer = self.answer(request)
        except Exception as exc:  # jedi on odd code: the editor shows nothing, the kernel lives
            answer = {"error": "%s: %s" % (type(exc).__name__, exc)}
        answer["elapsedMs"] = round((time.monotonic() - started) * 1000, 2)
        _send({"type": "assist", "id": request.get("id"), "answer": answer})


_UNRESOLVED = object()


def _is_descriptor(value):
    kind = type(value)
    return any("__get__" in vars(klass) for klass in kind.__mro__) and not isinstance(
        value, (type, types.ModuleType))


def _is_plain_data(value):
    return isinstance(value, (int, float, complex, str, bytes, bool, list, dict, tuple, set))


def _kind_of(value):
    if isinstance(value, types.ModuleType):
        return "module"
    if isinstance(value, type):
        return "class"
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                          types.MethodDescriptorType, types.WrapperDescriptorType,
                          staticmethod, classmethod)):
        return "function"
    if isinstance(value, property) or _is_descriptor(value):
        return "property"
    return "instance"


def _short_repr(value):
    try:
        text = object.__repr__(value) if not _is_plain_data(value) else repr(value)
    except Exception:
        text = type(value).__name__
    return text if len(text) <= 200 else text[:199] + "\u2026"


def _call_before(text):
    """The call the cursor (at the end of text) is inside: the dotted callee, the index of the
    argument being typed and its keyword if it is one; None outside a call."""
    depth = 0
    commas = 0
    position = len(text) - 1
    quote = None
    while position >= 0:
        char = text[position]
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in ")]}":
            depth += 1
        elif char in "([{":
            if depth == 0:
                if char != "(":
                    return None
                callee = _DOTTED_AT_END.search(text[:position].rstrip())
                if not callee:
                    return None
                inside = text[position + 1:]
                keyword_name = _KEYWORD_ARGUMENT.search(inside.rsplit(",", 1)[-1])
                return (callee.group(0), commas,
                        keyword_name.group(1) if keyword_name else None)
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
        elif char == "\n" and depth == 0 and text[:position].rstrip().endswith(":"):
            return None  # a new block starts: no call is open here
        position -= 1
    return None


def _inspectable(value):
    """Whether inspect may look at value without reaching user code: functions, methods,
    built-ins, and classes of the plain metaclass (inspect.signature asks any other object for
    __wrapped__ or __signature__, which a __getattr__ of its class would answer)."""
    if isinstance(value, types.MethodType):
        value = value.__func__
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType,
                          types.MethodDescriptorType, types.WrapperDescriptorType)):
        return True
    return isinstance(value, type) and type(value) is type


def _signature_of(value, name, index, keyword_name):
    if not _inspectable(value):
        return None
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return None
    params = [str(param) for param in signature.parameters.values()]
    if keyword_name is not None:
        names = list(signature.parameters)
        index = names.index(keyword_name) if keyword_name in names else index
    elif index is not None:
        kinds = [param.kind for param in signature.parameters.values()]
        if inspect.Parameter.VAR_POSITIONAL in kinds:
            index = min(index, kinds.index(inspect.Parameter.VAR_POSITIONAL))
        if index >= len(params):
            index = None
    doc = _first_paragraph(inspect.getdoc(value)) if callable(value) else ""
    return _labelled("%s%s" % (name, signature), params, index, doc)


def _labelled(label, params, index, doc):
    answer = {"label": label, "params": params, "index": index}
    # Where the current argument is in the label, for the calltip's highlight.
    if index is not None and 0 <= index < len(params):
        at = label.find("(")
        for position, param in enumerate(params):
            found = label.find(param, at + 1)
            if found < 0:
                break
            if position == index:
                answer["highlight"] = [found, found + len(param)]
                break
            at = found + len(param) - 1
    if doc:
        answer["doc"] = doc
    return answer


_NAME_AT_END = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_NAME_AT_START = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DOTTED_AT_END = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_KEYWORD_ARGUMENT = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)")
_BUFFER_NAME = re.compile(r"(?:def|class)\s+([A-Za-z_][A-Za-z0-9_]*)|"
                          r"^[ \t]*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)", re.M)


def _first_paragraph(text):
    text = (text or "").strip()
    return text.split("\n\n", 1)[0].strip()


class _Kernel:
    def __init__(self):
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}
        self.count = 0
        self.results = []
        self.current_id = None
        self.max_output = 8 * 1024 * 1024
        self.running = False
        self.late_errors = []  # raised by threads or finalizers after a run answered
        self.outputs = {}
        self.inputs = [""]
        self.magics = _Magics(self)
        self.static = False  # set by the first request of a kernel that only analyses
        self.assist = _Assist(self)
        self.namespace.update({"_agentbay_magics": self.magics, "Out": self.outputs,
                               "In": self.inputs, "_": None, "__": None, "___": None})
        builtins.display = self.display
        sys.meta_path.insert(0, _IPythonShim(self))
        threading.excepthook = self._thread_error
        sys.unraisablehook = self._unraisable

    def display(self, *values, **_kwargs):
        for value in values:
            self._add_result(_mime_bundle(value))

    def _add_result(self, bundle):
        # Kept for the run's answer, and sent now (after the output written before it) so a
        # streaming client shows it while the run goes on.
        self.results.append(bundle)
        if not self.running:
            return
        frame = {"type": "display", "id": self.current_id, "data": bundle}
        # One too large for any answer is not sent twice: the run's answer says it is too large.
        if len(json.dumps(frame, ensure_ascii=False).encode("utf-8")) > self.max_output:
            return
        _flush_all()
        _send(frame)

    def _late(self, text):
        if self.running:
            sys.stderr.write(text)
        else:
            self.late_errors.append((self.count, text))

    def _thread_error(self, hook):
        if hook.exc_type is SystemExit:
            return
        text = "Exception in thread %s:\n" % (hook.thread.name if hook.thread else "?")
        text += "".join(traceback.format_exception(hook.exc_type, hook.exc_value,
                                                   hook.exc_traceback))
        self._late(text)

    def _unraisable(self, hook):
        text = "Exception ignored in %r:\n" % (hook.object,)
        text += "".join(traceback.format_exception(hook.exc_type, hook.exc_value,
                                                   hook.exc_traceback))
        self._late(text)

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
                self._add_result({
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

    def _error(self, exc, cell):
        # The driver's own frames are "<string>"; user code of this and earlier runs, and the
        # libraries it called, stay.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != "<string>"]
        text = ""
        if frames:
            text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(exc), exc))
        value = str(exc)
        if isinstance(exc, ModuleNotFoundError) and exc.name:
            hint = ("The local sandbox is offline: it has the Python packages of this machine "
                    "(Debian's python3-* packages). Install %s there (for example `apt install "
                    "python3-%s`) and run again, or use an AgentBay cloud profile."
                    % (exc.name.split(".")[0], exc.name.split(".")[0].lower()))
            text += hint + "\n"
            value += ". " + hint
        line = None
        if isinstance(exc, SyntaxError) and exc.filename == cell:
            line = exc.lineno
        else:
            # Only this run's frames point into the editor; earlier runs' are listed, not marked.
            cell_frames = [f for f in frames if f.filename == cell]
            if cell_frames:
                line = cell_frames[-1].lineno
        error = {"name": type(exc).__name__, "value": value, "traceback": text}
        if line is not None:
            error["line"] = line
        return error

    def _remember(self, value):
        self.namespace["___"] = self.namespace.get("__")
        self.namespace["__"] = self.namespace.get("_")
        self.namespace["_"] = value
        self.outputs[self.count] = value
        self.namespace["_%d" % self.count] = value

    def execute(self, request):
        code = request.get("code", "")
        self.count += 1
        cell = _cell_name(self.count)
        self.inputs.append(code)
        self.namespace["_i"] = code
        self.results = []
        self.max_output = int(request.get("maxOutput", 8 * 1024 * 1024))
        budget = _Budget(self.max_output)
        global _stdout
        if _stdout.closed:  # user code closed it: each run starts with a working one
            _stdout = _new_stdout()
        _flush_all()  # what threads wrote between runs goes nowhere
        with _lock:
            _Charge.run_id = self.current_id = request.get("id")
            _Charge.budget = budget
            _Charge.frame_text = max(256, min(16384, self.max_output // 8))
        saved = sys.stdout, sys.stderr
        # The same objects every run, as in Jupyter: a handler made in one run prints in the next.
        sys.stdout, sys.stderr = _stdout, _stderr
        _running.set()
        linecache.cache[cell] = (len(code), None, code.splitlines(True), cell)
        stale = _cell_name(self.count - KEPT_CELLS)
        linecache.cache.pop(stale, None)
        error = None
        started = time.monotonic()
        self._patch_show()
        self.running = True
        late, self.late_errors = self.late_errors, []
        for run, text in late:
            _stderr.write("[error raised after run %d]\n%s" % (run, text))
        try:
            source = code
            try:
                tree = ast.parse(source, filename=cell, mode="exec")
            except SyntaxError:
                transformed = self.magics.transform(code, cell)
                if transformed is None:
                    raise
                source = transformed
                tree = ast.parse(source, filename=cell, mode="exec")
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, cell, "exec"), self.namespace)
            value = None
            if last is not None:
                value = eval(compile(last, cell, "eval"), self.namespace)
            self._figures()
            if value is not None:
                bundle = _mime_bundle(value)
                bundle["isMainResult"] = True
                self.results.append(bundle)
                self._remember(value)
        except BaseException as exc:  # user code may raise anything, SystemExit included
            error = self._error(exc, cell)
            self._figures()  # what was drawn before the error is still shown, as in Jupyter
        finally:
            self.running = False
            sys.stdout, sys.stderr = saved
            _running.clear()
            _flush_all()
            with _lock:
                _Charge.budget = None
        _send({
            "id": request.get("id"),
            "type": "done",
            "result": self.results,
            "error": error,
            "executionCount": self.count,
            "executionTime": round(time.monotonic() - started, 6),
            "droppedOutput": budget.dropped,
        })


def _linter(kernel, lints):
    """Answers lint requests in order; of those that waited for the same buffer (path) only the
    newest is linted, the others are answered with an error the editor ignores."""
    while True:
        waiting = [lints.get()]
        while True:
            try:
                waiting.append(lints.get_nowait())
            except queue.Empty:
                break
        newest = {}
        for request in waiting:
            newest[request.get("path")] = request
        for request in waiting:
            if newest[request.get("path")] is request:
                kernel.assist.handle(request)
            else:
                _send({"type": "assist", "id": request.get("id"),
                       "answer": {"error": "superseded by a newer lint of the same buffer"}})


def _reader(kernel, requests, lints):
    """Reads the requests: runs go to the main thread in order; assist requests are answered
    here at once, a run in progress or not. User code's stdin is /dev/null."""
    source = os.fdopen(os.dup(0), "r", encoding="utf-8", errors="replace")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    while True:
        line = source.readline()
        if not line:
            requests.put(None)
            return
        try:
            request = json.loads(line)
        except ValueError as exc:
            _send({"type": "protocol-error", "message": str(exc)})
            continue
        if request.get("type") == "assist":
            if request.get("static"):
                kernel.static = True
            if request.get("kind") == "lint":
                lints.put(request)  # a long buffer takes pyflakes a while: not on this thread
            else:
                kernel.assist.handle(request)
        else:
            requests.put(request)


def main():
    kernel = _Kernel()
    threading.Thread(target=_flusher, name="agentbay-output-flusher", daemon=True).start()
    requests = queue.SimpleQueue()
    lints = queue.SimpleQueue()
    threading.Thread(target=_linter, args=(kernel, lints), name="agentbay-lint",
                     daemon=True).start()
    threading.Thread(target=_reader, args=(kernel, requests, lints), name="agentbay-requests",
                     daemon=True).start()
    _send({"type": "ready", "language": "python", "version": sys.version.split()[0],
           "executable": sys.executable, "pid": os.getpid()})
    while True:
        try:
            request = requests.get()
        except KeyboardInterrupt:
            continue  # an interrupt that arrived between runs
        if request is None:
            return
        try:
            kernel.execute(request)
        except KeyboardInterrupt:
            _send({"id": request.get("id"), "type": "done", "result": [],
                   "executionCount": kernel.count,
                   "error": {"name": "KeyboardInterrupt", "value": "", "traceback": ""}})


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
