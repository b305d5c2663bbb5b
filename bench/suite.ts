/**
 * Test-suite figure: wall time and peak memory of `npm test` (type-check, lint, jest) as one process
 * tree. One run: it is the slowest thing the bench does.
 */
import { measure, type Measurement } from './measure';

/** Target from issue 8: the whole suite in under 3 minutes on 2 cores. */
export const SUITE_TARGET_MS = 3 * 60 * 1000;

export interface SuiteResult {
  command: string;
  wallMs: number;
  peakRssMb: number;
  peakRssMethod: Measurement['peakRssMethod'];
  treeRssMb: number;
  exitCode: number;
  verdict: 'PASS' | 'MISS';
  /** Last lines of stderr when the suite failed. */
  failure?: string;
}

export async function runSuite(root: string): Promise<SuiteResult> {
  const args = ['test', '--silent'];
  const m = await measure({ command: 'npm', args, cwd: root, env: { ...process.env, CI: '1' } });
  return {
    command: `npm ${args.join(' ')}`,
    wallMs: Math.round(m.wallMs),
    peakRssMb: Math.round(m.peakRssKb / 102.4) / 10,
    peakRssMethod: m.peakRssMethod,
    treeRssMb: Math.round(m.treeRssKb / 102.4) / 10,
    exitCode: m.exitCode,
    verdict: m.wallMs < SUITE_TARGET_MS ? 'PASS' : 'MISS',
    failure: m.exitCode === 0 ? undefined : m.stderrTail,
  };
}
