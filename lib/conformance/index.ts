/** Reads every target's artifact under a spec's output folder and evaluates the invariants. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanDirectory, scanText, type SecretFinding } from '../checks/secret-scan';
import type { Deployment } from '../deployment';
import type { DeclaredUser } from '../policy/roles';
import { parseAclUsers } from '../redisconf';
import {
  awsContract,
  awsEvidence,
  awsServerlessEvidence,
  awsUsers,
  isServerlessTemplate,
  type CfnTemplate,
} from './aws';
import { cellsFor } from './invariants';
import {
  kubernetesContract,
  kubernetesEvidence,
  kubernetesSentinelUsers,
  kubernetesUsers,
} from './kubernetes';
import {
  azureManagedEvidence,
  azurePremiumEvidence,
  gcpEvidence,
  pulumiContract,
  type PreviewDocument,
} from './pulumi';
import {
  awsRetention,
  bitnamiRetention,
  opstreeRetention,
  pulumiRetention,
  selfHostedRetention,
} from './retention';
import { selfHostedContract, selfHostedEvidence, selfHostedSentinelUsers } from './selfhosted';
import {
  everyInvariant,
  fail,
  type Evidence,
  type TargetEvidence,
  type TargetId,
  type TargetResult,
} from './types';

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

function filesIn(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, fs.readFileSync(path.join(dir, e.name), 'utf8')]),
  );
}

/**
 * One target's cells. An artifact the reader cannot parse (truncated JSON, broken YAML) fails every
 * invariant with the file and the parser's message, instead of aborting the whole synth.
 */
function result(
  root: string,
  target: TargetId,
  files: string[],
  read: () => {
    evidence: TargetEvidence;
    contract?: Record<string, string>;
    notes?: string[];
    users?: DeclaredUser[];
    sentinelUsers?: DeclaredUser[];
    retention?: Evidence;
  },
  d: Deployment,
): TargetResult {
  let evidence: TargetEvidence;
  let retention: Evidence | undefined;
  let contract: Record<string, string> | undefined;
  let notes: string[] | undefined;
  let users: DeclaredUser[] | undefined;
  let sentinelUsers: DeclaredUser[] | undefined;
  try {
    ({ evidence, contract, notes, users, sentinelUsers, retention } = read());
  } catch (e) {
    const msg = String((e as Error)?.message ?? e).split('\n')[0];
    evidence = everyInvariant(fail(`cannot read ${files.join(', ')}: ${msg}`));
    retention = fail(`cannot read ${files.join(', ')}: ${msg}`);
  }
  return {
    target,
    files,
    cells: cellsFor(evidence, scanFiles(root, files), d.policy, retention),
    contract,
    ...(users?.length ? { users } : {}),
    ...(sentinelUsers?.length ? { sentinelUsers } : {}),
    ...(notes?.length ? { notes } : {}),
  };
}

/** Secret scan of the given files or folders (paths relative to root; findings keep them relative). */
function scanFiles(root: string, rels: string[]): SecretFinding[] {
  return rels.flatMap((rel) => {
    const full = path.join(root, rel);
    if (fs.statSync(full).isDirectory())
      return scanDirectory(full).map((f) => ({ ...f, file: path.join(rel, f.file) }));
    return scanText(fs.readFileSync(full, 'utf8'), rel);
  });
}

export function readConformance(root: string, d: Deployment): TargetResult[] {
  const out: TargetResult[] = [];
  const aws = path.join(root, 'aws');
  if (fs.existsSync(aws)) {
    for (const f of fs.readdirSync(aws).filter((n) => n.endsWith('.template.json'))) {
      // The template is read and parsed once; an unreadable one is reported by the reader below.
      let template: CfnTemplate | undefined;
      let readError: unknown;
      try {
        template = readJson<CfnTemplate>(path.join(aws, f));
      } catch (e) {
        readError = e;
      }
      // The column follows what the template holds (a serverless cache or not), not the spec.
      let serverless = false;
      try {
        serverless = template !== undefined && isServerlessTemplate(template);
      } catch {
        // a template of an unexpected shape: the replication-group reader reports it below
      }
      out.push(
        result(
          root,
          serverless ? 'aws-serverless' : 'aws',
          [`aws/${f}`],
          () => {
            if (template === undefined) throw readError;
            const t = template;
            return {
              evidence: serverless
                ? awsServerlessEvidence(t, d.policy)
                : awsEvidence(t, d.policy, { authMode: d.spec.targets.aws?.auth }),
              contract: awsContract(t),
              users: awsUsers(t),
              retention: awsRetention(t),
            };
          },
          d,
        ),
      );
    }
  }
  const readers = {
    gcp: gcpEvidence,
    'azure-premium': azurePremiumEvidence,
    'azure-managed': azureManagedEvidence,
  } as const;
  for (const [target, read] of Object.entries(readers) as Array<
    [keyof typeof readers, (typeof readers)[keyof typeof readers]]
  >) {
    const file = path.join(root, 'pulumi', `${target}.json`);
    if (!fs.existsSync(file)) continue;
    out.push(
      result(
        root,
        target,
        [`pulumi/${target}.json`],
        () => {
          const doc = readJson<PreviewDocument>(file);
          const notes = doc.outputs?.notes;
          return {
            evidence: read(doc, d.policy),
            contract: pulumiContract(doc),
            retention: pulumiRetention(doc),
            notes: Array.isArray(notes) ? notes.map(String) : undefined,
          };
        },
        d,
      ),
    );
  }
  const k8s = filesIn(path.join(root, 'k8s'));
  for (const flavor of ['opstree', 'bitnami'] as const) {
    if (!k8s[`${flavor}.yaml`]) continue;
    const names = [
      `k8s/${flavor}.yaml`,
      ...(flavor === 'bitnami' && k8s['values-redis.yaml'] ? ['k8s/values-redis.yaml'] : []),
    ];
    out.push(
      result(
        root,
        flavor,
        names,
        () => ({
          evidence: kubernetesEvidence(flavor, k8s, d.policy),
          contract: kubernetesContract(flavor, k8s),
          users: kubernetesUsers(flavor, k8s),
          sentinelUsers: kubernetesSentinelUsers(flavor, k8s),
          retention:
            flavor === 'opstree'
              ? opstreeRetention(k8s['opstree.yaml'])
              : bitnamiRetention(k8s['values-redis.yaml']),
        }),
        d,
      ),
    );
  }
  const self = filesIn(path.join(root, 'self-hosted'));
  if (Object.keys(self).length) {
    out.push(
      result(
        root,
        'self-hosted',
        ['self-hosted'],
        () => ({
          evidence: selfHostedEvidence(self, d.policy),
          contract: selfHostedContract(self),
          users: self['users.acl.template'] ? parseAclUsers(self['users.acl.template']) : undefined,
          sentinelUsers: selfHostedSentinelUsers(self),
          retention: selfHostedRetention(self),
        }),
        d,
      ),
    );
  }
  return out;
}
