import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logCpu, parseProcStat, sampleCpu } from './cpu-log';

// A real /proc/<pid>/stat line shape; the command name holds a space and a ')' on purpose.
const STAT =
  '4242 (jest worker) 1)) S 4200 4242 4200 0 -1 4194560 5000 0 0 0 1234 56 780 90 20 0 11 0 100 0 0';

test('reads utime+stime and cutime+cstime after the command name, in seconds', () => {
  expect(parseProcStat(STAT)).toEqual({ self: 12.9, children: 8.7 });
});

test('samples this process and appends one JSON line per file', () => {
  const now = sampleCpu();
  expect(now?.self).toBeGreaterThan(0);
  expect(Math.abs(now!.at! - Date.now())).toBeLessThan(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-log-'));
  try {
    const file = path.join(dir, 'cpu.jsonl');
    logCpu(file, 'a.test.ts', { self: 1, children: 0 }, { self: 3.5, children: 2 });
    logCpu(file, 'b.test.ts', { self: 0, children: 0 }, { self: 0.25, children: 0 });
    logCpu(file, 'c3.test.ts', { self: 0, children: 0, at: 1000 }, { self: 1, children: 0, at: 4500 });
    expect(
      fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { file: 'a.test.ts', self: 2.5, children: 2 },
      { file: 'b.test.ts', self: 0.25, children: 0 },
      { file: 'c3.test.ts', self: 1, children: 0, start: 1000, end: 4500, pid: process.pid },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
