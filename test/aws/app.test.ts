/** The CDK app entry picks the deploy account: -c account, else the spec, else the caller's credentials. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib/core';
import { Template } from 'aws-cdk-lib/assertions';
import {
  appEnv,
  awsEnv,
  awsStackName,
  PLACEHOLDER_ACCOUNT,
  RedisElastiCacheStack,
} from '../../lib/aws/stack';
import { DEFAULT_SPEC_PATH, loadDeployment } from '../../lib/deployment';

const root = path.join(__dirname, '..', '..');

/**
 * The real CDK CLI (`cdk synth`, which runs cdk.json's app: `tsx stacks/aws.ts`) in a child process,
 * started with node rather than through npx (npx alone costs ~0.4 s CPU). The CLI hands the app the
 * caller's account as CDK_DEFAULT_ACCOUNT; set here as it would be from credentials.
 */
test('`cdk synth` with no -c spec synthesizes the default spec for the credentials account (CDK_DEFAULT_ACCOUNT)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-app-'));
  try {
    const r = spawnSync(process.execPath, [require.resolve('aws-cdk/bin/cdk'), 'synth', '-q', '-o', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CDK_DEFAULT_ACCOUNT: '999988887777' },
    });
    expect(r.stderr).not.toMatch(/WARNING|ERROR/);
    expect(r.status).toBe(0);
    const t = fs.readFileSync(path.join(out, 'app-cache-elasticache.template.json'), 'utf8');
    expect(t).toContain(':iam::999988887777:root');
    expect(t).not.toContain('123456789012');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

// The account choice of stacks/aws.ts is appEnv: checked in-process (the real entry runs above).
describe('appEnv', () => {
  const d = loadDeployment(DEFAULT_SPEC_PATH);

  test('offline synth without credentials keeps the placeholder account', () => {
    expect(appEnv(d, undefined, '')).toBeUndefined();
    expect(appEnv(d, undefined, undefined)).toBeUndefined();
    const stack = new RedisElastiCacheStack(new App(), awsStackName(d), {
      deployment: d,
      env: appEnv(d, undefined, ''),
    });
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).toContain(`:iam::${PLACEHOLDER_ACCOUNT}:root`);
  });

  test('-c account wins; the caller account counts only when 12 digits and the spec names none', () => {
    expect(appEnv(d, '111122223333', '999988887777')).toEqual({ ...awsEnv(d), account: '111122223333' });
    expect(appEnv(d, undefined, '999988887777')).toEqual({ ...awsEnv(d), account: '999988887777' });
    expect(appEnv(d, undefined, 'not-an-account')).toBeUndefined();
    const aws = { ...d.spec.targets.aws!, account: '444455556666' };
    const named = { ...d, spec: { ...d.spec, targets: { ...d.spec.targets, aws } } };
    expect(appEnv(named, undefined, '999988887777')).toBeUndefined();
  });
});
