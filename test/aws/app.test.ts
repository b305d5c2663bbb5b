/** The CDK app entry picks the deploy account: -c account, else the spec, else the caller's credentials. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');

function synth(env: Record<string, string>): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-app-'));
  try {
    const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'stacks/aws.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: '', ...env, CDK_OUTDIR: out },
    });
    expect(r.status).toBe(0);
    return fs.readFileSync(path.join(out, 'app-cache-elasticache.template.json'), 'utf8');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

test('cdk deploy without an account in the spec uses the credentials account (CDK_DEFAULT_ACCOUNT)', () => {
  const t = synth({ CDK_DEFAULT_ACCOUNT: '999988887777' });
  expect(t).toContain(':iam::999988887777:root');
  expect(t).not.toContain('123456789012');
});

test('offline synth without credentials keeps the placeholder account', () => {
  expect(synth({})).toContain('123456789012');
});
