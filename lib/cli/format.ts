/** Plain-text table and number formatting for terminal output. */

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

export function bytes(n: number): string {
  const gb = n / 1e9;
  if (gb >= 1) return `${gb.toFixed(2)} GB`;
  const mb = n / 1e6;
  return `${mb.toFixed(1)} MB`;
}

export { int, usd } from '../numbers';
