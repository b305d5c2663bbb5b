import { SpecError } from '../lib/errors';

/** Runs fn and returns the SpecError it throws; fails the test if it throws nothing or something else. */
export function specError(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError');
}
