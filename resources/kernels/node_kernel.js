// SPDX-License-Identifier: GPL-3.0-or-later
// AgentBay Playground JavaScript kernel driver.
//
// Runs inside the sandbox, one process per session. Reads one JSON request per line on stdin and
// answers with frames on stdout, each line starting with the record separator \x1e; anything
// else on stdout is stray output. User code runs in one persistent vm context, so declarations
// survive between runs; console output is captured per run.
'use strict';
const fs = require('fs');
const util = require('util');
const vm = require('vm');

const CELL = 'cell.js';

function send(frame) {
  fs.writeSync(1, '\x1e' + JSON.stringify(frame) + '\n');
}

// Output of the current run: sent as "stream" frames, at most budget.left characters a run.
const budget = { left: 0, dropped: 0 };
let currentId = null;
class Capture {
  constructor(name) { this.name = name; this.buffer = ''; }
  write(text) {
    const kept = Math.min(text.length, Math.max(budget.left, 0));
    budget.left -= kept;
    budget.dropped += text.length - kept;
    if (kept > 0) this.buffer += text.slice(0, kept);
    if (this.buffer.length >= 16384) this.flush();
  }
  flush() {
    if (this.buffer) {
      send({ type: 'stream', id: currentId, name: this.name, text: this.buffer });
      this.buffer = '';
    }
  }
}

const out = new Capture('stdout');
const err = new Capture('stderr');
let results = [];
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

const context = vm.createContext({
  console: captureConsole,
  display: (...values) => { for (const v of values) results.push(bundleOf(v)); },
  require, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate,
  queueMicrotask, structuredClone,
  process: {
    env: {}, argv: [], version: process.version, versions: process.versions, platform: process.platform,
    cwd: () => process.cwd(), hrtime: process.hrtime, nextTick: process.nextTick,
    stdout: { write: (text) => { out.write(String(text)); return true; } },
    stderr: { write: (text) => { err.write(String(text)); return true; } },
  },
});

function errorOf(e) {
  const name = (e && e.name) || 'Error';
  const value = (e && e.message !== undefined) ? String(e.message) : String(e);
  let traceback = (e && e.stack) ? String(e.stack) : name + ': ' + value;
  // Keep the frames of the submitted code; drop the driver's and Node's own.
  const lines = traceback.split('\n');
  traceback = lines.filter((l, i) => i === 0 || !/^\s+at /.test(l) || l.includes(CELL)).join('\n');
  const error = { name, value, traceback };
  const match = /cell\.js:(\d+)/.exec(String(e && e.stack));
  if (match) error.line = Number(match[1]);
  return error;
}

// A cell with top-level await runs inside an async function on the same lines: its last
// expression is returned, and its top-level declarations go to globalThis so they persist.
const STATEMENT = /^(const|let|var|function|class|if|for|while|do|switch|try|return|throw|import|export|\}|\/\/|\/\*)\b|^\}/;
function asAsync(code) {
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++)
    lines[i] = lines[i].replace(/^(const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/, 'globalThis.$2 =');
  let last = lines.length - 1;
  while (last >= 0 && !lines[last].trim()) last--;
  if (last >= 0) {
    const text = lines[last].trim().replace(/;\s*$/, '');
    if (text && !STATEMENT.test(text) && !text.endsWith('{') && !text.startsWith('globalThis.'))
      lines[last] = lines[last].replace(lines[last].trim(), 'return (' + text + ');');
  }
  lines[0] = '(async () => { ' + lines[0];
  lines[lines.length - 1] += '\n})()';
  return lines.join('\n');
}

function needsAsync(e) {
  return e && e.name === 'SyntaxError' && /await is only valid|reserved word|Unexpected identifier/.test(String(e.message));
}

let count = 0;
let pending = null; // the async run in flight: { finish(error) }
const queue = [];

function finish(request, started, error, value) {
  if (!error && value !== undefined) {
    const bundle = bundleOf(value);
    bundle.isMainResult = true;
    results.push(bundle);
  }
  out.flush();
  err.flush();
  send({
    id: request.id, type: 'done', result: results, error, executionCount: count,
    executionTime: Number(process.hrtime.bigint() - started) / 1e9, droppedOutput: budget.dropped,
  });
}

function execute(request) {
  count += 1;
  results = [];
  currentId = request.id;
  budget.left = Number(request.maxOutput || 8 * 1024 * 1024);
  budget.dropped = 0;
  const started = process.hrtime.bigint();
  const code = String(request.code || '');
  const options = { filename: CELL, breakOnSigint: true, displayErrors: false };
  let value;
  try {
    value = vm.runInContext(code, context, options);
  } catch (e) {
    if (!needsAsync(e) || !code.includes('await')) {
      finish(request, started, errorOf(e));
      return;
    }
    let promise;
    try {
      promise = vm.runInContext(asAsync(code), context, options);
    } catch (e2) {
      finish(request, started, errorOf(e2));
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
      (result) => { if (!settled) { settled = true; pending = null; finish(request, started, null, result); next(); } },
      (e3) => { if (!settled) { settled = true; pending = null; finish(request, started, errorOf(e3)); next(); } });
    return;
  }
  finish(request, started, null, value);
}

function next() {
  while (!pending && queue.length) execute(queue.shift());
}

// An interrupt ends an async run still waiting; between runs it has nothing to stop.
process.on('SIGINT', () => { if (pending) pending.interrupt(); });
send({ type: 'ready', language: 'javascript', version: process.version,
       executable: process.execPath, pid: process.pid });

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
    queue.push(request);
    next();
  }
});
process.stdin.on('end', () => process.exit(0));
