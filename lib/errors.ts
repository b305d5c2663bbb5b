/**
 * An error in user input. The CLI prints `message` as one line and exits 2; no stack trace.
 * `field` is a dotted path into the spec (or the CLI flag), `value` what was given, `allowed` the fix.
 */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
    readonly source = 'spec',
  ) {
    super(`${source}: ${field}: got ${show(value)}; ${allowed}`);
    this.name = 'SpecError';
  }
}

/** Short, single-line rendering of a bad value (never multi-line, never huge). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  text = text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isSpecError(e: unknown): e is SpecError {
  return e instanceof SpecError;
}
