// SPDX-License-Identifier: GPL-3.0-or-later
// AgentBay Playground JavaScript kernel driver.
//
// Runs inside the sandbox, one process per session. Reads one JSON request per line on stdin and
// answers with frames on stdout, each line starting with the record separator \x1e; anything
// else on stdout is stray output. User code runs in one persistent vm context, rewritten on a
// syntax tree (Debian's node-acorn) so that it behaves as in Node's REPL: declarations survive
// between runs and may be repeated, top-level await works anywhere. Console output is captured
// per run; errors thrown after a run answered are kept for the next one.
'use strict';
const fs = require('fs');
const util = require('util');
const vm = require('vm');

function send(frame) {
  fs.writeSync(1, '\x1e' + JSON.stringify(frame) + '\n');
}

// Output of the current run: sent as "stream" frames, at most budget.left characters a run.
const budget = { left: 0, dropped: 0 };
let currentId = null;
let runActive = false;
let maxOutput = 8 * 1024 * 1024; // the current run's output budget, in characters
// A flood goes out in batches of FLUSH_AT characters; nothing written waits more than
// FLUSH_AFTER_MS: checked on each write (synchronous code never lets a timer run) and by a timer
// (output followed by waiting).
const FLUSH_AT = 16384;
const FLUSH_AFTER_MS = 20;
let lastFlush = 0; // when any output last went out
class Capture {
  constructor(name) {
    this.name = name; this.buffer = ''; this.since = 0; this.timer = null; this.other = null;
  }
  write(text) {
    // What the other stream holds was written first: it goes first, so the order is kept.
    if (this.other.buffer && runActive) this.other.flush();
    const kept = Math.min(text.length, Math.max(budget.left, 0));
    budget.left -= kept;
    budget.dropped += text.length - kept;
    if (kept <= 0) return;
    // Between runs (a timer's output) text waits for the next run, which it is reported with.
    const now = Date.now();
    if (!this.buffer) {
      this.since = now;
      if (runActive) {
        this.timer = setTimeout(() => { this.timer = null; this.flush(); }, FLUSH_AFTER_MS);
        this.timer.unref();
      }
    }
    this.buffer += text.slice(0, kept);
    // A line completed after a quiet spell goes at once (synchronous code may not write again
    // for a while); lines close behind it are batched.
    const quiet = now - lastFlush >= FLUSH_AFTER_MS && this.buffer.endsWith('\n');
    if (runActive && (this.buffer.length >= FLUSH_AT || now - this.since >= FLUSH_AFTER_MS
                      || quiet)) {
      this.flush();
    }
  }
  flush() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer) {
      send({ type: 'stream', id: currentId, name: this.name, text: this.buffer });
      this.buffer = '';
      lastFlush = Date.now();
    }
  }
}

const out = new Capture('stdout');
const err = new Capture('stderr');
out.other = err;
err.other = out;
let results = [];
// A display()ed value: kept for the run's answer, and sent now (after the output written before
// it) so a streaming client shows it while the run goes on.
function addResult(bundle) {
  results.push(bundle);
  if (!runActive) return;
  const frame = { type: 'display', id: currentId, data: bundle };
  // One too large for any answer is not sent twice: the run's answer says it is too large.
  if (Buffer.byteLength(JSON.stringify(frame)) > maxOutput) return;
  out.flush();
  err.flush();
  send(frame);
}
const format = (args) => util.formatWithOptions({ colors: false }, ...args) + '\n';
const captureConsole = {
  log: (...a) => out.write(format(a)),
  info: (...a) => out.write(format(a)),
  debug: (...a) => out.write(format(a)),
  warn: (...a) => err.write(format(a)),
  error: (...a) => err.write(format(a)),
  trace: (...a) => err.write(format(a)),
  dir: (v) => out.write(util.inspect(v) + '\n'),
  table: (v) => out.write(util.inspect(v) + '\n'),
};

function bundleOf(value) {
  const bundle = { 'text/plain': typeof value === 'string' ? util.inspect(value) : util.inspect(value, { depth: 4 }) };
  if (value !== null && typeof value === 'object') {
    try { bundle['application/json'] = JSON.stringify(value); } catch (e) { /* cyclic: text only */ }
  }
  return bundle;
}

