/**
 * Looks for secret values in synthesized files. Nothing in this adapter ever holds a token (Secrets
 * Manager generates it at deploy time), so the scan guards against regressions such as a literal
 * AuthToken or a secret created from a plaintext value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUTH_TOKEN_MIN_LENGTH } from './auth-token';

export interface SecretFinding {
  file: string;
  what: string;
  /** The first characters only, so a report never repeats a whole secret. */
  excerpt: string;
}

/** Runs of characters an AUTH token may contain, at least as long as the shortest token we generate. */
const TOKEN_LIKE = new RegExp(`[A-Za-z0-9!&#$^<>-]{${AUTH_TOKEN_MIN_LENGTH},}`, 'g');

/** Words of an identifier: "RedisTopic100FF633" -> Redis, Topic, 100, FF, 633. */
const SEGMENT = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^A-Za-z\d]+/g;

/**
 * True for strings that look generated: upper case, lower case and digits mixed, high entropy, and
 * short "words" (a random token switches character class every one or two characters, while CDK
 * logical ids and rule names are CamelCase words of four or more letters).
 */
export function looksGenerated(s: string): boolean {
  if (!/[A-Z]/.test(s) || !/[a-z]/.test(s) || !/\d/.test(s)) return false;
  const segments = s.match(SEGMENT) ?? [];
  if (segments.length === 0 || s.length / segments.length >= 3) return false;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) entropy -= (n / s.length) * Math.log2(n / s.length);
  return entropy >= 4;
}

/** Scans one text (e.g. a template) and reports where a secret value might be. */
export function scanText(text: string, file = '(text)'): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const m of text.match(TOKEN_LIKE) ?? []) {
    if (looksGenerated(m)) findings.push({ file, what: 'token-like string', excerpt: `${m.slice(0, 4)}...` });
  }
  // A replication group AuthToken must be a dynamic reference, never a literal.
  for (const m of text.matchAll(/"AuthToken"\s*:\s*"([^"]*)"/g)) {
    if (!m[1].startsWith('{{resolve:secretsmanager:')) {
      findings.push({ file, what: 'literal AuthToken', excerpt: `${m[1].slice(0, 4)}...` });
    }
  }
  for (const m of text.matchAll(/"SecretString"\s*:\s*"([^"]*)"/g)) {
    findings.push({
      file,
      what: 'secret created from a plaintext SecretString',
      excerpt: `${m[1].slice(0, 4)}...`,
    });
  }
  for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----/g)) {
    findings.push({ file, what: 'private key', excerpt: m[0].slice(0, 20) });
  }
  return findings;
}

/** Scans every file under `dir` (a cloud assembly or an output folder). */
export function scanDirectory(dir: string): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push(...scanText(fs.readFileSync(file, 'utf8'), file));
  }
  return out;
}
