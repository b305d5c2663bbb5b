#!/usr/bin/env node
/**
 * Runs shell commands side by side and fails when any of them fails: `npm test` runs the type-check,
 * the lint and jest at once, so the single-threaded checks use the cores jest leaves idle while its
 * real-Redis tests wait on syncs and failovers, instead of holding jest back for their whole time.
 * Each lane's output is printed in one piece when it ends (never interleaved), then a line with its
 * time and result; a lane given after `--live` streams its output as it comes (jest's progress).
 * Exit code: 0 when every lane exits 0, else 1 (every lane still runs to its end, so one run reports
 * every failing check).
 *
 * Every lane runs with V8's young generation at 32 MB (`--max-semi-space-size=32` added to
 * NODE_OPTIONS, inherited by jest's workers and the CLIs the tests start): the synth and the tests
 * allocate many short-lived objects, and the default 16 MB made garbage collection a sixth of the
 * CPU time (measured: diff corpus 19.2 -> 15.8 s CPU, whole jest run 192.7 -> 177.9 s wall).
 *
 * usage: node test/support/run-parallel.mjs '<command>' ... [--live '<command>']
 */
/* global process, console, Buffer */
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const lanes = args
  .map((command, i) => ({ command, live: args[i - 1] === '--live' }))
  .filter((l) => l.command !== '--live');
if (lanes.length === 0) {
  console.error("usage: node test/support/run-parallel.mjs '<command>' ... [--live '<command>']");
  process.exit(2);
}

const env = {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-semi-space-size=32'].filter(Boolean).join(' '),
};

/** Runs one lane in a shell with its output collected (or streamed); resolves to its exit code. */
function runLane({ command, live }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      env,
      stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'],
    });
    const out = [];
    child.stdout?.on('data', (b) => out.push(b));
    child.stderr?.on('data', (b) => out.push(b));
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
