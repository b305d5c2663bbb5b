/**
 * The jest test environment: jest's node environment, plus two things for speed that change no
 * test's outcome. This module runs outside the test files' sandboxes and is loaded once per jest
 * worker, so what it holds lives for that worker (one run) and no longer.
 *
 * - aws-cdk-lib's template validation engine is shared by the test files of the worker
 *   (./shared-cfn-validate-host.ts says why that is the same validation).
 * - Pulumi records a stack trace on every promise it makes (`debuggablePromise`: `new Error().stack`,
 *   kept only for its leak report at exit). Under jest every `.stack` goes through jest's source-map
 *   formatter, which clones each frame: in the Pulumi-heavy files that was a sixth of their CPU time
 *   (test/diff/corpus.test.ts: 14 s of 77 s). Those traces are formatted the plain V8 way, with the
 *   10 frames Node keeps by default (jest asks V8 for 100); every other error, test failures
 *   included, still gets jest's source-mapped stack.
 */
import NodeEnvironment from 'jest-environment-node';
import { SHARED_CFN_VALIDATE, sharedCfnValidateModule } from './shared-cfn-validate-host';
import { logCpu, sampleCpu, type CpuSample } from './cpu-log';

/** The file whose `new Error().stack` is only Pulumi's promise bookkeeping. */
const PULUMI_DEBUGGABLE = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;

type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Node's default Error.stackTraceLimit; jest raises it to 100 for readable test failures. */
const NODE_STACK_FRAMES = 10;

/**
 * V8's own format, what `.stack` reads without any prepareStackTrace, with the frames Node records by
 * default: the trace Pulumi keeps outside jest.
 */
function plain(error: Error, frames: NodeJS.CallSite[], limit = frames.length): string {
  const at = frames.slice(0, limit).map((f) => `\n    at ${f}`);
  return `${error.name ?? 'Error'}: ${error.message ?? ''}${at.join('')}`;
}

/**
 * The sandbox's Error.prepareStackTrace (Node asks the realm that made the error first): Pulumi's
 * bookkeeping traces plainly, everything else through the formatter jest installed on this realm.
 */
function prepareStackTrace(error: Error, frames: NodeJS.CallSite[]): unknown {
  if (PULUMI_DEBUGGABLE.test(frames[0]?.getFileName() ?? '')) return plain(error, frames, NODE_STACK_FRAMES);
  const jestFormatter = Error.prepareStackTrace as Formatter | undefined;
  return jestFormatter ? jestFormatter(error, frames) : plain(error, frames);
}

export default class RedisIacEnvironment extends NodeEnvironment {
  private readonly cpuLog = process.env.JEST_CPU_LOG;
  private readonly testPath: string;
  private cpuStart?: CpuSample;

  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    this.testPath = args[1].testPath;
    const sandbox = this.global as unknown as Record<symbol, unknown> & { Error: ErrorConstructor };
    sandbox[SHARED_CFN_VALIDATE] = sharedCfnValidateModule;
    sandbox.Error.prepareStackTrace = prepareStackTrace;
  }

  override async setup(): Promise<void> {
    await super.setup();
    if (this.cpuLog) this.cpuStart = sampleCpu();
  }

  override async teardown(): Promise<void> {
    if (this.cpuLog && this.cpuStart) {
      const end = sampleCpu();
      if (end) logCpu(this.cpuLog, this.testPath, this.cpuStart, end);
    }
    await super.teardown();
  }
}
