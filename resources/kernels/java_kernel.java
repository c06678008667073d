// SPDX-License-Identifier: GPL-3.0-or-later
// AgentBay Playground Java kernel driver.
//
// Runs inside the sandbox, one JVM per session, in Java's single-file source mode; the sandbox
// writes this file to a private directory of the session's /tmp, names that directory as the
// first argument, and the driver removes it once running. Snippets run through the JDK's own
// JShell API (module jdk.jshell, in Debian's default-jdk-headless) in this JVM, so state
// (variables, methods, classes, imports) lives across runs as at jshell's prompt.
//
// Reads one JSON request per line on stdin ({"id", "code", "maxOutput"}) and answers with frames
// on stdout, each line starting with the record separator \x1e: "stream" frames carry what the
// code prints (sent every few milliseconds while it runs), a "done" frame ends each run with the
// value of a last expression as the main result. SIGINT stops the running snippet; its state is
// kept.
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

public class JavaKernel {
    static final PrintStream FRAMES =
            new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    static final Object LOCK = new Object();

    static long runId;
    static long budget;
    static long dropped;
    static volatile boolean running;
    static final StringBuilder pending = new StringBuilder();
    static String pendingName = "stdout";

    public static void main(String[] args) throws Exception {
        if (args.length > 0)
            removeTree(Path.of(args[0])); // compiled already: the session's /tmp stays the user's
        PrintStream out = new PrintStream(new Capture("stdout"), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new Capture("stderr"), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);
        JShell shell = JShell.builder().executionEngine("local").out(out).err(err).build();
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {
            if (running)
                shell.stop();
        });
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                if (running)
                    flushPending();
            }
        }, "agentbay-output-flusher");
        flusher.setDaemon(true);
        flusher.start();

        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("type", "ready");
        ready.put("language", "java");
        ready.put("version", System.getProperty("java.version"));
        ready.put("executable", ProcessHandle.current().info().command().orElse("java"));
        ready.put("pid", ProcessHandle.current().pid());
        send(ready);

        BufferedReader requests =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int count = 0;
        for (String line; (line = requests.readLine()) != null;) {
            Map<String, Object> request;
            try {
                request = Json.object(line);
            } catch (RuntimeException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("type", "protocol-error");
                error.put("message", String.valueOf(e.getMessage()));
                send(error);
                continue;
            }
            count += 1;
            execute(shell, request, count);
        }
        System.exit(0);
    }

    static void execute(JShell shell, Map<String, Object> request, int count) {
        long started = System.nanoTime();
        synchronized (LOCK) {
            runId = ((Number) request.getOrDefault("id", 0)).longValue();
            Object max = request.get("maxOutput");
            budget = max instanceof Number ? ((Number) max).longValue() : 8L * 1024 * 1024;
            dropped = 0;
        }
        List<Object> results = new ArrayList<>();
        Map<String, Object> error = null;
        String remaining = String.valueOf(request.getOrDefault("code", ""));
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        running = true;
        try {
            String lastValue = null;
            while (!remaining.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                SourceCodeAnalysis.Completeness completeness = info.completeness();
                if (!completeness.isComplete()) {
                    error = error("CompilationException", "incomplete code: " + remaining.strip(),
                            "incomplete code at the end of the cell:\n" + remaining.strip() + "\n");
                    break;
                }
                String source = info.source();
                remaining = info.remaining();
                lastValue = null;
                for (SnippetEvent event : shell.eval(source)) {
                    if (event.causeSnippet() != null)
                        continue; // a dependent snippet updated by this one
                    Snippet snippet = event.snippet();
                    if (event.status() == Snippet.Status.REJECTED) {
                        error = compileError(shell, snippet);
                        break;
                    }
                    if (event.exception() != null) {
                        error = thrownError(event.exception());
                        break;
                    }
                    if (isExpression(snippet) && event.value() != null)
                        lastValue = event.value();
                }
                if (error != null)
                    break;
            }
            if (error == null && lastValue != null) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("text/plain", lastValue);
                result.put("isMainResult", true);
                results.add(result);
            }
        } catch (RuntimeException e) {
            error = error(e.getClass().getName(), String.valueOf(e.getMessage()), e + "\n");
        } finally {
            running = false;
            System.out.flush();
            System.err.flush();
            flushPending();
        }
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("id", runId);
        done.put("type", "done");
        done.put("result", results);
        done.put("error", error);
        done.put("executionCount", count);
        done.put("executionTime", (System.nanoTime() - started) / 1e9);
        synchronized (LOCK) {
            done.put("droppedOutput", dropped);
        }
        send(done);
    }

    static boolean isExpression(Snippet snippet) {
        switch (snippet.subKind()) {
        case TEMP_VAR_EXPRESSION_SUBKIND:
        case VAR_VALUE_SUBKIND:
        case ASSIGNMENT_SUBKIND:
        case OTHER_EXPRESSION_SUBKIND:
            return true;
        default:
            return false;
        }
    }

    static Map<String, Object> error(String name, String value, String traceback) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("name", name);
        error.put("value", value);
        error.put("traceback", traceback);
        return error;
    }

    // As jshell words it: the snippet, then each diagnostic with its position.
    static Map<String, Object> compileError(JShell shell, Snippet snippet) {
        List<Diag> diagnostics = shell.diagnostics(snippet).collect(Collectors.toList());
        String first = diagnostics.isEmpty() ? "the code does not compile"
                                             : diagnostics.get(0).getMessage(Locale.ROOT);
        StringBuilder traceback = new StringBuilder();
        String source = snippet.source();
        for (Diag diag : diagnostics) {
            traceback.append("|  Error:\n|  ").append(diag.getMessage(Locale.ROOT)).append('\n');
            int start = (int) Math.max(0, diag.getStartPosition());
            int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
            int lineEnd = source.indexOf('\n', start);
            String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
            traceback.append("|  ").append(line).append('\n');
            traceback.append("|  ").append(" ".repeat(Math.max(0, start - lineStart))).append("^\n");
        }
        return error("CompilationException", first, traceback.toString());
    }

    static Map<String, Object> thrownError(JShellException exception) {
        String name;
        if (exception instanceof EvalException)
            name = ((EvalException) exception).getExceptionClassName();
        else if (exception instanceof UnresolvedReferenceException)
            name = "UnresolvedReferenceException";
        else
            name = exception.getClass().getName();
        String message = exception.getMessage() == null ? "" : exception.getMessage();
        StringBuilder traceback = new StringBuilder("Exception ").append(name);
        if (!message.isEmpty())
            traceback.append(": ").append(message);
        traceback.append('\n');
        for (StackTraceElement frame : exception.getStackTrace())
            traceback.append("\tat ").append(frame).append('\n');
        return error(name, message, traceback.toString());
    }

    static void send(Map<String, Object> frame) {
        synchronized (LOCK) {
            FRAMES.print('\u001e');
            FRAMES.print(Json.write(frame));
            FRAMES.print('\n');
            FRAMES.flush();
        }
    }

    // What the code prints, charged to the run's budget and sent as stream frames.
    static void emit(String name, String text) {
        synchronized (LOCK) {
            if (!name.equals(pendingName))
                flushPending();
            pendingName = name;
            long room = budget;
            if (text.length() > room) {
                dropped += text.length() - Math.max(0, room);
                text = room > 0 ? text.substring(0, (int) room) : "";
            }
            budget -= text.length();
            pending.append(text);
            if (pending.length() >= 16384)
                flushPending();
        }
    }

    static void flushPending() {
        synchronized (LOCK) {
            if (pending.length() == 0)
                return;
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "stream");
            frame.put("id", runId);
            frame.put("name", pendingName);
            frame.put("text", pending.toString());
            pending.setLength(0);
            send(frame);
        }
    }

    static void removeTree(Path directory) {
        try (var entries = Files.walk(directory)) {
            entries.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // left for the session's removal
                }
            });
        } catch (IOException e) {
            // left for the session's removal
        }
    }

    // An OutputStream of UTF-8 bytes that hands whole characters to emit().
    static final class Capture extends OutputStream {
        private final String name;
        private final java.nio.charset.CharsetDecoder decoder =
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
        private final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(8192);
        private final java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(8192);

        Capture(String name) {
            this.name = name;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) {
            while (length > 0) {
                int step = Math.min(length, bytes.remaining());
                bytes.put(data, offset, step);
                offset += step;
                length -= step;
                bytes.flip();
                decoder.decode(bytes, chars, false);
                bytes.compact();
                chars.flip();
                if (chars.hasRemaining())
                    emit(name, chars.toString());
                chars.clear();
            }
        }
    }

    // Just enough JSON: the requests' objects in, the frames out.
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(String text) {
            Json parser = new Json(text);
            Object value = parser.value();
            parser.space();
            if (!(value instanceof Map) || parser.at != text.length())
                throw new IllegalArgumentException("a request is one JSON object per line");
            return (Map<String, Object>) value;
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at)))
                at++;
        }

        private Object value() {
            space();
            if (at >= text.length())
                throw new IllegalArgumentException("unexpected end of JSON");
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> map = new LinkedHashMap<>();
                at++;
                space();
                if (text.charAt(at) == '}') {
                    at++;
                    return map;
                }
                while (true) {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    map.put(key, value());
                    space();
                    if (text.charAt(at) == ',') {
                        at++;
                        continue;
                    }
                    expect('}');
                    return map;
                }
            }
            if (c == '[') {
                List<Object> list = new ArrayList<>();
                at++;
                space();
                if (text.charAt(at) == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    space();
                    if (text.charAt(at) == ',') {
                        at++;
                        continue;
                    }
                    expect(']');
                    return list;
                }
            }
            if (c == '"')
                return string();
            for (String word : new String[] {"true", "false", "null"}) {
                if (text.startsWith(word, at)) {
                    at += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
                at++;
            String number = text.substring(start, at);
            if (number.isEmpty())
                throw new IllegalArgumentException("unexpected character in JSON at " + start);
            if (number.contains(".") || number.contains("e") || number.contains("E"))
                return Double.valueOf(number);
            return Long.valueOf(number);
        }

        private void expect(char c) {
            if (at >= text.length() || text.charAt(at) != c)
                throw new IllegalArgumentException("expected '" + c + "' in JSON at " + at);
            at++;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length())
                    throw new IllegalArgumentException("unterminated JSON string");
                char c = text.charAt(at++);
                if (c == '"')
                    return out.toString();
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escape = text.charAt(at++);
                switch (escape) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u':
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                    break;
                default: out.append(escape);
                }
            }
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String) {
                quote((String) value, out);
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!first)
                        out.append(',');
                    first = false;
                    quote(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List) {
                out.append('[');
                boolean first = true;
                for (Object each : (List<?>) value) {
                    if (!first)
                        out.append(',');
                    first = false;
                    write(each, out);
                }
                out.append(']');
            } else {
                quote(value.toString(), out);
            }
        }

        private static void quote(String text, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        out.append(String.format("\\u%04x", (int) c));
                    else
                        out.append(c);
                }
            }
            out.append('"');
        }
    }
}
