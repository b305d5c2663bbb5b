import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from '../zod';
import { SpecError } from '../errors';
import { specSchema, type Spec } from './schema';

/** The spec used when none is given. */
export const DEFAULT_SPEC_PATH = path.join(__dirname, '..', '..', 'examples', 'default.yaml');

/**
 * Read and validate a spec file. Throws SpecError naming the field, the value and what is allowed.
 * @param option how the user named the file, for the error (`--spec`, `-c spec`)
 */
export function loadSpecFile(file: string, option = '--spec'): Spec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new SpecError(option, file, 'expected a readable YAML file', 'spec');
  }
  return parseSpec(text, path.basename(file));
}

/** Parse YAML text and validate it against the spec schema. */
export function parseSpec(text: string, source = 'spec'): Spec {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const where = err.linePos ? `line ${err.linePos[0].line}` : 'document';
    throw new SpecError(where, 'invalid YAML', `fix the YAML syntax (${firstLine(err.message)})`, source);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // Aliases without anchors, alias bombs: the YAML parses but cannot become data.
    throw new SpecError(
      'document',
      'invalid YAML',
      `fix the YAML (${firstLine((e as Error).message)})`,
      source,
    );
  }
  return validateSpec(value, source);
}

/** Validate an already-parsed object against the spec schema. */
export function validateSpec(input: unknown, source = 'spec'): Spec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SpecError('(root)', input, 'expected a YAML mapping with at least name and profile', source);
  }
  const result = specSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more issue(s))` : '';
  if (issue.code === 'unrecognized_keys') {
    // Name the unknown key itself (not its parent with the whole mapping as the value) and the keys
    // that are allowed there, so a misspelling is visible at a glance.
    const p = [...issue.path, issue.keys[0]];
    const known = keysAt(specSchema, issue.path);
    const others = issue.keys.length > 1 ? ` (also unknown: ${issue.keys.slice(1).join(', ')})` : '';
    throw new SpecError(
      p.map(String).join('.'),
      valueAt(input, p),
      `unknown key${others}: remove it or fix the spelling${known.length ? ` (allowed here: ${known.join(', ')})` : ''}${more}`,
      source,
    );
  }
  const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  throw new SpecError(field, valueAt(input, issue.path), describeIssue(issue) + more, source);
}

/** The keys an object schema allows at `p` (through defaults, optionals, arrays and records). */
function keysAt(schema: z.ZodType, p: PropertyKey[]): string[] {
  let cur: z.core.$ZodType | undefined = schema;
  const unwrap = (t: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let x = t;
    for (let i = 0; x && i < 10; i++) {
      const def = x._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
      if (def.innerType) x = def.innerType;
      else if (def.type === 'pipe' && def.in) x = def.in;
      else break;
    }
    return x;
  };
  for (const key of p) {
    cur = unwrap(cur);
    if (!cur) return [];
    const def = cur._zod.def as {
      type: string;
      shape?: Record<string, z.core.$ZodType>;
      element?: z.core.$ZodType;
      valueType?: z.core.$ZodType;
    };
    if (def.type === 'object' && def.shape) cur = def.shape[String(key)];
    else if (def.type === 'array') cur = def.element;
    else if (def.type === 'record') cur = def.valueType;
    else return [];
  }
  cur = unwrap(cur);
  const def = cur?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function valueAt(input: unknown, p: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}: remove or fix the spelling`;
    case 'invalid_type':
      return `expected ${issue.expected === 'int' ? 'a whole number' : issue.expected}`;
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least ' + issue.minimum + ' item(s)' : '>= ' + issue.minimum}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most ' + issue.maximum + ' item(s)' : '<= ' + issue.maximum}`;
    case 'invalid_format':
      return `expected ${issue.message && !issue.message.startsWith('Invalid') ? issue.message : issue.format}`;
    default:
      return `expected ${firstLine(issue.message)}`;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
