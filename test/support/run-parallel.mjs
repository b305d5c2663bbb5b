#!/usr/bin/env node
/**
 * Runs shell commands side by side and fails when any of them fails: `npm test` runs the
 * single-threaded checks (tsc type-check then build, eslint then prettier) as two lanes on two cores
 * instead of one after the other. Each lane's output is printed in one piece when it ends (never
 * interleaved), then a line with its time and result. Exit code: 0 when every lane exits 0, else 1
 * (every lane still runs to its end, so one run reports every failing check).
 *
 * usage: node test/support/run-parallel.mjs '<command>' '<command>' ...
 */
/* global process, console, Buffer */
import { spawn } from 'node:child_process';

const lanes = process.argv.slice(2);
if (lanes.length === 0) {
  console.error("usage: node test/support/run-parallel.mjs '<command>' '<command>' ...");
  process.exit(2);
}

/** Runs one lane in a shell with its output collected; resolves to its exit code. */
function runLane(command) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    const finish = (code, why) => {
      const text = Buffer.concat(out).toString();
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`[${code === 0 ? 'ok' : 'FAILED'}] ${command} (${secs} s${why ? `, ${why}` : ''})`);
      resolve(code);
    };
    child.on('error', (e) => finish(1, e.message));
    child.on('close', (code, signal) => finish(code ?? 1, signal ? `killed by ${signal}` : ''));
  });
}

const codes = await Promise.all(lanes.map(runLane));
process.exit(codes.every((c) => c === 0) ? 0 : 1);
