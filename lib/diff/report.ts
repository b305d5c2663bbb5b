/** The diff as a terminal table per platform and as diff.md. */
import { brief } from './compare';
import { CLASS_LABELS, type Change, type DiffResult, type PlatformDiff } from './types';
import { TARGET_LABELS } from '../conformance/types';

const label = (p: PlatformDiff) => TARGET_LABELS[p.platform];

function summary(p: PlatformDiff): string {
  if (p.presence === 'absent') return 'not targeted by either spec';
  if (p.presence === 'added') return 'new platform: everything is created';
  if (p.presence === 'removed') return 'platform removed from the spec: its cache would be deleted';
  if (p.overall === 'none') return 'no change';
  return CLASS_LABELS[p.overall];
}

/** The rows worth showing first: data resources and anything not in place. */
function sorted(changes: Change[]): Change[] {
  const weight = (c: Change) => (c.dataResource ? 0 : 2) + (c.class === 'in-place' ? 1 : 0);
  return [...changes].sort((a, b) => weight(a) - weight(b));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Terminal output: a summary line per platform, then its changes (at most `limit` rows each). */
export function renderTable(r: DiffResult, limit = 25): string {
  const out: string[] = [`diff ${r.name} (${r.profile}): ${r.from} -> ${r.to}`, ''];
  for (const p of r.platforms) {
    out.push(`${label(p)}: ${summary(p)}`);
    const rows = sorted(p.changes);
    if (!rows.length) {
      out.push('');
      continue;
    }
    const shown = rows.slice(0, limit);
    const w = [
      Math.min(48, Math.max(8, ...shown.map((c) => c.resource.length))),
      Math.min(40, Math.max(8, ...shown.map((c) => c.property.length))),
      Math.max(...shown.map((c) => c.class.length)),
    ];
    out.push(`  ${pad('resource', w[0])}  ${pad('property', w[1])}  ${pad('class', w[2])}  reason`);
    for (const c of shown) {
      out.push(
        `  ${pad(c.resource.slice(0, w[0]), w[0])}  ${pad(c.property.slice(0, w[1]), w[1])}  ${pad(c.class, w[2])}  ${c.reason} [${c.source.id}]`,
      );
      if (c.safePath && c.class !== 'in-place')
        out.push(`  ${' '.repeat(w[0] + w[1] + w[2] + 6)}safe path: ${c.safePath}`);
    }
    if (rows.length > shown.length) out.push(`  ... ${rows.length - shown.length} more in diff.md`);
    out.push('');
  }
  return out.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: DiffResult, approval?: string): string {
  const out: string[] = [
    `# diff: ${r.name} (${r.profile})`,
    '',
    `From \`${r.from}\` to \`${r.to}\`.`,
    '',
    'Classes: **in-place** (no interruption), **restart** (in place with a restart or failover), **replacement** (a new, empty cache: data lost unless restored), **refused** (the provider rejects the change).',
    '',
  ];
  if (approval) out.push(`Replacement/refusal approved with --allow-replacement: ${approval}`, '');
  out.push('| platform | result |', '| --- | --- |');
  for (const p of r.platforms) out.push(`| ${label(p)} | ${cell(summary(p))} |`);
  out.push('');
  for (const p of r.platforms) {
    if (!p.changes.length) continue;
    out.push(
      `## ${label(p)}: ${summary(p)}`,
      '',
      '| resource | property | from | to | class | reason | source | safe path |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const c of sorted(p.changes)) {
      const src = `[${c.source.title}](${c.source.url})${c.source.version ? `, ${c.source.version}` : ''}, ${c.source.retrieved}`;
      out.push(
        `| ${cell(c.resource)}${c.dataResource ? ' (data)' : ''} | ${cell(c.property)} | ${cell(brief(c.from))} | ${cell(brief(c.to))} | ${c.class} | ${cell(c.reason)} | ${cell(src)} | ${cell(c.safePath ?? '')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
