/**
 * report.md (terminal / pull request) and report.html (self-contained: inline CSS and SVG, no
 * network) with the same content: sizing derivation, choices and costs, cost chart, conformance
 * matrix, connection contracts and waivers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TargetResult } from '../conformance/types';
import type { Deployment } from '../deployment';
import type { GuideResult } from '../guides/types';
import { costChartSvg } from './chart';
import {
  choiceTable,
  conformanceTable,
  contractTable,
  frontierTable,
  guidesTable,
  notesTable,
  referenceLine,
  roleTable,
  sizingTables,
  waiverTable,
  type Table,
} from './model';
import { costSeries, seriesIntro, sizeText, type CostSeries } from './series';

export interface ReportInput {
  deployment: Deployment;
  conformance: TargetResult[];
  /** Every guide recommendation classified for this spec (lib/guides). */
  guides?: GuideResult[];
  runs: Array<{ target: string; status: string; note?: string; files: string[] }>;
}

function header(d: Deployment): string {
  const p = d.policy;
  return `${p.name}: ${p.profile}, ${p.engine} ${p.engineVersion} (spec ${d.source})`;
}

// ---------------------------------------------------------------- Markdown

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdTable(t: Table): string {
  if (t.rows.length === 0) return `### ${t.title}\n\nNone.\n`;
  return [
    `### ${t.title}`,
    '',
    `| ${t.headers.map(mdCell).join(' | ')} |`,
    `| ${t.headers.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
    '',
  ].join('\n');
}

/** report.md; `series` is the cost chart's series of this spec (costSeries), shared with the HTML report. */
export function markdownReport(input: ReportInput, series: CostSeries[]): string {
  const d = input.deployment;
  return [
    `# Redis deployment report: ${header(d)}`,
    '',
    '## Sizing',
    '',
    ...sizingTables(d).map(mdTable),
    referenceLine(d),
    '',
    ...d.plan.notes.map((n) => `> ${n}\n`),
    mdTable(choiceTable(d)),
    mdTable(frontierTable(d)),
    mdTable(notesTable(input.conformance)),
    '## Cost by workload size',
    '',
    seriesIntro(d),
    '',
    ...series.map((s) =>
      mdTable({
        title: `Monthly cost by ${s.label}`,
        headers: [s.label, ...Object.keys(s.points[0].costs)],
        rows: s.points.map((p) => [
          sizeText(s, p.size),
          ...Object.values(p.costs).map((c) => (c === null ? 'n/a' : `$${c.toFixed(2)}`)),
        ]),
      }),
    ),
    '## Conformance',
    '',
    mdTable(conformanceTable(input.conformance)),
    '## Connection contract',
    '',
    mdTable(contractTable(input.conformance)),
    '## Roles and users',
    '',
    mdTable(roleTable(d, input.conformance)),
    '## Waivers',
    '',
    mdTable(waiverTable(d)),
    ...(input.guides ? ['## Guides', '', mdTable(guidesTable(input.guides))] : []),
    '## Artifacts',
    '',
    ...input.runs.map(
      (r) =>
        `- ${r.target}: ${r.status}${r.note ? ` (${r.note})` : ''}${r.files.length ? `, ${r.files.length} file(s)` : ''}`,
    ),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- HTML

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Only a cell holding a long unbroken token (an ARN, a host list) may wrap inside a word: breaking
 * anywhere in every cell let the table squeeze short columns until "$1,213.26" and "platform" split
 * over three lines.
 */
const LONG_TOKEN = /\S{20,}/;

function htmlTable(t: Table): string {
  if (t.rows.length === 0) return `<h3>${esc(t.title)}</h3><p>None.</p>`;
  const rows = t.rows
    .map((r, i) => {
      const cells = r.map((c, j) => {
        const classes = [t.status?.[i]?.[j], LONG_TOKEN.test(c) ? 'long' : ''].filter(Boolean);
        return `<td${classes.length ? ` class="${classes.join(' ')}"` : ''}>${esc(c)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<h3>${esc(t.title)}</h3>\n<table><thead><tr>${t.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>\n<tbody>${rows}</tbody></table>`;
}

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1200px; color: #111827; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; } h3 { font-size: 15px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 12.5px; }
th, td { border: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.long { overflow-wrap: anywhere; }
th { background: #f9fafb; }
td.pass { background: #ecfdf5; } td.fail { background: #fef2f2; font-weight: 600; } td.na { background: #f9fafb; color: #6b7280; } td.waived { background: #fffbeb; }
.note { background: #eff6ff; border-left: 3px solid #2563eb; padding: 6px 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
`;

/** report.html; `series` is the cost chart's series of this spec (costSeries), shared with report.md. */
export function htmlReport(input: ReportInput, series: CostSeries[]): string {
  const d = input.deployment;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(header(d))}</title><style>${CSS}</style></head>
<body>
<h1>Redis deployment report: ${esc(header(d))}</h1>
<h2>Sizing</h2>
${sizingTables(d).map(htmlTable).join('\n')}
<p>${esc(referenceLine(d))}</p>
${d.plan.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${htmlTable(choiceTable(d))}
${htmlTable(frontierTable(d))}
${htmlTable(notesTable(input.conformance))}
<h2>Cost by workload size</h2>
<p>${esc(seriesIntro(d))}</p>
<div class="charts">${series.map((s) => `<figure>${costChartSvg(s)}<figcaption>Monthly cost by ${esc(s.label)}</figcaption></figure>`).join('\n')}</div>
<h2>Conformance</h2>
${htmlTable(conformanceTable(input.conformance))}
<h2>Connection contract</h2>
${htmlTable(contractTable(input.conformance))}
<h2>Roles and users</h2>
${htmlTable(roleTable(d, input.conformance))}
<h2>Waivers</h2>
${htmlTable(waiverTable(d))}
${input.guides ? `<h2>Guides</h2>\n${htmlTable(guidesTable(input.guides))}` : ''}
<h2>Artifacts</h2>
<ul>${input.runs.map((r) => `<li>${esc(r.target)}: ${esc(r.status)}${r.note ? ` (${esc(r.note)})` : ''}</li>`).join('')}</ul>
</body></html>
`;
}

/**
 * Writes report.md and report.html of one spec. The cost chart's series is the reports' one costly
 * part (a plan per point): it is worked out here, once, and both reports render that same value.
 */
export function writeReports(dir: string, input: ReportInput): string[] {
  const md = path.join(dir, 'report.md');
  const html = path.join(dir, 'report.html');
  const series = costSeries(input.deployment);
  fs.writeFileSync(md, markdownReport(input, series));
  fs.writeFileSync(html, htmlReport(input, series));
  return [md, html];
}
