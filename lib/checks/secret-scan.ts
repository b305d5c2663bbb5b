/**
 * Secret scan over synthesized artifacts. Nothing we write should ever hold a secret value: tokens
 * are generated at deploy time (Secrets Manager, Pulumi secrets, Kubernetes Secrets created outside
 * the YAML, install-time files for self-hosted). The scan is the regression guard for that promise.
 *
 * It reports where, what kind, and a 4-character excerpt only, so the report never repeats a secret.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SecretFinding {
  file: string;
  line: number;
  kind: string;
  excerpt: string;
}

/** Values that stand for a secret without being one. */
const PLACEHOLDER =
  /^(\{\{\}\}|\$\{\}|\$\{[^}]+\}|\$[A-Z_][A-Z0-9_]*|\{\{resolve:(secretsmanager|ssm-secure):[^}]+\}\}|\[secret\]|<[^>]+>|%[A-Z_]+%|@@[A-Z_]+@@|__[A-Z_]+__|null|none|""|''|)$/i;

const MIN_TOKEN = 24;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** A generated token: long, mixes upper case, lower case and digits, and is close to random. */
export function looksGenerated(s: string): boolean {
  if (s.length < MIN_TOKEN) return false;
  if (!/[A-Z]/.test(s) || !/[a-z]/.test(s) || !/\d/.test(s)) return false;
  if (/^[a-z]+([A-Z][a-z0-9]+)+$/.test(s)) return false; // camelCase identifiers
  // Identifiers made of words (CDK logical ids, rule names): random tokens rarely hold two 5-letter lower-case runs.
  if ((s.match(/[a-z]{5,}/g) ?? []).length >= 2) return false;
  if (/^([A-Z][a-z]{2,})+[0-9A-F]{8}$/.test(s)) return false; // CDK logical id: PascalCase words + 8-hex hash
  return entropy(s) >= 4.2;
}

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Index of the capture group holding the value; a placeholder value is not a finding. */
  group?: number;
}

const RULES: Rule[] = [
  { kind: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { kind: 'AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  {
    kind: 'redis.conf password',
    pattern:
      /^\s*(?:requirepass|masterauth|sentinel\s+auth-pass\s+\S+|tls-key-file-pass)\s+("?)([^\s"]+)\1\s*$/,
    group: 2,
  },
  { kind: 'ACL plaintext password', pattern: /^\s*user\s+\S+.*\s>(\S+)/, group: 1 },
  {
    kind: 'password assignment',
    pattern:
      /\b(?:password|passwd|auth[_-]?token|authString|primaryKey|secondaryKey|access[_-]?key|AccountKey|SharedAccessKey|client[_-]?secret)["']?\s*[:=]\s*["']?([^"'\s,}:][^"'\s,}]{3,})/i,
    group: 1,
  },
  {
    kind: 'env password',
    pattern: /\bREDIS_(?:PASSWORD|AUTH|CLUSTER_PASSWORD)\s*[=:]\s*["']?([^"'\s]+)/,
    group: 1,
  },
  {
    // redis://user:pass@host, rediss://:pass@host, https://user:pass@host (any scheme).
    kind: 'password in URL',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*:([^\s@/"'<>]+)@[^\s"'<>]/i,
    group: 1,
  },
  {
    // The 40-character secret half of an AWS key pair: '/' splits it before the token check sees it.
    kind: 'AWS secret access key',
    pattern: /\b(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i,
    group: 1,
  },
  // A JWT (header.payload.signature, base64url JSON): short ones slip under the generated-token length.
  { kind: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'Kubernetes Secret with data', pattern: /^kind:\s*Secret\s*$/ },
  { kind: 'CloudFormation plaintext SecretString', pattern: /"SecretString"\s*:\s*"([^"]+)"/, group: 1 },
];

/** Scan one text; `file` is only used in the findings. */
export function scanText(text: string, file = '(text)'): SecretFinding[] {
  return scanLines(text).map((f) => ({ file, ...f }));
}

function scanLines(text: string): Array<Omit<SecretFinding, 'file'>> {
  const findings: Array<Omit<SecretFinding, 'file'>> = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    // Template placeholders ({{PASSWORD:app}}, ${VAR}) stand for install-time values: blank them first.
    const line = raw.replace(/\{\{[A-Za-z_][^}]*\}\}/g, '{{}}').replace(/\$\{[^}]+\}/g, '${}');
    for (const rule of RULES) {
      const m = line.match(rule.pattern);
      if (!m) continue;
      const value = rule.group !== undefined ? m[rule.group] : m[0];
      if (rule.group !== undefined && isPlaceholderOrReference(value)) continue;
      if (rule.kind === 'Kubernetes Secret with data' && !secretHasData(lines, i)) continue;
      findings.push({ line: i + 1, kind: rule.kind, excerpt: excerpt(value) });
    }
    // Path separators and dots split tokens: ids like /subscriptions/... or host names are not secrets.
    for (const token of tokensOf(line)) {
      if (looksGenerated(token) && !isKnownSafe(token)) {
        findings.push({ line: i + 1, kind: 'generated token', excerpt: excerpt(token) });
      }
    }
  });
  return findings;
}