// The kernel's own module system, for what user code asks of it (require, import()).
const kernelRequire = require;
const importModule = (specifier) => import(specifier);

// Node's REPL keeps `module` and `exports` for code that expects them.
const replModule = { exports: {}, id: '<repl>', filename: null, loaded: false, children: [], paths: [] };

const context = vm.createContext({
  console: captureConsole,
  display: (...values) => { for (const v of values) addResult(bundleOf(v)); },
  require: kernelRequire, module: replModule, exports: replModule.exports,
  __agentbayImport: importModule,
  Buffer, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController, AbortSignal,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate,
  queueMicrotask, structuredClone,
  process: {
    env: process.env, argv: [], version: process.version, versions: process.versions, platform: process.platform,
    cwd: () => process.cwd(), hrtime: process.hrtime, nextTick: process.nextTick,
    memoryUsage: () => process.memoryUsage(), uptime: () => process.uptime(),
    exit: (code) => process.exit(code),
    stdout: { write: (text) => { out.write(String(text)); return true; } },
    stderr: { write: (text) => { err.write(String(text)); return true; } },
  },
});

// A maintained parser for the cell rewrite: Debian's node-acorn, wherever this Node looks.
const acorn = (() => {
  for (const where of ['acorn', '/usr/share/nodejs/acorn', '/usr/lib/nodejs/acorn',
    '/usr/local/lib/node_modules/acorn']) {
    try { return kernelRequire(where); } catch (e) { /* next */ }
  }
  return null;
})();

const cellName = (run) => `cell-${run}.js`;

function errorOf(e, cell) {
  const name = (e && e.name) || 'Error';
  const value = (e && e.message !== undefined) ? String(e.message) : String(e);
  let traceback = (e && e.stack) ? mapStack(e.stack) : name + ': ' + value;
  // Keep the frames of submitted code (this run's and earlier runs'); drop the driver's and
  // Node's own.
  const lines = traceback.split('\n');
  traceback = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || /cell-\d+\.js/.test(l))
    .join('\n');
  const error = { name, value, traceback };
  const match = new RegExp(cell.replace('.', '\\.') + ':(\\d+)').exec(traceback);
  if (match) error.line = Number(match[1]);
  return error;
}

// A SyntaxError the parser found, pointing at the editor's line and column.
function syntaxErrorOf(e, code, cell) {
  const line = e.loc ? e.loc.line : 1;
  const column = e.loc ? e.loc.column : 0;
  const message = String(e.message).replace(/ \(\d+:\d+\)$/, '');
  const source = code.split('\n')[line - 1] || '';
  return {
    name: 'SyntaxError', value: message, line,
    traceback: `${cell}:${line}\n${source}\n${' '.repeat(column)}^\n\nSyntaxError: ${message}\n` +
      `    at ${cell}:${line}:${column + 1}`,
  };
}

// Every name a declaration pattern binds.
function boundNames(pattern, into) {
  if (!pattern) return into;
  switch (pattern.type) {
    case 'Identifier': into.push(pattern.name); break;
    case 'ObjectPattern':
      for (const p of pattern.properties) boundNames(p.type === 'RestElement' ? p.argument : p.value, into);
      break;
    case 'ArrayPattern': for (const e of pattern.elements) boundNames(e, into); break;
    case 'RestElement': boundNames(pattern.argument, into); break;
    case 'AssignmentPattern': boundNames(pattern.left, into); break;
    default: break;
  }
  return into;
}

// The start offsets of every `import(...)` in the tree.
function importOffsets(node, into) {
  if (!node || typeof node.type !== 'string') return into;
  if (node.type === 'ImportExpression') into.push(node.start);
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const child = node[key];
    if (Array.isArray(child)) { for (const c of child) importOffsets(c, into); }
    else if (child && typeof child.type === 'string') importOffsets(child, into);
  }
  return into;
}

const PREFIX = '(async () => {';
const SUFFIX = '\n})()';

