/** The checkers the AWS tests rely on must flag bad input. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCfnLint } from '../../lib/aws/cfn-lint';
import { looksGenerated, scanDirectory, scanText } from '../../lib/checks/secret-scan';
import { alarmDeliveryProblems, type CfnTemplate } from './template-checks';
import { CFN_LINT, testWith } from '../support/tools';

describe('secret scan', () => {
  test('flags a planted generated token, a literal AuthToken, a plaintext SecretString and a private key', () => {
    const planted = JSON.stringify({
      Resources: {
        Rg: { Properties: { AuthToken: 'q7Zr!x2Lm#9PvB4t&Kd8Hs-1Wn$Fy6Jc^Ue3Ga<Xo5' } },
        S: { Properties: { SecretString: 'hunter2' } },
      },
      Key: '-----BEGIN RSA PRIVATE KEY-----',
    });
    const whats = scanText(planted).map((f) => f.kind);
    expect(whats).toEqual(
      expect.arrayContaining([
        'generated token',
        'password assignment',
        'CloudFormation plaintext SecretString',
        'private key',
      ]),
    );
    // Excerpts never repeat the whole secret.
    for (const f of scanText(planted)) expect(f.excerpt.length).toBeLessThan(25);
  });

  test('passes dynamic references, hex hashes, ARNs and logical ids', () => {
    const clean = JSON.stringify({
      AuthToken:
        '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x:SecretString:password::}}',
      hash: 'a3f1c9e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8',
      id: 'RedisParametersFamilyredis734336AF6',
      arn: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    });
    expect(scanText(clean)).toEqual([]);
  });

  test('scans every file of a directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'ok.json'), '{}');
      fs.writeFileSync(path.join(dir, 'sub', 'bad.json'), '{"AuthToken": "plain-text-token"}');
      const findings = scanDirectory(dir);
      expect(findings).toHaveLength(1);
      expect(findings[0].file).toBe(path.join('sub', 'bad.json'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cfn-lint runner', () => {
  testWith(CFN_LINT)('reports an error on a broken template', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
    try {
      const file = path.join(dir, 'bad.template.json');
      fs.writeFileSync(
        file,
        JSON.stringify({
          Resources: {
            Rg: {
              Type: 'AWS::ElastiCache::ReplicationGroup',
              Properties: {
                ReplicationGroupDescription: 'x',
                TransitEncryptionMode: 'sometimes',
                NoSuchProperty: 1,
              },
            },
          },
        }),
      );
      const result = runCfnLint([file]);
      expect(result.available).toBe(true);
      const errors = result.findings.filter((f) => f.level === 'Error');
      expect(errors.length).toBeGreaterThanOrEqual(2);
      expect(errors.map((e) => e.message).join('\n')).toMatch(/NoSuchProperty/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing executable is reported as unavailable, not as a clean result', () => {
    expect(runCfnLint(['x.json'], '/nonexistent/cfn-lint')).toEqual({ available: false, findings: [] });
  });

  test('a shim that cannot find cfn-lint (exit 127, as pyenv prints) is unavailable, not a clean result', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-shim-'));
    try {
      const shim = path.join(dir, 'cfn-lint');
      fs.writeFileSync(shim, '#!/bin/sh\necho "pyenv: cfn-lint: command not found" >&2\nexit 127\n', {
        mode: 0o755,
      });
      expect(runCfnLint(['x.json'], shim)).toEqual({ available: false, findings: [] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('generated-looking strings: random tokens yes, CDK logical ids and rule names no', () => {
  expect(looksGenerated('q7Zr!x2Lm#9PvB4t&Kd8Hs-1Wn$Fy6Jc^Ue3Ga<Xo5')).toBe(true);
  expect(looksGenerated('k3JdP9xQm2LwR8vT5nZb7YhC4gF6sA1e')).toBe(true);
  expect(looksGenerated('RedisNotificationsTopicnocacsexamplecom100FF633')).toBe(false);
  expect(looksGenerated('R5-SecretsManagerRotationEnabled')).toBe(false);
  expect(looksGenerated('RedisParametersFamilyredis734336AF6')).toBe(false);
});

describe('alarm delivery check', () => {
  /** An alarm publishing to a KMS-encrypted topic; `topicPolicy` and `keyStatements` vary per case. */
  const fixture = (topicPolicy: object[] | undefined, keyStatements: object[]): CfnTemplate => ({
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: keyStatements } } },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      ...(topicPolicy
        ? {
            Policy: {
              Type: 'AWS::SNS::TopicPolicy',
              Properties: { Topics: [{ Ref: 'Topic' }], PolicyDocument: { Statement: topicPolicy } },
            },
          }
        : {}),
      Alarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: { AlarmActions: [{ Ref: 'Topic' }], OKActions: [{ Ref: 'Topic' }] },
      },
    },
  });
  const denyPlainHttp = {
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const cloudwatchPublish = {
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
  };
  const cloudwatchKey = {
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  };

  test('passes when the topic policy and the key policy both let CloudWatch in', () => {
    expect(alarmDeliveryProblems(fixture([denyPlainHttp, cloudwatchPublish], [cloudwatchKey]))).toEqual([]);
    // No topic policy at all: SNS's default policy lets the owner account's services publish.
    expect(alarmDeliveryProblems(fixture(undefined, [cloudwatchKey]))).toEqual([]);
  });

  test('flags a topic policy that only denies plain HTTP (bad fixture)', () => {
    expect(alarmDeliveryProblems(fixture([denyPlainHttp], [cloudwatchKey]))).toEqual([
      'Alarm: topic Topic has a topic policy that does not allow cloudwatch.amazonaws.com sns:Publish',
    ]);
  });

  test('flags a key policy without the CloudWatch grant (bad fixture)', () => {
    const rootOnly = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: 'kms:*',
    };
    expect(alarmDeliveryProblems(fixture([cloudwatchPublish], [rootOnly]))).toEqual([
      'Alarm: topic Topic is encrypted with Key, whose key policy does not allow cloudwatch.amazonaws.com kms:GenerateDataKey',
      'Alarm: topic Topic is encrypted with Key, whose key policy does not allow cloudwatch.amazonaws.com kms:Decrypt',
    ]);
  });
});
