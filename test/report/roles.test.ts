/**
 * The report's role table: which role of the role model exists as a user on each platform, read
 * from the artifacts (ACL templates, AWS::ElastiCache::User resources), and "no per-role users"
 * where a platform has none.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPatched } from '../k8s/patched-bitnami';
import { awsUsers, type CfnTemplate } from '../../lib/conformance/aws';
import { INVARIANTS } from '../../lib/conformance/invariants';
import { kubernetesSentinelUsers, kubernetesUsers } from '../../lib/conformance/kubernetes';
import { selfHostedSentinelUsers } from '../../lib/conformance/selfhosted';
import type { TargetId, TargetResult } from '../../lib/conformance/types';
import { synthKubernetes } from '../../lib/k8s/synth';
import { roleModel, usersByRole } from '../../lib/policy/roles';
import { parseAclUsers } from '../../lib/redisconf';
import { markdownReport } from '../../lib/report';
import { roleTable, SENTINEL_LOGIN_ROW } from '../../lib/report/model';
import { buildSelfHosted } from '../../lib/selfhosted/render';

// With the Bitnami flavor back (production examples run OpsTree only: no patched Bitnami image exists).
const d = loadPatched('examples/default.yaml');
const roles = roleModel(d.policy);
const cells = Object.fromEntries(
  INVARIANTS.map((i) => [i.id, { status: 'pass', detail: '' }]),
) as TargetResult['cells'];
const result = (target: TargetId, users?: TargetResult['users']): TargetResult => ({
  target,
  files: [],
  cells,
  ...(users ? { users } : {}),
});

/** An ElastiCache RBAC template as the AWS adapter writes it: one user per role plus `default` off. */
const rbacTemplate: CfnTemplate = {
  Resources: Object.fromEntries([
    ...(['app', 'metrics', 'admin'] as const).map((r) => [
      `User${r}`,
      {
        Type: 'AWS::ElastiCache::User',
        Properties: { UserName: roles[r].user, AccessString: `on ~* +@all` },
      },
    ]),
    [
      'Default',
      { Type: 'AWS::ElastiCache::User', Properties: { UserName: 'default', AccessString: 'off -@all' } },
    ],
  ]),
};

/** The deployment's OpsTree and Bitnami manifests as `npm run synth` writes them, by file name. */
function kubernetesYaml(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roles-report-'));
  try {
    synthKubernetes(d, dir);
    return Object.fromEntries(
      ['opstree.yaml', 'bitnami.yaml'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function table() {
  const yaml = kubernetesYaml();
  const k8s = (flavor: 'opstree' | 'bitnami') => kubernetesUsers(flavor, yaml);
  const acl = buildSelfHosted(d).files.find((f) => f.name === 'users.acl.template')!.content;
  return roleTable(d, [
    result('aws', awsUsers(rbacTemplate)),
    result('gcp'),
    result('azure-managed'),
    result('opstree', k8s('opstree')),
    result('bitnami', k8s('bitnami')),
    result('self-hosted', parseAclUsers(acl)),
  ]);
}

test('each platform column names the user serving each role, read from its artifact', () => {
  const t = table();
  expect(t.headers).toEqual([
    'role',
    'what it may do',
    'AWS',
    'GCP',
    'Azure Managed Redis',
    'OpsTree',
    'Bitnami',
    'self-hosted',
  ]);
  const row = (role: string) => t.rows.find((r) => r[0] === role)!.slice(2);
  expect(row('app')).toEqual([
    'app-app',
    'AUTH string or IAM: no per-role users',
    'access keys or Entra ID access policies: no Redis ACL users',
    'app-app',
    'app-app',
    'app-app',
  ]);
  // Kubernetes: the exporter and both jobs have their own users; the operators use `default`.
  expect(row('metrics').slice(3)).toEqual(['app-metrics', 'app-metrics', 'app-metrics']);
  expect(row('backup').slice(3)).toEqual(['app-backup', 'app-backup', '-']);
  expect(row('tlsReload').slice(3)).toEqual(['app-tls-reload', 'app-tls-reload', '-']);
  expect(row('replication').slice(3)).toEqual([
    'default (shared admin password)',
    'default (shared admin password)',
    'app-replication',
  ]);
  expect(row('admin')[0]).toBe('app-admin');
  expect(row('backup')[0]).toBe('-');
});

test('without ElastiCache users the AWS column says "single AUTH token"; the report carries the table', () => {
  const t = roleTable(d, [result('aws', awsUsers({ Resources: {} }))]);
  expect(t.rows.every((r) => r[2] === 'single AUTH token: no per-role users')).toBe(true);
  const md = markdownReport({ deployment: d, conformance: [result('opstree', undefined)], runs: [] }, []);
  expect(md).toContain('## Roles and users');
  expect(md).toMatch(/\| app \| application: keys app:\*;.*\| one shared password: no per-role users \|/);
});

test('a disabled user does not serve a role; `default` serves admin roles only when it has every command and key', () => {
  const users = parseAclUsers(
    [
      `user ${roles.app.user} off resetpass`,
      'user default on #x ~* &* +@all',
      `user ${roles.metrics.user} on #x -@all +info`,
    ].join('\n'),
  );
  const by = usersByRole(roles, users);
  expect(by.app).toBeUndefined();
  expect(by.metrics).toEqual({ user: roles.metrics.user, shared: false });
  expect(by.sentinel).toEqual({ user: 'default', shared: true });
  expect(usersByRole(roles, parseAclUsers('user default on #x ~app:* +@all'))).toEqual({});
});

test('the "app on Sentinel" row: the Sentinels\' own ACL user where declared, the shared admin password where not', () => {
  const yaml = kubernetesYaml();
  const self = Object.fromEntries(buildSelfHosted(d).files.map((f) => [f.name, f.content]));
  const withSentinel = (r: TargetResult, on: boolean): TargetResult => ({
    ...r,
    contract: { REDIS_SENTINEL_ENABLED: String(on) },
  });
  const bitnami = (sentinelUsers: TargetResult['sentinelUsers']) =>
    withSentinel({ ...result('bitnami', kubernetesUsers('bitnami', yaml)), sentinelUsers }, true);
  const rowOf = (results: TargetResult[]) =>
    roleTable(d, results)
      .rows.find((r) => r[0] === SENTINEL_LOGIN_ROW)
      ?.slice(2);

  expect(kubernetesSentinelUsers('opstree', yaml)).toBeUndefined();
  expect(
    rowOf([
      withSentinel(result('opstree', kubernetesUsers('opstree', yaml)), false),
      bitnami(kubernetesSentinelUsers('bitnami', yaml)),
      withSentinel({ ...result('self-hosted'), sentinelUsers: selfHostedSentinelUsers(self) }, true),
    ]),
  ).toEqual(['-', roles.app.user, roles.app.user]);
  // Bad fixture: the Bitnami artifact before the Sentinel ACL (no sentinel.acl.template) shows the admin password.
  const old = yaml['bitnami.yaml'].replace(/sentinel\.acl\.template/g, 'removed.template');
  expect(kubernetesSentinelUsers('bitnami', { 'bitnami.yaml': old })).toBeUndefined();
  expect(rowOf([bitnami(undefined)])).toEqual(['default (shared admin password)']);
  // A disabled app user on the Sentinels does not count either.
  expect(rowOf([bitnami(parseAclUsers(`user ${roles.app.user} off resetpass`))])).toEqual([
    'default (shared admin password)',
  ]);
  // No platform with Sentinels: no row.
  expect(rowOf([withSentinel(result('opstree'), false)])).toBeUndefined();
});