// Where each generated position came from, per run, so stack frames of the rewritten code point
// at the editor's line and column. A piece of generated text is either copied from the cell
// (exact: offsets map one to one) or written by the rewrite (mapped to an anchor in the cell).
const sourceMaps = new Map();
const KEPT_MAPS = 500;

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function makeSourceMap(code, pieces) {
  let at = PREFIX.length;
  const placed = pieces.map((piece) => {
    const entry = { g: at, end: at + piece.text.length, o: piece.o, exact: piece.exact };
    at = entry.end;
    return entry;
  });
  const generated = PREFIX + pieces.map((p) => p.text).join('') + SUFFIX;
  return { generatedLines: lineStarts(generated), originalLines: lineStarts(code), placed };
}

// 1-based generated line and column to the cell's own, or null.
function mapPosition(map, line, column) {
  const lineStart = map.generatedLines[line - 1];
  if (lineStart === undefined) return null;
  const g = lineStart + column - 1;
  let o = null;
  for (const piece of map.placed) {
    if (g >= piece.g && g < piece.end) { o = piece.exact ? piece.o + (g - piece.g) : piece.o; break; }
    if (piece.g > g) { o = piece.o; break; }
  }
  if (o === null) return null;
  let originalLine = 0;
  while (originalLine + 1 < map.originalLines.length && map.originalLines[originalLine + 1] <= o) originalLine++;
  return { line: originalLine + 1, column: o - map.originalLines[originalLine] + 1 };
}

// Stack positions in rewritten code (cell-N.body.js) become the cell's (cell-N.js).
function mapStack(text) {
  return String(text).replace(/cell-(\d+)\.body\.js:(\d+)(?::(\d+))?/g, (whole, run, line, column) => {
    const map = sourceMaps.get(Number(run));
    const mapped = map && mapPosition(map, Number(line), Number(column || 1));
    // Not in the cell: the wrapper's own call, which the frame filter then drops.
    if (!mapped) return 'node:agentbay/wrapper';
    return `cell-${run}.js:${mapped.line}${column ? ':' + mapped.column : ''}`;
  });
}

