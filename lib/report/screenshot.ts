/**
 * Renders a report.html in headless Chromium (Debian's `chromium`) and saves a PNG, to prove the
 * page renders with no network. Flags follow what works on these machines: no sandbox as root, no
 * GPU, and no background networking (the machine has no network beyond the package registries).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

export function screenshot(htmlFile: string, pngFile: string, size = { width: 1280, height: 2400 }): void {
  const chromium = findChromium();
  if (!chromium) throw new Error('chromium not found: apt-get install -y chromium (or set CHROMIUM)');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  try {
    const r = spawnSync(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${size.width},${size.height}`,
        `--screenshot=${path.resolve(pngFile)}`,
        `file://${path.resolve(htmlFile)}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status !== 0 || !fs.existsSync(pngFile)) {
      throw new Error(
        `chromium failed (exit ${r.status}): ${(r.stderr || '').split('\n').filter(Boolean).slice(-1)[0] ?? ''}`,
      );
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
