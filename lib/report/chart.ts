/** Inline SVG line chart: monthly cost (y) against workload size (x, log scale) per platform. */
import { PLATFORM_IDS, type PlatformId } from '../planner/types';
import type { CostSeries } from './series';
import { int } from '../numbers';

const COLORS: Record<PlatformId, string> = {
  aws: '#d97706',
  gcp: '#2563eb',
  'azure-premium': '#7c3aed',
  'azure-managed': '#db2777',
  kubernetes: '#059669',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((m) => m >= v)!;
}

/** An x-axis tick: 100k, 1.5M, 16 GB. */
function tick(series: CostSeries, s: number): string {
  if (series.kind === 'datasetGb') return `${s} GB`;
  return s >= 1e6 ? `${s / 1e6}M` : s >= 1e3 ? `${s / 1e3}k` : String(s);
}

export function costChartSvg(series: CostSeries, width = 640, height = 320): string {
  const pad = { left: 70, right: 150, top: 24, bottom: 44 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const sizes = series.points.map((p) => p.size);
  const [minX, maxX] = [Math.log10(Math.min(...sizes)), Math.log10(Math.max(...sizes))];
  const values = series.points.flatMap((p) => Object.values(p.costs).filter((v): v is number => v !== null));
  const maxY = niceMax(Math.max(0, ...values));
  const x = (size: number) =>
    pad.left + (maxX === minX ? w / 2 : ((Math.log10(size) - minX) / (maxX - minX)) * w);
  const y = (cost: number) => pad.top + h - (cost / maxY) * h;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Monthly cost by ${esc(series.label)}">`,
  );
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY * i) / 4;
    parts.push(`<line x1="${pad.left}" x2="${pad.left + w}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${pad.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#374151">$${int(Math.round(v))}</text>`,
    );
  }
  for (const s of sizes) {
    parts.push(`<line x1="${x(s)}" x2="${x(s)}" y1="${pad.top}" y2="${pad.top + h}" stroke="#f3f4f6"/>`);
    parts.push(
      `<text x="${x(s)}" y="${pad.top + h + 16}" font-size="11" text-anchor="middle" fill="#374151">${tick(series, s)}</text>`,
    );
  }
  parts.push(
    `<text x="${pad.left + w / 2}" y="${height - 6}" font-size="12" text-anchor="middle" fill="#111827">${esc(series.label)} (log scale)</text>`,
  );
  parts.push(
    `<text x="14" y="${pad.top + h / 2}" font-size="12" text-anchor="middle" fill="#111827" transform="rotate(-90 14 ${pad.top + h / 2})">USD / month</text>`,
  );
  PLATFORM_IDS.forEach((p, i) => {
    const pts = series.points
      .filter((pt) => pt.costs[p] !== null)
      .map((pt) => `${x(pt.size).toFixed(1)},${y(pt.costs[p]!).toFixed(1)}`);
    if (pts.length) {
      parts.push(`<polyline fill="none" stroke="${COLORS[p]}" stroke-width="2" points="${pts.join(' ')}"/>`);
      for (const pt of pts) {
        const [cx, cy] = pt.split(',');
        parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${COLORS[p]}"/>`);
      }
    }
    const ly = pad.top + 10 + i * 18;
    parts.push(`<rect x="${pad.left + w + 14}" y="${ly - 8}" width="12" height="3" fill="${COLORS[p]}"/>`);
    parts.push(`<text x="${pad.left + w + 32}" y="${ly - 3}" font-size="11" fill="#111827">${p}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