// Node's REPL rules, on a syntax tree: top-level declarations (const, let, var, function, class,
// destructuring with defaults and rest) become properties of the session's global object, so
// they persist and a later run may declare them again (the later run wins); function
// declarations are defined before the cell runs, as hoisting does; the cell runs in an async
// function, so `await` works anywhere at top level; the last expression statement's value is the
// result; `import(...)` is loaded by the kernel (a vm script may not import). Line numbers are
// kept (every rewritten span has as many line breaks as the original), and a source map takes
// columns back to the cell.
function rewrite(code) {
  const tree = acorn.parse(code, {
    ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: true,
    allowHashBang: true, locations: true,
  });
  const imports = importOffsets(tree, []).sort((x, y) => x - y);
  // The cell's text from start to end as pieces, `import(` renamed to the kernel's loader.
  const slice = (start, end) => {
    const pieces = [];
    let at = start;
    for (const offset of imports) {
      if (offset < start || offset >= end) continue;
      if (offset > at) pieces.push({ text: code.slice(at, offset), o: at, exact: true });
      pieces.push({ text: '__agentbayImport', o: offset, exact: false });
      at = offset + 'import'.length;
    }
    if (end > at) pieces.push({ text: code.slice(at, end), o: at, exact: true });
    return pieces;
  };
  const made = (text, anchor) => ({ text, o: anchor, exact: false });
  const joined = (pieces) => pieces.map((p) => p.text).join('');
  const newlines = (text) => (text.match(/\n/g) || []).length;
  // Line breaks the replacement lost, added at its end so later lines keep their numbers.
  const keepLines = (node, pieces) => {
    const missing = newlines(code.slice(node.start, node.end)) - newlines(joined(pieces));
    return missing > 0 ? pieces.concat([made('\n'.repeat(missing), node.end)]) : pieces;
  };
  const names = [];
  const hoisted = [];
  const edits = [];
  // The value: the last expression statement, past any function declarations after it.
  const significant = tree.body.filter((s) => s.type !== 'EmptyStatement' && s.type !== 'FunctionDeclaration');
  const last = significant[significant.length - 1];
  for (const statement of tree.body) {
    if (statement.type === 'VariableDeclaration') {
      const pieces = [made('void (', statement.start)];
      let first = true;
      for (const d of statement.declarations) {
        names.push(...boundNames(d.id, []));
        if (!d.init && statement.kind === 'var') continue;
        if (!first) pieces.push(made(', ', d.start));
        first = false;
        if (!d.init) {
          pieces.push(made(`${d.id.name} = undefined`, d.start));
        } else if (d.id.type === 'Identifier') {
          pieces.push(...slice(d.id.start, d.id.end), made(' = ', d.init.start), ...slice(d.init.start, d.init.end));
        } else {
          pieces.push(made('(', d.start), ...slice(d.id.start, d.id.end), made(' = ', d.init.start),
            ...slice(d.init.start, d.init.end), made(')', d.end));
        }
      }
      pieces.push(made(');', statement.end));
      edits.push({ node: statement, pieces: keepLines(statement, first ? [made(';', statement.start)] : pieces) });
    } else if (statement.type === 'FunctionDeclaration') {
      names.push(statement.id.name);
      hoisted.push({ name: statement.id.name, source: `(${joined(slice(statement.start, statement.end))})`,
        line: statement.loc.start.line, column: statement.loc.start.column });
      edits.push({ node: statement, pieces: keepLines(statement, [made(';', statement.start)]) });
    } else if (statement.type === 'ClassDeclaration') {
      names.push(statement.id.name);
      edits.push({ node: statement, pieces: [made(`${statement.id.name} = `, statement.start),
        ...slice(statement.start, statement.end), made(';', statement.end)] });
    } else if (statement === last && statement.type === 'ExpressionStatement'
      && statement.directive !== 'use strict') {
      // Wrapped, so a promise the cell ends with is shown as a promise, as the REPL shows it.
      const expression = statement.expression;
      edits.push({ node: statement, pieces: [made('return { value: (', expression.start),
        ...slice(expression.start, expression.end), made(') };', statement.end)] });
    }
  }
  const pieces = [];
  let at = 0;
  for (const edit of edits) {
    pieces.push(...slice(at, edit.node.start), ...edit.pieces);
    at = edit.node.end;
  }
  pieces.push(...slice(at, code.length));
  return {
    names: [...new Set(names)], hoisted, body: PREFIX + joined(pieces) + SUFFIX,
    map: makeSourceMap(code, pieces),
  };
}

let count = 0;
let pending = null; // the async run in flight: { interrupt() }
const queue = [];
const lateErrors = []; // thrown by timers or rejected promises after a run answered
let acornMissingSaid = false;

function finish(request, started, error, value) {
  if (!error && value !== undefined) {
    const bundle = bundleOf(value);
    bundle.isMainResult = true;
    results.push(bundle);
    context._ = value;
  }
  out.flush();
  err.flush();
  runActive = false;
  send({
    id: request.id, type: 'done', result: results, error, executionCount: count,
    executionTime: Number(process.hrtime.bigint() - started) / 1e9, droppedOutput: budget.dropped,
  });
}

