/**
 * The one rule for what a test needs from the machine (a tool, root, a chart copy): when it is
 * missing, the test FAILS with a message naming it and how to get it, unless the requirement's
 * documented `<NAME>_TESTS=skip` variable is set; then a warning naming what was not tested is
 * printed and those tests are skipped. This module is the only place in test/ that skips a test
 * (`grep -rn "test.skip\|describe.skip" test/` finds only it). The variables are listed in README
 * ("Tests and CI") and in SKIP_VARIABLES below; .ci/run installs every tool, so CI skips nothing but
 * the Bitnami chart, which is not reachable there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A thing some tests need. */
export interface Requirement {
  /** What is needed, as the message names it: `redis-server 7`, `systemd-analyze`. */
  name: string;
  /** How to get it: `apt-get install -y redis-server`. */
  install: string;
  /** The variable that skips the tests needing it when set to `skip`. */
  skipVar: SkipVariable;
  /** Undefined when present; otherwise why it is not usable (one line). */
  problem(): string | undefined;
}

/** Every documented skip variable and what setting it to `skip` leaves untested. */
export const SKIP_VARIABLES = {
  REDIS_TESTS: 'every test that starts a real redis-server (test/selfhosted, test/k8s integration)',
  CFN_LINT_TESTS: 'cfn-lint on the synthesized CloudFormation templates (test/aws)',
  SYSTEMD_TESTS: '`systemd-analyze verify` of the self-hosted units (test/selfhosted/render.test.ts)',
  CHROMIUM_TESTS: 'the report screenshot in headless Chromium (test/synth, test/cli)',
  ROOT_TESTS: 'the self-hosted install/stop tests that need root to act as another account',
  BITNAMI_CHART_TESTS: '`helm template` of values-redis.yaml with the real bitnami/redis chart',
  PROMTOOL_TESTS: '`promtool check rules` on the PrometheusRule alert rules',
  CLIENT_TESTS: "the guides' client libraries (phpredis, predis, redis-py) against a real Redis",
  UNSHARE_TESTS:
    'the AOF durability test, which crashes Redis on a private loop-mounted disk and drops its unsynced pages',
} as const;
export type SkipVariable = keyof typeof SKIP_VARIABLES;

/** What the tests of this file may do about `req`: run, skip (warned), or fail (with this message). */
export type Availability = { state: 'present' } | { state: 'skip' } | { state: 'missing'; message: string };

const checked = new WeakMap<Requirement, Availability>();

/** Checks `req` once (per object, per test file); prints the skip warning once. */
export function availability(req: Requirement): Availability {
  const known = checked.get(req);
  if (known) return known;
  const problem = req.problem();
  let result: Availability;
  if (!problem) result = { state: 'present' };
  else if (process.env[req.skipVar] === 'skip') {
    console.warn(
      `*** SKIPPED because ${req.skipVar}=skip: ${SKIP_VARIABLES[req.skipVar]}. ${req.name} is not usable (${problem}); NOT tested.`,
    );
    result = { state: 'skip' };
  } else {
    result = {
      state: 'missing',
      message: `${req.name} is required: ${problem}. Install it (${req.install}), or set ${req.skipVar}=skip to skip these tests with a warning.`,
    };
  }
  checked.set(req, result);
  return result;
}

/** True when `req` is present, false when skipped on purpose; throws the missing message otherwise. */
export function have(req: Requirement): boolean {
  const a = availability(req);
  if (a.state === 'missing') throw new Error(a.message);
  return a.state === 'present';
}

type Describe = typeof describe;

/**
 * `describe` when `req` is present; `describe.skip` when skipped on purpose; otherwise a describe
 * whose every test fails with the message naming the tool (a beforeAll throws it).
 */
