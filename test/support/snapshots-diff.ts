/**
 * `npm run snapshots:diff [-- <ref>]`: which examples and targets changed in the example snapshot
 * files (test/synth/__snapshots__/examples, written by `npx jest test/synth/examples --ci=false -u`)
 * compared with git HEAD or `<ref>`, with a short summary per file: added/removed/changed, lines
 * +/-, and what changed — JSON leaf paths, Kubernetes objects (kind/name) and their fields, or
 * the directives/lines of config files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const SNAPSHOT_DIR = 'test/synth/__snapshots__/examples';
const MAX_ITEMS = 6;

export interface FileChange {
  example: string;
  target: string;
  /** Path inside the example's folder (as in dist/<name>/). */
  file: string;
  status: 'added' | 'removed' | 'changed';
  added: number;
  removed: number;
  /** Up to MAX_ITEMS short descriptions of what changed, plus "... N more". */
  details: string[];
}

/** aws/..., pulumi/..., k8s/..., self-hosted/..., report.md -> the target names of the snapshot tests. */
export function targetOf(file: string): string {
  const top = file.split('/')[0];
  return { k8s: 'kubernetes', 'report.md': 'report' }[top] ?? top;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Leaf paths that differ between two JSON-like values: `a.b[2].c: x -> y`, `+ a.d`, `- a.e`. */
export function jsonChanges(before: Json | undefined, after: Json | undefined, at = ''): string[] {
  const show = (v: Json | undefined) => {
    const s = JSON.stringify(v);
    return s === undefined ? 'undefined' : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null;
  if (before === undefined) return [`+ ${at || '(root)'}: ${show(after)}`];
  if (after === undefined) return [`- ${at || '(root)'}`];
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const sub = Array.isArray(before) ? `${at}[${k}]` : at ? `${at}.${k}` : k;
      return jsonChanges((before as Record<string, Json>)[k], (after as Record<string, Json>)[k], sub);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [`${at || '(root)'}: ${show(before)} -> ${show(after)}`];
}

/** Kubernetes YAML streams: objects keyed `Kind/name`, compared field by field. */
function yamlChanges(before: string, after: string): string[] {
  const objects = (text: string) => {
    const out = new Map<string, Json>();
    parseAllDocuments(text).forEach((d, i) => {
      const o = d.toJS() as Json;
      if (o === null || o === undefined) return;
      const rec = o as { kind?: string; metadata?: { name?: string } };
      out.set(rec.kind ? `${rec.kind}/${rec.metadata?.name ?? '?'}` : `document ${i + 1}`, o);
    });
    return out;
  };
  const a = objects(before);
  const b = objects(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.flatMap((k) => {
    if (!a.has(k)) return [`+ ${k}`];
    if (!b.has(k)) return [`- ${k}`];
    return jsonChanges(a.get(k)!, b.get(k)!).map((c) => `${k}: ${c}`);
  });
}

/** Line files (redis.conf, contract.env, scripts, units, markdown): directives by name, else lines. */
function lineChanges(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const gone = a.filter((l) => !b.includes(l) && l.trim());
  const came = b.filter((l) => !a.includes(l) && l.trim());
  // `key value` or `KEY=value` lines whose key is on both sides: one "key: old -> new" item.
  const keyOf = (l: string) => /^\s*([A-Za-z_][\w.-]*)(?:=|\s)/.exec(l)?.[1];
  const out: string[] = [];
  const used = new Set<string>();
  for (const l of gone) {
    const k = keyOf(l);
    const match = k ? came.find((c) => !used.has(c) && keyOf(c) === k) : undefined;
    if (match) {
      used.add(match);
      const value = (line: string) =>
        short(
          line
            .trim()
            .slice(k!.length)
            .replace(/^=|^\s+/, ''),
        );
      out.push(`${k}: ${value(l)} -> ${value(match)}`);
    } else out.push(`- ${short(l.trim())}`);
  }
  for (const c of came) if (!used.has(c)) out.push(`+ ${short(c.trim())}`);
  return out;
}

const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}...` : s);

/** What changed in one file, by its kind. */
export function describeChange(file: string, before: string, after: string): string[] {
  let items: string[];
  try {
    if (file.endsWith('.json')) items = jsonChanges(JSON.parse(before) as Json, JSON.parse(after) as Json);
    else if (/\.ya?ml$/.test(file)) items = yamlChanges(before, after);
    else items = lineChanges(before, after);
  } catch {
    items = lineChanges(before, after);
  }
  return items.length > MAX_ITEMS
    ? [...items.slice(0, MAX_ITEMS), `... ${items.length - MAX_ITEMS} more`]
    : items;
}

function lineCounts(before: string, after: string): { added: number; removed: number } {
  const count = (xs: string[]) =>
    xs.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const lines = (text: string) => (text ? text.replace(/\n$/, '').split('\n') : []);
  const a = count(lines(before));
  const b = count(lines(after));
  let added = 0;
  let removed = 0;
  for (const [l, n] of b) added += Math.max(0, n - (a.get(l) ?? 0));
  for (const [l, n] of a) removed += Math.max(0, n - (b.get(l) ?? 0));
  return { added, removed };
}

/** The snapshot files that differ between `ref` and the working tree of the repository at `root`. */
export function snapshotChanges(root: string, ref = 'HEAD'): FileChange[] {
  const git = (args: string[]) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const tracked = git(['diff', '--name-status', '--no-renames', ref, '--', SNAPSHOT_DIR])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string]);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--', SNAPSHOT_DIR])
    .split('\n')
    .filter(Boolean)
    .map((f) => ['A', f] as [string, string]);
  const changes: FileChange[] = [];
  for (const [code, full] of [...tracked, ...untracked]) {
    const rel = path.posix.relative(SNAPSHOT_DIR, full);
    const [example, ...rest] = rel.split('/');
    const file = rest.join('/');
    const before = code === 'A' ? '' : git(['show', `${ref}:${full}`]);
    const abs = path.join(root, full);
    const after = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
    if (before === after) continue;
    const status = code === 'A' ? 'added' : code === 'D' ? 'removed' : 'changed';
    changes.push({
      example,
      target: targetOf(file),
      file,
      status,
      ...lineCounts(before, after),
      details: status === 'changed' ? describeChange(file, before, after) : [],
    });
  }
  return changes.sort((x, y) =>
    `${x.example}/${x.target}/${x.file}`.localeCompare(`${y.example}/${y.target}/${y.file}`),
  );
}

/** The printed summary: per example, per target, one line per file and its details. */
export function formatChanges(changes: FileChange[], ref: string): string {
  if (changes.length === 0) return `no snapshot changes against ${ref}\n`;
  const examples = [...new Set(changes.map((c) => c.example))];
  const lines = [
    `${changes.length} snapshot file(s) changed in ${examples.length} example(s) against ${ref}` +
      ` (targets: ${[...new Set(changes.map((c) => c.target))].sort().join(', ')})`,
  ];
  for (const ex of examples) {
    lines.push('', `${ex}`);
    const mine = changes.filter((c) => c.example === ex);
    for (const target of [...new Set(mine.map((c) => c.target))]) {
      lines.push(`  ${target}`);
      for (const c of mine.filter((m) => m.target === target)) {
        lines.push(`    ${c.file}  ${c.status} (+${c.added} -${c.removed})`);
        for (const d of c.details) lines.push(`      ${d}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.length > 1 || args[0]?.startsWith('-')) {
    process.stderr.write('usage: npm run snapshots:diff [-- <git ref>]   (default HEAD)\n');
    process.exit(2);
  }
  const ref = args[0] ?? 'HEAD';
  const root = path.join(__dirname, '..', '..');
  const known = spawnSync('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (known.status !== 0) {
    process.stderr.write(
      `error: ${ref}: not a commit in this repository; pass a branch, tag or commit (default HEAD)\n`,
    );
    process.exit(2);
  }
  process.stdout.write(formatChanges(snapshotChanges(root, ref), ref));
}