function execute(request) {
  count += 1;
  results = [];
  currentId = request.id;
  runActive = true;
  maxOutput = Number(request.maxOutput || 8 * 1024 * 1024);
  budget.left = maxOutput;
  budget.dropped = 0;
  const started = process.hrtime.bigint();
  const code = String(request.code || '');
  const cell = cellName(count);
  for (const late of lateErrors.splice(0)) err.write(`[error raised after run ${late.run}]\n${late.text}\n`);
  const options = { filename: cell, breakOnSigint: true, displayErrors: false };
  if (!acorn) {
    if (!acornMissingSaid) {
      acornMissingSaid = true;
      err.write('note: node-acorn is not installed, so declarations cannot be repeated across ' +
        'runs and top-level await does not work (apt install node-acorn)\n');
    }
    try {
      finish(request, started, null, vm.runInContext(code, context, options));
    } catch (e) {
      finish(request, started, errorOf(e, cell));
    }
    return;
  }
  let promise;
  try {
    let plan;
    try {
      plan = rewrite(code);
    } catch (e) {
      if (e instanceof SyntaxError && e.loc) {
        finish(request, started, syntaxErrorOf(e, code, cell));
        return;
      }
      throw e;
    }
    if (plan.names.length) vm.runInContext(`var ${plan.names.join(', ')};`, context);
    for (const f of plan.hoisted) {
      context[f.name] = vm.runInContext(f.source, context, {
        filename: cell, lineOffset: f.line - 1, columnOffset: f.column - 1, displayErrors: false,
      });
    }
    sourceMaps.set(count, plan.map);
    sourceMaps.delete(count - KEPT_MAPS);
    promise = vm.runInContext(plan.body, context,
      Object.assign({}, options, { filename: `cell-${count}.body.js` }));
  } catch (e) {
    finish(request, started, errorOf(e, cell));
    return;
  }
  let settled = false;
  pending = {
    interrupt() {
      if (settled) return;
      settled = true;
      pending = null;
      finish(request, started, { name: 'Interrupted', value: 'the run was interrupted', traceback: '' });
      next();
    },
  };
  Promise.resolve(promise).then(
    (result) => {
      if (settled) return;
      settled = true;
      pending = null;
      finish(request, started, null, result === undefined ? undefined : result.value);
      next();
    },
    (e) => {
      if (settled) return;
      settled = true;
      pending = null;
      finish(request, started, errorOf(e, cell));
      next();
    });
}

// Errors nobody awaited (a timer that throws, a promise nobody catches): during a run they are
// that run's stderr, as the REPL prints them; after it they wait for the next run. Either way
// the session and its variables live on.
function uncaught(e, kind) {
  const text = `${kind} ${e && e.stack ? mapStack(e.stack) : String(e)}`;
  if (pending) err.write(text + '\n');
  else lateErrors.push({ run: count, text });
}
process.on('uncaughtException', (e) => uncaught(e, 'Uncaught'));
process.on('unhandledRejection', (e) => uncaught(e, 'Unhandled promise rejection:'));

function next() {
  while (!pending && queue.length) execute(queue.shift());
}

// An interrupt ends an async run still waiting; between runs it has nothing to stop.
process.on('SIGINT', () => { if (pending) pending.interrupt(); });
send({ type: 'ready', language: 'javascript', version: process.version,
       executable: process.execPath, pid: process.pid });


// The assist extension: completion, signatures and documentation for the editor. Nothing here
// runs the user's code: values are read from data descriptors along prototype chains (a getter
// is listed, never called; a Proxy is never touched), function signatures come from their
// source text. A kernel that only analyses ("static": true) knows the built-ins and the buffer.
const KEYWORDS = ['await', 'async', 'break', 'case', 'catch', 'class', 'const', 'continue',
  'debugger', 'default', 'delete', 'do', 'else', 'export', 'extends', 'false', 'finally', 'for',
  'function', 'if', 'import', 'in', 'instanceof', 'let', 'new', 'null', 'of', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'undefined', 'var', 'void',
  'while', 'with', 'yield'];
const UNRESOLVED = Symbol('unresolved');
const NAME_AT_END = /[A-Za-z_$][\w$]*$/;
const DOTTED_AT_END = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const BUFFER_NAMES = /\b(?:function\s*\*?|class|let|const|var)\s+([A-Za-z_$][\w$]*)/g;
const MAX_CANDIDATES = 400;
let staticContext = null;
const globalsOf = new WeakMap();

function contextGlobal(scope) {
  if (!globalsOf.has(scope)) globalsOf.set(scope, vm.runInContext('globalThis', scope));
  return globalsOf.get(scope);
}

function ownValue(object, name) {
  for (let o = object; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    if (util.types.isProxy(o)) return UNRESOLVED;
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return 'value' in d ? d.value : UNRESOLVED;
  }
  return UNRESOLVED;
}

function resolve(scope, expression) {
  if (!expression) return UNRESOLVED;
  const parts = expression.split('.');
  let value = ownValue(scope, parts[0]);
  if (value === UNRESOLVED) value = ownValue(contextGlobal(scope), parts[0]);
  for (const part of parts.slice(1)) {
    if (value === UNRESOLVED || value === null || value === undefined) return UNRESOLVED;
    value = ownValue(typeof value === 'object' || typeof value === 'function' ? value : Object(value), part);
  }
  return value;
}