export function describeWith(
  req: Requirement,
): Pick<Describe, 'each'> & ((name: string, fn: () => void) => void) {
  const a = availability(req);
  if (a.state === 'present') return describe;
  if (a.state === 'skip') return describe.skip;
  const failing = (fn: (...args: unknown[]) => void) =>
    function (this: unknown, ...args: unknown[]) {
      beforeAll(() => {
        throw new Error(a.message);
      });
      fn.apply(this, args);
    };
  const d = (name: string, fn: () => void) => describe(name, failing(fn));
  d.each = ((table: unknown) => (name: string, fn: (...args: unknown[]) => void) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- jest's overloaded each table
    describe.each(table as any)(name, failing(fn))) as unknown as Describe['each'];
  return d;
}

/** `test` when `req` is present; `test.skip` when skipped on purpose; otherwise a test that fails naming it. */
export function testWith(
  req: Requirement,
): (name: string, fn: jest.ProvidesCallback, timeout?: number) => void {
  const a = availability(req);
  if (a.state === 'present') return test;
  if (a.state === 'skip') return test.skip;
  return (name, _fn, timeout) =>
    test(
      name,
      () => {
        throw new Error(a.message);
      },
      timeout,
    );
}

/** The run-wide record of command checks, in the run's private TMPDIR (./tmp-setup.ts). */
export const TOOL_CHECKS_DIR = 'redis-iac-tool-checks';

/** What a command check found: why the command is unusable (undefined when usable) and its stdout. */
export interface CommandCheck {
  problem?: string;
  output: string;
}

/**
 * The answer of an earlier test file of this run for the same PATH command, arguments and PATH.
 * `cfn-lint --version` alone costs a second of CPU (Python loading cfn-lint), and three test files
 * asked it. A command given as a path is always run: tests point those at shims they write.
 */
function recordedCheck(cmd: string, args: string[]): { file?: string; known?: CommandCheck } {
  const runDir = process.env.REDIS_IAC_JEST_TMP;
  if (!runDir || cmd.includes('/')) return {};
  const key = createHash('sha256')
    .update(JSON.stringify([cmd, args, process.env.PATH ?? '']))
    .digest('hex')
    .slice(0, 32);
  const file = path.join(runDir, TOOL_CHECKS_DIR, `${key}.json`);
  try {
    return { file, known: JSON.parse(fs.readFileSync(file, 'utf8')) as CommandCheck };
  } catch {
    return { file };
  }
}

/** Runs `cmd args` (once per run for a PATH command) and reports why it is unusable, and its stdout. */
export function commandCheck(cmd: string, args: string[] = ['--version']): CommandCheck {
  const { file, known } = recordedCheck(cmd, args);
  if (known) return known;
  const check = runCommandCheck(cmd, args);
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(check));
  }
  return check;
}

/** `problem()` for a command: runs `cmd args` and reports why it is unusable (once per run). */
export function commandProblem(cmd: string, args: string[] = ['--version']): string | undefined {
  return commandCheck(cmd, args).problem;
}

function runCommandCheck(cmd: string, args: string[]): CommandCheck {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const output = r.stdout ?? '';
  if (r.error)
    return { problem: `${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`, output };
  if (r.status !== 0)
    return {
      problem: `\`${cmd} ${args.join(' ')}\` exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`,
      output,
    };
  return { output };
}

/** redis-server 7 or later on PATH (`bin` for the test of this rule). */
export function redisServer(bin = 'redis-server'): Requirement {
  return {
    name: 'redis-server 7',
    install: 'apt-get install -y redis-server',
    skipVar: 'REDIS_TESTS',
    problem: () => {
      const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
      if (r.error || r.status !== 0) return commandProblem(bin);
      const major = Number(/v=(\d+)\./.exec(r.stdout)?.[1]);
      return major >= 7 ? undefined : `redis-server 7+ required, found: ${r.stdout.trim()}`;
    },
  };
}

