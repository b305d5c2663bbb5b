/**
 * Every target must publish the whole connection contract (lib/contract.ts): an application moved
 * between platforms reads the same names, and a missing alias (REDIS_SSL, REDIS_TLS_CA_FROM,
 * REDIS_SENTINEL_ENABLED, ...) means some application starts with its default, often plaintext.
 * The fixed keys are those lib/contract.ts always publishes (absent features as `false`/empty/`none`);
 * the numbered keys depend on the node count, so they are checked against the lists they number:
 * REDIS_CLUSTER_NODE_n / REDIS_CLUSTER_PORT_n against REDIS_CLUSTER_NODES, REDIS_SENTINEL_n against
 * REDIS_SENTINELS.
 */
import { connectionContract } from '../contract';
import type { Deployment } from '../deployment';
import { TARGET_LABELS, type TargetResult } from './types';

/** The keys every contract has, whatever the platform and layout. */
export function fixedContractKeys(d: Deployment): string[] {
  return Object.keys(
    connectionContract(d.policy, d.plan, { host: 'h', port: 1, passwordFrom: 'p', caFrom: 'c' }),
  ).filter((k) => !/_\d+$/.test(k));
}

/** Numbered keys a contract's lists call for but it lacks (or has with another value). */
export function numberedGaps(c: Record<string, string>): string[] {
  const list = (k: string) => (c[k] ?? '').split(',').filter(Boolean);
  const gaps: string[] = [];
  list('REDIS_CLUSTER_NODES').forEach((node, i) => {
    const at = node.lastIndexOf(':');
    const [host, port] = [node.slice(0, at), node.slice(at + 1)];
    if (c[`REDIS_CLUSTER_NODE_${i + 1}`] !== host) gaps.push(`REDIS_CLUSTER_NODE_${i + 1} (${host})`);
    if (c[`REDIS_CLUSTER_PORT_${i + 1}`] !== port) gaps.push(`REDIS_CLUSTER_PORT_${i + 1} (${port})`);
  });
  list('REDIS_SENTINELS').forEach((s, i) => {
    if (c[`REDIS_SENTINEL_${i + 1}`] !== s) gaps.push(`REDIS_SENTINEL_${i + 1} (${s})`);
  });
  return gaps;
}

export function contractGaps(results: TargetResult[], d: Deployment): string[] {
  const required = fixedContractKeys(d);
  return results.flatMap((r) => {
    if (!r.contract) return [`${r.target}: ${r.files.join(', ')} publishes no connection contract`];
    const missing = [...required.filter((k) => !(k in r.contract!)), ...numberedGaps(r.contract)];
    return missing.length
      ? [
          `${r.target}: the ${TARGET_LABELS[r.target]} contract in ${r.files.join(', ')} lacks ${missing.join(', ')} (lib/contract.ts publishes them for every platform)`,
        ]
      : [];
  });
}