function kindOf(descriptor) {
  if (!('value' in descriptor)) return 'property';
  const v = descriptor.value;
  if (typeof v === 'function') return /^class\b/.test(sourceOf(v)) ? 'class' : 'function';
  return 'instance';
}

function sourceOf(fn) {
  try { return Function.prototype.toString.call(fn); } catch (e) { return ''; }
}

// Own properties first, then each prototype's, as a reader of the object expects.
const depths = new Map();
function propertiesOf(value, prefix) {
  depths.clear();
  const found = new Map();
  let o = typeof value === 'object' || typeof value === 'function' ? value : Object(value);
  for (let depth = 0; o !== null && o !== undefined; o = Object.getPrototypeOf(o), depth++) {
    if (util.types.isProxy(o)) break;
    for (const name of Object.getOwnPropertyNames(o)) {
      if (!name.startsWith(prefix) || name === prefix || found.has(name)) continue;
      found.set(name, kindOf(Object.getOwnPropertyDescriptor(o, name)));
      depths.set(name, depth);
    }
  }
  return found;
}

function candidates(found, prefix) {
  return [...found.keys()].slice(0, MAX_CANDIDATES * 4)
    .sort((a, b) => ((depths.get(a) || 0) - (depths.get(b) || 0))
      || (a.startsWith('_') - b.startsWith('_')) || a.localeCompare(b))
    .slice(0, MAX_CANDIDATES)
    .map((name) => ({ name, complete: name.slice(prefix.length), type: found.get(name) }));
}

