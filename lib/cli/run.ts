/**
 * CLI wrapper: bad input (SpecError, bad flags) -> one line on stderr and exit 2; any other failure ->
 * one line and exit 1. No stack traces unless REDIS_IAC_DEBUG=1.
 */
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSpecError } from '../errors';

export class UsageError extends Error {}

/**
 * A path the user typed, resolved against the directory they typed it in. `npm run` starts scripts in
 * the package root and keeps the caller's directory in INIT_CWD, so `cd examples && npm run plan --
 * --spec acs-100k.yaml` must look in examples/, not in the root.
 */
export function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/**
 * node's parseArgs, with its errors turned into a UsageError that also shows the usage: parseArgs
 * says what is wrong ("Unknown option '--device'") but not which flags exist.
 */
export function parseFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const first = (e as Error).message.split(/\.\s/)[0].replace(/\.$/, '');
    throw new UsageError(`${first}; ${usage}`);
  }
}

export async function runCli(main: () => Promise<void> | void): Promise<void> {
  try {
    await main();
  } catch (e) {
    const err = e as Error;
    if (process.env.REDIS_IAC_DEBUG === '1') console.error(err.stack);
    const bad =
      isSpecError(e) ||
      e instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`error: ${oneLine(err.message)}\n`);
    process.exitCode = bad ? 2 : 1;
  }
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Entry of the cdk and cdk8s apps (stacks/aws.ts, k8s/main.ts): bad input (SpecError, a bad flag)
 * prints its one-line message, no stack trace, and exits 2; any other error is rethrown for the
 * tool to show.
 */
export function runAppEntry(main: () => void): void {
  try {
    main();
  } catch (e) {
    if (isSpecError(e) || e instanceof UsageError) {
      console.error(isSpecError(e) ? e.message : `error: ${oneLine((e as Error).message)}`);
      process.exit(2);
    }
    throw e;
  }
}