/**
 * Candidate tokens of one line. `=` is a token character because base64 ends in `=` padding, but
 * inside a token it is an assignment: `REDIS_SENTINEL_SERVICE=hotel-prod-v2` is a name and a value
 * (an upper-case name, a digit and lower case together looked like one random token).
 */
function tokensOf(line: string): string[] {
  return (line.match(/[A-Za-z0-9+=_!&#$^<>-]{24,}/g) ?? [])
    .flatMap((t) => t.split(/=(?!=*$)/))
    .filter((t) => t.length >= MIN_TOKEN);
}

function isPlaceholderOrReference(v: string): boolean {
  const value = v.replace(/[,;]+$/, '');
  if (PLACEHOLDER.test(value)) return true;
  // References to where a secret lives, not the secret: file paths, env var names, Secret names, ARNs, refs.
  if (
    /^(\/|\.\/|file:|env:|secret:|k8s-secret:|aws-secretsmanager:|pulumi-secret|arn:|\{"?(Ref|Fn::)|gcp-|azure-)/i.test(
      value,
    )
  )
    return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(value)) return true; // an env var name
  if (/^[{[]/.test(value)) return true; // a structure (e.g. a CloudFormation intrinsic) follows
  if (/^(true|false|enabled|disabled|required|optional|\d+)$/i.test(value)) return true;
  return false;
}

/** Safe long strings: hex digests, base64 of well-known schema blobs are not expected; keep it narrow. */
function isKnownSafe(token: string): boolean {
  if (/^[0-9a-f]+$/i.test(token)) return true; // hex digests (asset hashes, sha256 placeholders)
  if (/^(sha256|sha512)[:-]/.test(token)) return true;
  return false;
}

/** A `kind: Secret` document that carries data/stringData (as opposed to a reference to one). */
function secretHasData(lines: string[], kindLine: number): boolean {
  let start = kindLine;
  while (start > 0 && lines[start - 1] !== '---') start--;
  let end = kindLine;
  while (end < lines.length - 1 && lines[end + 1] !== '---') end++;
  return lines
    .slice(start, end + 1)
    .some((l) => /^(data|stringData):\s*$/.test(l) || /^(data|stringData):\s*\{.+\}/.test(l));
}

function excerpt(value: string): string {
  return `${value.slice(0, 4)}...`;
}

/**
 * Scan every file below `dir`, except those `skip` names (paths relative to `dir`), e.g. files a
 * caller has scanned already.
 */
export function scanDirectory(dir: string, skip: (rel: string) => boolean = () => false): SecretFinding[] {
  const out: SecretFinding[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (skip(path.relative(dir, file))) continue;
    const buf = fs.readFileSync(file);
    if (buf.includes(0)) continue; // binary
    out.push(...scanText(buf.toString('utf8'), path.relative(dir, file)));
  }
  return out;
}
