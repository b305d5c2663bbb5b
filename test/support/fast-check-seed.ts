/**
 * fast-check's seed for this run: random by default, so every CI run tries new inputs; fixed with
 * FC_SEED=<seed> to replay a failure. A failing property prints `{ seed: <n>, path: ... }` in its
 * message; `FC_SEED=<n> npx jest <file>` then generates exactly the same inputs again (every property
 * of a test file uses the run's seed). Applied to every test file by ./fast-check-setup.ts.
 */

/** The seed from FC_SEED, or a random one. Throws on an FC_SEED that is not an integer. */
export function fastCheckSeed(env: NodeJS.ProcessEnv = process.env): { seed: number; fixed: boolean } {
  const raw = env.FC_SEED?.trim();
  if (!raw) return { seed: (Math.random() * 0x7fffffff) | 0, fixed: false };
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new Error(`FC_SEED: got "${raw}"; expected an integer, the seed a failing fast-check run printed`);
  return { seed: Number(raw), fixed: true };
}
