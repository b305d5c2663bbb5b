import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { looksGenerated, scanDirectory, scanText } from '../../lib/checks/secret-scan';

// Planted values are built at run time so this file itself holds no secret-looking literal.
const token = ['Zq8', 'vL2m', 'Xw9', 'Pk4n', 'Rt7y', 'Bc3', 'Hs6j', 'Fd1g', 'Qa5'].join('');
const pemHeader = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');
// An AWS secret access key shape (40 base64 characters, '/' inside) and an Azure storage key (88, '/' and '+').
const awsSecret = ['wJalr', 'XUtnF', 'EMI/K7', 'MDENG/', 'bPxRfi', 'CYzq8v', 'L2mXw9'].join('');
const azureKey = [
  'Xb3k/Z9qLm',
  'N2pR5tV8wY',
  '1aC4dF7+gH',
  '0jK3lM6nP9',
  'qS2uUXb3k/',
  'Z9qLmN2pR5',
  'tV8wY1aC4d',
  'F7gH0jK3lM',
  '6nP9qA==',
].join('');
const jwt = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  'eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
].join('.');
const gcpApiKey = ['AIza', 'SyD-9tSrke72', 'PouQMnMX-a7e', 'ZSW0jkFMBWY'].join('');

describe('flags what it must', () => {
  test.each([
    ['generated token in JSON', `{"AuthToken": "${token}"}`, /generated token|password assignment/],
    ['private key', `${pemHeader}\nMIIEow...\n`, /private key/],
    ['requirepass with a literal', `requirepass ${token}`, /redis\.conf password/],
    ['masterauth with a short literal', 'masterauth hunter22', /redis\.conf password/],
    ['plaintext ACL password', 'user app on >s3cretpass ~app:* +@all', /ACL plaintext password/],
    ['YAML password', 'auth:\n  password: correct-horse-battery', /password assignment/],
    ['env file password', 'REDIS_PASSWORD=letmein-please', /env password/],
    [
      'Kubernetes Secret with data',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  password: abc\n',
      /Kubernetes Secret/,
    ],
    ['AWS access key', 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE', /AWS access key/],
    ['generated token after an env assignment', `SOME_SETTING=${token}`, /generated token/],
    ['base64 token with padding', `key ${token}Ab9==`, /generated token/],
    ['CloudFormation SecretString', '"SecretString": "plain-value-here"', /SecretString/],
    [
      'password in a redis:// URL (.env)',
      'REDIS_URL=rediss://default:hunter2hunter2@cache:6380/0',
      /password in URL/,
    ],
    ['password in a URL in JSON', '{"url": "redis://:correct-horse@10.0.0.5:6379"}', /password in URL/],
    ['password in a URL in HTML', '<td>https://admin:pa55word@example.com/x</td>', /password in URL/],
    ['AWS secret access key (JSON)', `{"SecretAccessKey": "${awsSecret}"}`, /AWS secret access key/],
    [
      'AWS secret access key (credentials file)',
      `aws_secret_access_key = ${awsSecret}`,
      /AWS secret access key/,
    ],
    [
      'Azure storage connection string',
      `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${azureKey};EndpointSuffix=core.windows.net`,
      /password assignment/,
    ],
    ['Azure Redis key in a preview', `"primaryKey": "${azureKey.slice(0, 43)}="`, /password assignment/],
    ['JWT-like token', `token: ${jwt}`, /generated token|JWT/],
    [
      'short JWT',
      `Authorization: Bearer ${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJhIn0', 'dBjftJeZ4CVPmB92K27uhbUJU1p1r'].join('.')}`,
      /JWT/,
    ],
    ['GCP API key', `"apiKey": "${gcpApiKey}"`, /generated token/],
  ])('%s', (_name, text, kind) => {
    const findings = scanText(text, 'fixture');
    expect(findings.map((f) => f.kind).join(',')).toMatch(kind);
    // The finding never repeats the secret.
    for (const f of findings) expect(f.excerpt.length).toBeLessThanOrEqual(7);
  });

  test('a planted token in a directory of clean files fails the scan', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'clean.yaml'),
        'kind: ConfigMap\ndata:\n  maxmemory-policy: allkeys-lru\n',
      );
      expect(scanDirectory(dir)).toEqual([]);
      fs.mkdirSync(path.join(dir, 'k8s'));
      fs.writeFileSync(
        path.join(dir, 'k8s', 'values.yaml'),
        `auth:\n  existingSecret: redis\n  note: ${token}\n`,
      );
      expect(scanDirectory(dir)).toEqual([
        expect.objectContaining({ file: 'k8s/values.yaml', line: 3, kind: 'generated token' }),
      ]);
      // Files the caller scanned already are left out; every other file is still scanned.
      fs.writeFileSync(path.join(dir, 'report.md'), `note: ${token}\n`);
      expect(scanDirectory(dir, (rel) => rel.startsWith(`k8s${path.sep}`))).toEqual([
        expect.objectContaining({ file: 'report.md', line: 1, kind: 'generated token' }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('does not flag references and placeholders', () => {
  test.each([
    [
      'Secrets Manager dynamic reference',
      '"AuthToken": "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x:SecretString:password::}}"',
    ],
    ['install-time placeholder', 'masterauth {{PASSWORD:replication}}'],
    ['hashed ACL password', `user app on #${'a'.repeat(64)} ~app:* +@all`],
    [
      'existingSecret reference',
      'auth:\n  existingSecret: acs-redis-auth\n  existingSecretPasswordKey: password',
    ],
    ['Kubernetes Secret reference', 'redisSecret:\n  name: redis-auth\n  key: password'],
    ['env var name', 'REDIS_PASSWORD_FROM=aws-secretsmanager:arn:aws:secretsmanager:us-east-1:1:secret:x'],
    ['CDK logical id', '"RedisSecurityGroupC1E9FD21": {'],
    [
      'Azure role definition path',
      '"/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"',
    ],
    ['hex digest', `"assetHash": "${'0123456789abcdef'.repeat(4)}"`],
    ['Pulumi redacted secret', '"authString": "[secret]"'],
    [
      'URL with a placeholder password',
      'rediss://:{{PASSWORD:app}}@cache:6380 and redis://:${REDIS_PASSWORD}@h:6379',
    ],
    ['URL with a user and no password', 'ssh://git@example.com/repo and https://example.com:8443/path'],
    ['contract host:port list', 'REDIS_CLUSTER_NODES=10.0.0.1:6379,10.0.0.2:6379'],
    // A spec named hotel-prod-v2 failed synth: name, '=', digit and case together looked random.
    ['env assignment of a name with a digit', 'REDIS_SENTINEL_SERVICE=hotel-prod-v2'],
    ['env assignments of names with digits', 'REDIS_CLUSTER_NODE_1=acs-redis-v2-0001-001.cache'],
  ])('%s', (_name, text) => {
    expect(scanText(text)).toEqual([]);
  });

  test('entropy check separates tokens from identifiers', () => {
    expect(looksGenerated(token)).toBe(true);
    expect(looksGenerated('DatabaseMemoryUsagePercentage2024')).toBe(false);
    expect(looksGenerated('short1A')).toBe(false);
  });
});
