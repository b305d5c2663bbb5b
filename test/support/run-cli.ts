/**
 * Runs a CLI's exported `main(argv)` through the same runCli wrapper its `require.main` block uses,
 * in this process, capturing stdout, stderr and the exit code. A tsx child costs a second of CPU
 * (two node processes and a toolchain reload); each CLI keeps a few real child-process tests that
 * prove the wiring, and the remaining cases run here.
 */
import { runCli } from '../../lib/cli/run';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** @param initCwd the directory `npm run` was started in (INIT_CWD), as the child tests set it. */
export async function runCliInProcess(
  main: (argv: string[]) => Promise<void> | void,
  argv: string[],
  initCwd?: string,
): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const savedCwd = process.env.INIT_CWD;
  const savedCode = process.exitCode;
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  process.exitCode = 0;
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  try {
    await runCli(() => main(argv));
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = savedCode;
    if (savedCwd === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = savedCwd;
  }
}
