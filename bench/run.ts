/**
 * `npm run bench [-- options]`: synth speed against the toolchain floor, the test suite's wall time and
 * memory, the planner's sizing cost against the guides' reference rows, and the fleet synth (1 to 100
 * specs in one run: marginal seconds per spec and peak memory of the process tree). Prints tables and writes
 * bench/results.json (plus bench/runs/latest.md, the same figures as Markdown for docs/bench.md).
 *
 * Timing figures are reported, never asserted: these machines are shared and noisy, so the synth
 * figures are ratios to a floor measured in the same run, alternating target and floor.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { FLEET_SIZES, runFleet } from './fleet';
import { hasGnuTime } from './measure';
import { frontierTable, summarizeFrontier } from './frontier';
import {
  fleetGrid,
  frontierGrid,
  frontierLine,
  machineLine,
  resultMarkdown,
  sizingGrid,
  suiteGrid,
  summarizeSizing,
  synthGrid,
  text,
  type BenchResult,
  type Machine,
} from './report';
import { sizingTable } from './sizing';
import { runSuite } from './suite';
import { runSynthRows, synthRows, TARGET_RATIO } from './synth';

const ROOT = path.resolve(__dirname, '..');
export const SECTIONS = ['synth', 'suite', 'sizing', 'frontier', 'fleet'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `usage: npm run bench -- [--runs N] [--warmup N] [--quick] [--no-test-suite] [--only synth,suite,sizing,fleet] [--out FILE]
  --runs N         measured runs per side (target and floor) of each synth row; default $BENCH_RUNS or 5 (quick: 2)
  --warmup N       unmeasured runs per side first; default 1 (quick: 0)
  --quick          2 runs, no warm-up, no test suite; writes bench/runs/results.quick.json, not bench/results.json
  --no-test-suite  skip the \`npm test\` figure (about 1-3 minutes)
  --only LIST      run only these sections (comma-separated: synth, suite, sizing, frontier, fleet); fleet: one
                   \`npm run synth -- --dir\` run per size (${FLEET_SIZES.join(', ')} specs; quick: 1 and 10)
  --out FILE       where to write the JSON result; default bench/results.json for a complete run (every
                   section, >= 5 runs, >= 1 warm-up), else bench/runs/results.partial.json (quick: results.quick.json)`;

export class UsageError extends Error {}
/** --help: the usage text, exit 0. */
export class HelpRequested extends UsageError {}

export interface Options {
  runs: number;
  warmup: number;
  quick: boolean;
  sections: Section[];
  out: string;
}

function positiveInt(flag: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`${flag}: got ${JSON.stringify(raw)}; expected a whole number >= ${min}`);
  }
  return n;
}