export const SYSTEMD_ANALYZE: Requirement = {
  name: 'systemd-analyze',
  install: 'apt-get install -y systemd',
  skipVar: 'SYSTEMD_TESTS',
  problem: () => commandProblem('systemd-analyze'),
};

export const ROOT: Requirement = {
  name: 'root',
  install: 'run the tests as root, as CI does',
  skipVar: 'ROOT_TESTS',
  problem: () => (process.getuid?.() === 0 ? undefined : `running as uid ${process.getuid?.()}`),
};

/**
 * A loop-mounted ext4 image in a private mount namespace (`unshare -m`, `nsenter`, `mkfs.ext4`,
 * a loop device, root): the AOF durability test's disk whose unsynced pages it can drop.
 */
export const LOOP_DISK: Requirement = {
  name: 'a loop-mounted ext4 image in a private mount namespace (unshare -m, nsenter, mkfs.ext4, root)',
  install: 'apt-get install -y util-linux e2fsprogs, and run as root with loop devices (CI does)',
  skipVar: 'UNSHARE_TESTS',
  problem: () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loop-probe-'));
    try {
      return (
        commandProblem('nsenter', ['--version']) ??
        commandProblem('sh', [
          '-c',
          'truncate -s 16M "$1/img" && mkfs.ext4 -q -F "$1/img" && mkdir "$1/m" && unshare -m --propagation private sh -c \'mount -o loop "$1/img" "$1/m" && umount "$1/m"\' sh "$1"',
          'sh',
          dir,
        ])
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const CFN_LINT: Requirement = {
  name: 'cfn-lint',
  install: 'pip install cfn-lint',
  skipVar: 'CFN_LINT_TESTS',
  problem: () => commandProblem(process.env.CFN_LINT ?? 'cfn-lint'),
};

/** Chromium for the report screenshot; `find` is lib/report/screenshot's findChromium. */
export function chromium(find: () => string | undefined): Requirement {
  return {
    name: 'chromium',
    install: 'apt-get install -y chromium',
    skipVar: 'CHROMIUM_TESTS',
    problem: () => (find() ? undefined : 'no chromium or chromium-browser on PATH'),
  };
}

/** A copy of the bitnami/redis chart: not vendored, and CI (npm and Debian only) cannot fetch it. */
export function bitnamiChart(source: string | undefined, chart: string | undefined): Requirement {
  return {
    name: 'a copy of the bitnami/redis chart',
    install:
      'set BITNAMI_CHARTS_REPO=<clone of github.com/bitnami/charts> or BITNAMI_REDIS_CHART=<unpacked bitnami/redis chart with charts/common>',
    skipVar: 'BITNAMI_CHART_TESTS',
    problem: () =>
      chart
        ? undefined
        : source
          ? `${source} holds no bitnami/redis chart`
          : 'BITNAMI_CHARTS_REPO / BITNAMI_REDIS_CHART not set',
  };
}

/** promtool (Debian `prometheus`), for the PrometheusRule checks. */
export const PROMTOOL: Requirement = {
  name: 'promtool',
  install: 'apt-get install -y prometheus',
  skipVar: 'PROMTOOL_TESTS',
  problem: () => commandProblem('promtool', ['--version']),
};

/** PHP with the phpredis extension (Debian php-cli php-redis). */
export const PHP_REDIS: Requirement = {
  name: 'php with the redis extension',
  install: 'apt-get install -y php-cli php-redis php-predis',
  skipVar: 'CLIENT_TESTS',
  problem: () => commandProblem('php', ['-r', 'exit(extension_loaded("redis") ? 0 : 1);']),
};

/** Debian's redis-py under /usr/bin/python3 (not a pyenv python3 earlier on PATH). */
export const PYTHON_REDIS: Requirement = {
  name: 'redis-py for /usr/bin/python3',
  install: 'apt-get install -y python3-redis',
  skipVar: 'CLIENT_TESTS',
  problem: () => commandProblem('/usr/bin/python3', ['-c', 'import redis']),
};
