/**
 * The invariants and how a reader's evidence becomes a matrix cell under the policy:
 * - required by the policy and the artifact shows it: pass;
 * - required and the artifact does not show it: fail (the synth fails);
 * - the policy weakened it (a production waiver, or a non-production profile that does not ask
 *   for it): waived with the waiver's reason, or not applicable with the profile as the reason;
 * - the platform has no such setting: not applicable with the reader's reason.
 */
import type { ResolvedPolicy } from '../policy/types';
import type { SecretFinding } from '../checks/secret-scan';
import type { Cell, Evidence, Invariant, InvariantId, TargetEvidence } from './types';

export const INVARIANTS: Invariant[] = [
  { id: 'tls', title: 'TLS only, TLS >= 1.2', rules: ['tls'] },
  { id: 'auth', title: 'Auth required', rules: ['auth'] },
  { id: 'no-plaintext-secret', title: 'No secret in plaintext', rules: [] },
  { id: 'encryption-at-rest', title: 'Encryption at rest', rules: ['encryption-at-rest'] },
  { id: 'private-networking', title: 'Private networking only', rules: ['private-networking'] },
  {
    id: 'replicas-zones',
    title: 'Replicas over >= 2 zones, automatic failover',
    rules: ['automatic-failover', 'multi-az'],
  },
  { id: 'snapshots', title: 'Snapshots retained >= policy days', rules: ['snapshot-retention'] },
  { id: 'maintenance-window', title: 'Maintenance window set', rules: ['maintenance-window'] },
  { id: 'alerts', title: 'Alerts: memory, evictions, connections, replication', rules: ['alerts'] },
  { id: 'deletion-protection', title: 'Deletion protection', rules: ['deletion-protection'] },
  { id: 'images', title: 'Images pinned by digest, none below the CVE floor', rules: [] },
  {
    id: 'data-retention',
    title: 'Data kept on delete/replace (snapshot/retain, protect, PVCs kept, data dir kept)',
    rules: ['deletion-protection'],
  },
];

/** Whether the resolved policy asks for the invariant at all. */
export function required(id: InvariantId, p: ResolvedPolicy): boolean {
  switch (id) {
    case 'tls':
      return p.security.tls;
    case 'auth':
      return p.security.auth;
    case 'no-plaintext-secret':
      return true;
    case 'encryption-at-rest':
      return p.security.encryptionAtRest;
    case 'private-networking':
      return p.security.privateNetworking;
    case 'replicas-zones':
      return p.availability.automaticFailover && p.availability.multiAz;
    case 'snapshots':
      return p.persistence.rdb && p.persistence.snapshotRetentionDays >= 1;
    case 'maintenance-window':
      return true;
    case 'alerts':
      return p.alerts.enabled;
    case 'deletion-protection':
    case 'data-retention':
      return p.availability.deletionProtection;
    case 'images':
      // Production refuses vulnerable images at synth; the cell re-checks what the artifact pulls.
      return p.profile === 'production';
  }
}

/** What targets without container images get for the images invariant. */
export const NO_IMAGES: Evidence = {
  status: 'na',
  detail: 'no container images in this artifact: the provider or the host package supplies the engine',
};

export function secretEvidence(findings: SecretFinding[]): Evidence {
  if (findings.length === 0)
    return { status: 'pass', detail: 'secret scan: no token, key or password in the artifact' };
  const f = findings[0];
  return {
    status: 'fail',
    detail: `secret scan: ${findings.length} finding(s), first: ${f.kind} at ${f.file}:${f.line} (${f.excerpt})`,
  };
}

export function toCell(inv: Invariant, evidence: Evidence, policy: ResolvedPolicy): Cell {
  if (required(inv.id, policy)) return { status: evidence.status, detail: evidence.detail };
  if (evidence.status === 'pass') return { status: 'pass', detail: evidence.detail };
  const waiver = policy.waivers.find((w) => inv.rules.includes(w.rule));
  if (waiver) return { status: 'waived', detail: `${waiver.rule}: ${waiver.reason}` };
  if (evidence.status === 'na') return { status: 'na', detail: evidence.detail };
  return { status: 'na', detail: `not required by the ${policy.profile} profile (${evidence.detail})` };
}

export function cellsFor(
  evidence: TargetEvidence,
  secrets: SecretFinding[],
  policy: ResolvedPolicy,
  retention: Evidence = { status: 'fail', detail: 'data retention was not read from the artifact' },
): Record<InvariantId, Cell> {
  const all: Record<InvariantId, Evidence> = {
    ...evidence,
    images: evidence.images ?? NO_IMAGES,
    'no-plaintext-secret': secretEvidence(secrets),
    'data-retention': retention,
  };
  return Object.fromEntries(INVARIANTS.map((inv) => [inv.id, toCell(inv, all[inv.id], policy)])) as Record<
    InvariantId,
    Cell
  >;
}