/** Flags and BENCH_RUNS -> options; bad input throws a UsageError naming the flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-test-suite': { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new HelpRequested(USAGE);
  const quick = values.quick;
  const runsRaw = values.runs ?? env.BENCH_RUNS;
  const runs =
    runsRaw !== undefined ? positiveInt(values.runs ? '--runs' : 'BENCH_RUNS', runsRaw, 1) : quick ? 2 : 5;
  const warmup = values.warmup !== undefined ? positiveInt('--warmup', values.warmup, 0) : quick ? 0 : 1;
  let sections: Section[] = [...SECTIONS];
  if (values.only !== undefined) {
    const asked = values.only.split(',').map((x) => x.trim());
    const bad = asked.find((x) => !(SECTIONS as readonly string[]).includes(x));
    if (bad !== undefined || asked.length === 0) {
      throw new UsageError(
        `--only: got ${JSON.stringify(bad ?? values.only)}; expected a list of ${SECTIONS.join(', ')}`,
      );
    }
    sections = asked as Section[];
  }
  if (quick || values['no-test-suite']) sections = sections.filter((x) => x !== 'suite');
  // bench/results.json is tracked in git and quoted in README: only a complete run may replace it.
  const complete = !quick && sections.length === SECTIONS.length && runs >= 5 && warmup >= 1;
  const out =
    values.out ??
    (complete
      ? path.join('bench', 'results.json')
      : path.join('bench', 'runs', quick ? 'results.quick.json' : 'results.partial.json'));
  return { runs, warmup, quick, sections, out };
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function machineFacts(): Machine {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGib: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    gitCommit: git(['rev-parse', 'HEAD']) || 'unknown',
    gitDirtyFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length,
    loadAverageStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
    gnuTime: hasGnuTime(),
  };
}

const say = (line = '') => process.stdout.write(line + '\n');

async function synthSection(result: BenchResult, opts: Options, scratch: string): Promise<void> {
  say(
    `\n== Synth speed: ${opts.runs} run(s) per side after ${opts.warmup} warm-up, target <= ${TARGET_RATIO}x floor`,
  );
  const rows = await runSynthRows(synthRows(ROOT, scratch), {
    root: ROOT,
    runs: opts.runs,
    warmup: opts.warmup,
    scratch,
    log: say,
  });
  result.synth = { targetRatio: TARGET_RATIO, rows };
  say(text(synthGrid(rows)));
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const machine = machineFacts();
  const result: BenchResult = {
    schema: 'redis-iac-bench/1',
    machine,
    settings: { runs: opts.runs, warmup: opts.warmup, quick: opts.quick, sections: opts.sections },
    durationMs: 0,
  };
  say(`bench: ${machineLine(machine)}`);
  let failed = false;

  if (opts.sections.includes('sizing')) {
    say('\n== Sizing: planner vs the reference rows vs brute force');
    const rows = sizingTable();
    result.sizing = { rows, summary: summarizeSizing(rows) };
    say(text(sizingGrid(rows)));
  }

  if (opts.sections.includes('frontier')) {
    say('\n== Cost frontier: on-demand vs best committed vs serverless, planner vs brute force');
    const rows = frontierTable();
    const summary = summarizeFrontier(rows);
    result.frontier = { rows, summary };
    say(text(frontierGrid(rows)));
    say(frontierLine(summary));
    failed ||= summary.agree !== summary.rows;
  }

  if (opts.sections.includes('synth')) {
    // Outputs of the measured commands go to a temporary folder, not into the checkout: generated
    // files there (e.g. CDK asset code) would be picked up by the project's lint and type-check.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-bench-'));
    try {
      await synthSection(result, opts, scratch);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    failed ||= result.synth!.rows.some((r) => r.verdict === 'ERROR');
  }
  if (opts.sections.includes('fleet')) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-fleet-'));
    try {
      const sizes = opts.quick ? [1, 10] : FLEET_SIZES;
      say(`\n== Fleet synth: npm run synth -- --dir <${sizes.join(', ')} specs>, one run each`);
      // The section carries its own machine line (date, commit, load while it ran).
      const here = machineFacts();
      result.fleet = await runFleet({ root: ROOT, scratch, runs: 1, sizes, log: say });
      here.loadAverageEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
      result.fleet.machine = machineLine(here);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
    failed ||= result.fleet.rows.some((r) => r.error);
    say(text(fleetGrid(result.fleet)));
  }
  if (opts.sections.includes('suite')) {
    say('\n== Test suite: npm test');
    const suite = await runSuite(ROOT);
    result.testSuite = suite;
    failed ||= suite.exitCode !== 0;
    say(text(suiteGrid(suite)));
    if (suite.failure) say(suite.failure);
  } else {
    result.testSuite = { skipped: opts.quick ? '--quick' : '--no-test-suite or --only' };
  }

  machine.loadAverageEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  result.durationMs = Date.now() - started;
  const outFile = path.resolve(ROOT, opts.out);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  const md = path.join(ROOT, 'bench', 'runs', 'latest.md');
  fs.mkdirSync(path.dirname(md), { recursive: true });
  fs.writeFileSync(md, resultMarkdown(result));
  say(
    `\nwrote ${path.relative(ROOT, outFile)} and ${path.relative(ROOT, md)} in ${(result.durationMs / 1000).toFixed(0)} s`,
  );
  return failed ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof HelpRequested) {
        process.stdout.write(e.message + '\n');
        process.exit(0);
      }
      const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      process.stderr.write(`${usage ? '' : 'error: '}${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(usage ? 2 : 1);
    },
  );
}
