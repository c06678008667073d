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

let count = 0;
function execute(request) {
  count += 1;
  results = [];
  currentId = request.id;
  budget.left = Number(request.maxOutput || 8 * 1024 * 1024);
  budget.dropped = 0;
  let error = null;
  const started = process.hrtime.bigint();
  try {
    const value = vm.runInContext(String(request.code || ''), context,
                                  { filename: CELL, breakOnSigint: true, displayErrors: false });
    if (value !== undefined) {
      const bundle = bundleOf(value);
      bundle.isMainResult = true;
      results.push(bundle);
    }
  } catch (e) {
    error = errorOf(e);
  }
  out.flush();
  err.flush();
  send({
    id: request.id, type: 'done', result: results, error, executionCount: count,
    executionTime: Number(process.hrtime.bigint() - started) / 1e9, droppedOutput: budget.dropped,
  });
}

process.on('SIGINT', () => {}); // between runs an interrupt has nothing to stop
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
    execute(request);
  }
});
process.stdin.on('end', () => process.exit(0));
