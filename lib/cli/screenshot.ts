/** `npm run screenshot [-- dist/<id>/report.html ...]`: a PNG of each report next to it (default: every dist/<id>). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { screenshot } from '../report/screenshot';
import { runCli, UsageError, userPath } from './run';

/**
 * The CLI itself: what `npm run screenshot` runs with process.argv, exported so tests can run the same
 * code in-process (test/support/run-cli.ts) instead of paying a tsx child per case.
 */
export function main(args: string[]): void {
  const dist = path.join(__dirname, '..', '..', 'dist');
  const files = args.length
    ? args.map(userPath)
    : fs.existsSync(dist)
      ? fs
          .readdirSync(dist)
          .map((d) => path.join(dist, d, 'report.html'))
          .filter((f) => fs.existsSync(f))
      : [];
  if (files.length === 0) throw new Error('no report.html found: run npm run synth first');
  const bad = files.find((f) => !f.endsWith('.html') || !fs.existsSync(f));
  if (bad)
    throw new UsageError(
      `${bad}: not an existing .html file; pass dist/<name>/report.html (npm run synth writes it) or no argument`,
    );
  for (const f of files) {
    const png = f.replace(/\.html$/, '.png');
    screenshot(f, png);
    process.stdout.write(`${path.relative(process.cwd(), png)} (${fs.statSync(png).size} bytes)\n`);
  }
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