function paramsOf(fn) {
  const source = sourceOf(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    return Array.from({ length: fn.length }, (_, i) => `arg${i}`).concat(fn.length ? [] : ['…']);
  }
  let text = source;
  const ctor = /^class\b/.test(source) ? /\bconstructor\s*\(/.exec(source) : null;
  if (ctor) text = source.slice(ctor.index + ctor[0].length - 1);
  else if (/^class\b/.test(source)) return [];
  let start = text.indexOf('(');
  const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (arrow) return [arrow[1]];
  if (start < 0) return [];
  let depth = 0;
  let end = start;
  for (; end < text.length; end++) {
    if ('([{'.includes(text[end])) depth++;
    else if (')]}'.includes(text[end]) && --depth === 0) break;
  }
  return splitTopLevel(text.slice(start + 1, end)).map((p) => p.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

function splitTopLevel(text) {
  const out = [];
  let depth = 0;
  let quote = null;
  let current = '';
  for (const c of text) {
    if (quote) { if (c === quote) quote = null; } else if ('"\'`'.includes(c)) quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) { out.push(current); current = ''; continue; }
    current += c;
  }
  if (current.trim()) out.push(current);
  return out;
}

function callBefore(text) {
  let depth = 0;
  let commas = 0;
  let quote = null;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if ('"\'`'.includes(c)) quote = c;
    else if (')]}'.includes(c)) depth++;
    else if ('([{'.includes(c)) {
      if (depth === 0) {
        if (c !== '(') return null;
        const callee = DOTTED_AT_END.exec(text.slice(0, i).trimEnd());
        return callee ? { callee: callee[0], index: commas } : null;
      }
      depth--;
    } else if (c === ',' && depth === 0) commas++;
  }
  return null;
}

function labelled(name, params, index, doc) {
  const label = `${name}(${params.join(', ')})`;
  const answer = { label, params, index };
  if (index !== null && index >= 0 && index < params.length) {
    let at = name.length + 1;
    for (let i = 0; i < index; i++) at += params[i].length + 2;
    answer.highlight = [at, at + params[index].length];
  } else {
    answer.index = null;
  }
  if (doc) answer.doc = doc;
  return answer;
}

function firstLine(fn) {
  const source = sourceOf(fn);
  const line = source.split('\n')[0];
  return line.length > 300 ? line.slice(0, 299) + '…' : line;
}

function assistAnswer(request) {
  const scope = request.static ? (staticContext ||= vm.createContext({})) : context;
  const code = String(request.code || '');
  const lines = code.split('\n');
  const line = Math.min(Math.max(Number(request.line) || 1, 1), Math.max(lines.length, 1));
  const text = lines[line - 1] || '';
  const column = Math.min(Math.max(Number(request.column ?? text.length) || 0, 0), text.length);
  const before = text.slice(0, column);
  switch (request.kind) {
    case 'warm': return {};
    case 'lint': return { diagnostics: [] }; // the editor lints Python only
    case 'complete': {
      const match = NAME_AT_END.exec(before);
      const prefix = match ? match[0] : '';
      const head = before.slice(0, before.length - prefix.length);
      if (head.endsWith('.') && !head.endsWith('..')) {
        const baseText = head.slice(0, -1).trimEnd();
        const base = DOTTED_AT_END.exec(baseText);
        let value = base ? resolve(scope, base[0]) : UNRESOLVED;
        if (value === UNRESOLVED && /["'`]$/.test(baseText)) value = '';
        if (value === UNRESOLVED && /\]$/.test(baseText)) value = [];
        if (value === UNRESOLVED || value === null || value === undefined) return { candidates: [] };
        return { candidates: candidates(propertiesOf(value, prefix), prefix) };
      }
      if (!prefix) return { candidates: [] };
      depths.clear();
      const found = new Map();
      const add = (name, type) => {
        if (name.startsWith(prefix) && name !== prefix && !found.has(name)) found.set(name, type);
      };
      for (const name of Object.getOwnPropertyNames(scope)) {
        if (!name.startsWith('__agentbay')) add(name, kindOf(Object.getOwnPropertyDescriptor(scope, name)));
      }
      for (const m of code.matchAll(BUFFER_NAMES)) add(m[1], 'statement');
      for (const name of KEYWORDS) add(name, 'keyword');
      const global = contextGlobal(scope);
      for (const name of Object.getOwnPropertyNames(global)) {
        add(name, kindOf(Object.getOwnPropertyDescriptor(global, name)));
      }
      return { candidates: candidates(found, prefix) };
    }
    case 'signature': {
      const textBefore = lines.slice(0, line - 1).concat([before]).join('\n').slice(-4000);
      const call = callBefore(textBefore);
      if (!call) return { signature: null };
      const fn = resolve(scope, call.callee);
      if (typeof fn !== 'function') return { signature: null };
      const name = call.callee.split('.').pop();
      return { signature: labelled(name, paramsOf(fn), call.index, firstLine(fn)) };
    }
    case 'doc': {
      let end = column;
      while (end < text.length && /[\w$]/.test(text[end])) end++;
      const dotted = DOTTED_AT_END.exec(text.slice(0, end));
      if (!dotted) return { doc: null };
      const value = resolve(scope, dotted[0]);
      if (value === UNRESOLVED) return { doc: null };
      const name = dotted[0];
      if (typeof value === 'function') {
        return { doc: { name, type: /^class\b/.test(sourceOf(value)) ? 'class' : 'function',
          signature: labelled(name.split('.').pop(), paramsOf(value), null).label, text: firstLine(value) } };
      }
      const shown = util.types.isProxy(value) ? 'Proxy'
        : util.inspect(value, { depth: 0, customInspect: false, getters: false, showProxy: true, breakLength: Infinity });
      return { doc: { name, type: typeof value, signature: '',
        text: `${typeof value}: ${shown.length > 300 ? shown.slice(0, 299) + '…' : shown}` } };
    }
    default: return { error: `unknown assist kind ${JSON.stringify(request.kind)}` };
  }
}

function assist(request) {
  const started = process.hrtime.bigint();
  let answer;
  try { answer = assistAnswer(request); } catch (e) { answer = { error: String(e && e.message || e) }; }
  answer.elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  send({ type: 'assist', id: request.id, answer });
}

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (data) => {
  buffer += data;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    if (!line.trim()) continue;
    let request;
    try { request = JSON.parse(line); } catch (e) {
      send({ type: 'protocol-error', message: String(e) });
      continue;
    }
    if (request.type === 'assist') { assist(request); continue; }
    queue.push(request);
    next();
  }
});
process.stdin.on('end', () => process.exit(0));
