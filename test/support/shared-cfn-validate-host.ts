/**
 * The worker-wide half of ./shared-cfn-validate.ts, loaded by ./jest-environment.ts outside the test
 * sandboxes (once per jest worker): the real `@aws/cloudformation-validate` module, whose engines are
 * built once per worker and config instead of once per test file.
 *
 * Building an engine (`new CompositeEngine(config)`) costs about 3 s of CPU. aws-cdk-lib keeps its
 * engine in a module-level singleton, so a process pays that once; under jest every test file has
 * its own module registry and paid it again. Sharing the engine per worker, keyed by its whole config
 * (rules and schemas), is what aws-cdk-lib's singleton does for every synth of a process: every synth
 * is still validated by the real engine with the real rules. Only in memory, within one run.
 */

interface Engine {
  free(): void;
}
interface CfnValidateModule {
  CompositeEngine: new (config: unknown) => Engine;
  [name: string]: unknown;
}

/** The sandbox global under which the environment hands `sharedCfnValidateModule` to the test files. */
export const SHARED_CFN_VALIDATE = Symbol.for('redis-iac.test.sharedCfnValidate');

let real: CfnValidateModule | undefined;
let shared: CfnValidateModule | undefined;
const engines = new Map<string, Engine>();

/**
 * Plain data (objects, arrays) made in a test file's realm, copied into this one: the module checks
 * that config and options are plain objects of its own realm (`Object.getPrototypeOf(v) ===
 * Object.prototype`). Its own class instances (TemplateContent, ...) and primitives pass unchanged.
 */
function toHostRealm(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === Array.prototype) return value;
  const foreignPlain = Array.isArray(value) || (proto !== null && proto.constructor?.name === 'Object');
  return foreignPlain ? structuredClone(value) : value;
}

/** The engine for `config`, built on first use in this worker. */
function sharedEngine(config: unknown): Engine {
  const key = JSON.stringify(config);
  let engine = engines.get(key);
  if (!engine) {
    engine = new real!.CompositeEngine(toHostRealm(config));
    engines.set(key, engine);
  }
  return engine;
}

/**
 * Same surface as the real CompositeEngine; every call goes to the shared engine. `free()` is a
 * no-op: other test files of the worker still use the engine, which goes away with the worker.
 */
class SharedCompositeEngine {
  constructor(config: unknown) {
    const engine = sharedEngine(config);
    return new Proxy(engine, {
      get(target, prop) {
        if (prop === 'free') return () => undefined;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function'
          ? (...args: unknown[]) =>
              (value as (...a: unknown[]) => unknown).apply(target, args.map(toHostRealm))
          : value;
      },
    }) as unknown as SharedCompositeEngine;
  }
}

/** The module as aws-cdk-lib sees it in a test file; loaded on first use in the worker. */
export function sharedCfnValidateModule(): CfnValidateModule {
  if (!shared) {
    // aws-cdk-lib's own copy (it may be nested under aws-cdk-lib/node_modules).
    const from = require.resolve('aws-cdk-lib/package.json');
    // A computed path (aws-cdk-lib's copy), loaded by this worker's own Node require on purpose.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    real = require(require.resolve('@aws/cloudformation-validate', { paths: [from] })) as CfnValidateModule;
    shared = {
      ...real,
      CompositeEngine: SharedCompositeEngine as unknown as CfnValidateModule['CompositeEngine'],
    };
  }
  return shared;
}
