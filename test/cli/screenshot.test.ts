import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/screenshot';
import { runCliInProcess } from '../support/run-cli';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

/** As `npm run screenshot -- <args>` started in `initCwd` (npm runs the script from the package root). */
function screenshotCli(args: string[], initCwd: string) {
  return spawnSync(tsx, [path.join(root, 'lib/cli/screenshot.ts'), ...args], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, INIT_CWD: initCwd },
  });
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshot-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a report path is read relative to the directory npm run was started in; a missing one is one line with the fix', () => {
  const r = screenshotCli(['app-cache/report.html'], dir);
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([
    `error: ${path.join(dir, 'app-cache', 'report.html')}: not an existing .html file; pass dist/<name>/report.html (npm run synth writes it) or no argument`,
  ]);
});

// In-process through runCli + the CLI's main (test/support/run-cli.ts); the test above runs the real
// tsx child that proves the entry point's wiring.
test('a file that is not .html is refused before chromium runs', async () => {
  fs.writeFileSync(path.join(dir, 'report.md'), '# report\n');
  const r = await runCliInProcess(main, ['report.md'], dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${path.join(dir, 'report.md')}: not an existing .html file`);
  expect(fs.existsSync(path.join(dir, 'report.png'))).toBe(false);
});
