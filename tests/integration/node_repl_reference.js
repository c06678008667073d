// SPDX-License-Identifier: GPL-3.0-or-later
// Replays the JavaScript cases of the REPL parity corpus in Node's own REPL (its eval, with a
// fresh context per case) and prints which cases it answers as the corpus expects: the record of
// where the local kernel and Node's REPL agree. Cases that need the sandbox (display(), a kernel
// that dies, output streams) are not comparable and are counted apart.
'use strict';
const fs = require('fs');
const repl = require('repl');
const { PassThrough } = require('stream');
const util = require('util');

const corpus = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sandboxOnly = (run) => /display\(|process\.exit|process\.stdout|console\.|setTimeout|setImmediate/.test(run.code)
  || run.error === 'KernelDied' || run.stderr !== undefined || run.stdout !== undefined
  || run.count !== undefined || run.line !== undefined || run.earlierFrame;

function evaluate(server, code, name) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ error: new Error('no answer in 3 s') }), 3000);
    server.eval(code, server.context, name, (error, value) => {
      clearTimeout(timer);
      resolve({ error, value });
    });
  });
}

// Node's REPL evaluates asynchronously and its streams here keep nothing alive: hold the loop.
const alive = setInterval(() => {}, 1000);

(async () => {
  let comparable = 0;
  let agree = 0;
  const differ = [];
  for (const testCase of corpus.cases.filter((c) => c.language === 'javascript')) {
    if (testCase.runs.some(sandboxOnly)) continue;
    comparable += 1;
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const server = repl.start({ input, output, terminal: false, prompt: '', useGlobal: false });
    let same = true;
    let why = '';
    for (const [index, run] of testCase.runs.entries()) {
      const { error, value } = await evaluate(server, run.code, `REPL${index + 1}`);
      const shown = value === undefined ? '' : util.inspect(value);
      if (run.error !== undefined) {
        if (!error || error.name !== run.error) { same = false; why = `run ${index + 1}: no ${run.error}`; }
      } else if (error) {
        same = false; why = `run ${index + 1}: ${error.name}: ${error.message}`;
      } else if (run.result !== undefined && shown !== run.result) {
        same = false; why = `run ${index + 1}: ${shown}`;
      } else if (run.noResult && shown !== '') {
        same = false; why = `run ${index + 1}: shows ${shown}`;
      }
      if (!same) break;
    }
    server.close();
    if (same) agree += 1;
    else differ.push(`${testCase.name} (${why})`);
  }
  console.log(`Node's REPL (${process.version}) agrees on ${agree} of ${comparable} comparable ` +
    `JavaScript cases; the others need the sandbox (display, streams, kernel death, line marks).`);
  for (const line of differ) console.log(`  differs: ${line}`);
  clearInterval(alive);
})();
