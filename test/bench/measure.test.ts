/** Pure helpers of the bench's measuring code, plus one real child process (memory, exit code; no timing). */
import {
  failedTestLines,
  failureLine,
  hasGnuTime,
  measure,
  median,
  parseGnuTimeCpuMs,
  parseGnuTimeKb,
  parsePpid,
  parseProcStatus,
  ratio,
  verdict,
} from '../../bench/measure';

describe('median', () => {
  test('odd and even counts, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  test('does not reorder the caller’s array', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  test('an empty list is an error, not NaN', () => {
    expect(() => median([])).toThrow('median of an empty list');
  });
});

describe('ratio and verdict', () => {
  test('ratio rounds to 2 decimals', () => {
    expect(ratio(3000, 2000)).toBe(1.5);
    expect(ratio(1001, 3000)).toBe(0.33);
  });
  test('no ratio against a zero or missing floor', () => {
    expect(ratio(100, 0)).toBeUndefined();
    expect(ratio(100, NaN)).toBeUndefined();
  });
  test('PASS at the limit, MISS above it, n/a without a ratio', () => {
    expect(verdict(1.5, 1.5)).toBe('PASS');
    expect(verdict(1.51, 1.5)).toBe('MISS');
    expect(verdict(undefined, 1.5)).toBe('n/a');
  });
});

describe('/proc and GNU time parsing', () => {
  const status = [
    'Name:\tnode',
    'State:\tS (sleeping)',
    'VmPeak:\t 1234567 kB',
    'VmHWM:\t  204800 kB',
    'VmRSS:\t  102400 kB',
  ].join('\n');
  test('VmHWM and VmRSS in KiB', () => {
    expect(parseProcStatus(status)).toEqual({ hwmKb: 204800, rssKb: 102400 });
  });
  test('a zombie without memory lines reads as 0, not NaN', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\n')).toEqual({ hwmKb: 0, rssKb: 0 });
  });
  test('ppid survives a command name with spaces and parentheses', () => {
    expect(parsePpid('4242 (node (worker) 1) S 4000 4242 4000 0 -1')).toBe(4000);
    expect(parsePpid('17 (tsx) R 1 17 17 0 -1')).toBe(1);
  });
  test('GNU time output: the figure is the last line, even after an exit-status line', () => {
    expect(parseGnuTimeKb('123456\n')).toBe(123456);
    expect(parseGnuTimeKb('Command exited with non-zero status 3\n98765\n')).toBe(98765);
    expect(parseGnuTimeKb('12.50 1.25\n98765\n')).toBe(98765);
    expect(parseGnuTimeCpuMs('12.50 1.25\n98765\n')).toBe(13750);
    expect(parseGnuTimeCpuMs('Command exited with non-zero status 3\n0.10 0.02\n98765\n')).toBe(120);
    expect(parseGnuTimeCpuMs('98765\n')).toBeUndefined();
  });
  test('unreadable GNU time output is an error', () => {
    expect(() => parseGnuTimeKb('Command terminated by signal 9\n')).toThrow('cannot read GNU time output');
  });
});

describe('measure() on a real child process', () => {
  // Holds ~160 MiB resident for 400 ms so a 50 ms poller sees it.
  const hog = [
    '-e',
    'const b = Buffer.alloc(160 * 1024 * 1024, 1); setTimeout(() => process.exit(b[0] === 1 ? 0 : 9), 400);',
  ];
  const methods = hasGnuTime() ? [false, true] : [false];
  test.each(methods)('peak RSS covers the allocation (GNU time: %s)', async (gnu) => {
    const m = await measure({ command: process.execPath, args: hog }, gnu);
    expect(m.exitCode).toBe(0);
    expect(m.peakRssMethod).toBe(gnu ? 'gnu-time' : 'proc-vmhwm');
    expect(m.peakRssKb).toBeGreaterThan(160 * 1024);
    expect(m.treeRssKb).toBeGreaterThanOrEqual(m.peakRssKb);
  });
  test('polling walks the tree: memory held by a grandchild counts', async () => {
    const script = `"${process.execPath}" ${hog.map((a) => `'${a}'`).join(' ')}; exit $?`;
    const m = await measure({ command: '/bin/sh', args: ['-c', script] }, false);
    expect(m.exitCode).toBe(0);
    expect(m.peakRssKb).toBeGreaterThan(160 * 1024);
  });
  test('pollMs: a poller slower than the process it measures misses it (bad fixture); a faster one sees it', async () => {
    const slow = await measure({ command: process.execPath, args: hog, pollMs: 5000 }, false);
    expect(slow.treeRssKb).toBe(0);
    const fast = await measure({ command: process.execPath, args: hog, pollMs: 20 }, false);
    expect(fast.treeRssKb).toBeGreaterThan(160 * 1024);
  });
  test('a failing command reports its exit code and stderr', async () => {
    const m = await measure(
      { command: process.execPath, args: ['-e', 'console.error("boom"); process.exit(3)'] },
      false,
    );
    expect(m.exitCode).toBe(3);
    expect(m.stderrTail).toContain('boom');
  });
  test('a command that cannot start rejects', async () => {
    await expect(measure({ command: '/nonexistent/bench-binary', args: [] }, false)).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('failureLine', () => {
  test('prefers our CLIs\u2019 one-line error', () => {
    expect(failureLine('wrote x\nerror: spec.name: bad\n')).toBe('error: spec.name: bad');
  });
  test('a Node stack gives its error line, not the trailing Node version', () => {
    const stack = [
      'node:internal/modules/cjs/loader:1207',
      "Error: Cannot find module '../k8s/synth'",
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1207:15)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(failureLine(stack)).toBe("Error: Cannot find module '../k8s/synth'");
  });
  test('otherwise the last line; nothing at all is said so', () => {
    expect(failureLine('a\nb\n')).toBe('b');
    expect(failureLine('')).toBe('(no output)');
  });
});

describe('failedTestLines', () => {
  test("keeps jest's FAIL and ● test lines from output split anywhere, not ● Console, each once", () => {
    const out = [
      'PASS test/a.test.ts (3 s)',
      '\x1b[1m\x1b[31mFAIL\x1b[39m\x1b[22m test/k8s/x.integration.test.ts',
      '  ● Console',
      '  ● suite 1 › a test with digits 42',
      '    expect(received).toBe(expected)',
      'FAIL test/k8s/x.integration.test.ts',
      'Tests: 1 failed, 3 passed',
    ].join('\n');
    const f = failedTestLines();
    for (let i = 0; i < out.length; i += 7) f.add(out.slice(i, i + 7));
    expect(f.lines()).toEqual([
      'FAIL test/k8s/x.integration.test.ts',
      '● suite 1 › a test with digits 42',
      '    expect(received).toBe(expected)',
    ]);
  });

  test('a green run gives nothing; the list stops at the limit', () => {
    const green = failedTestLines();
    green.add('PASS test/a.test.ts\nTests: 3 passed\n');
    expect(green.lines()).toEqual([]);
    const many = failedTestLines(2);
    many.add(['FAIL a', 'FAIL b', 'FAIL c'].join('\n'));
    expect(many.lines()).toEqual(['FAIL a', 'FAIL b']);
    const short = failedTestLines(40, 1);
    short.add('  ● t\n  first\n  second\n  ● Console\n    console.log\n');
    expect(short.lines()).toEqual(['● t', '    first']);
  });
});
