/**
 * Every target must publish the whole connection contract (lib/contract.ts): an application moved
 * between platforms reads the same names, and a missing alias (REDIS_SSL, REDIS_TLS_CA_FROM, ...)
 * means some application starts with its default, often plaintext. Numbered keys depend on the
 * node count, and Sentinel and user-name keys on the platform, so only the fixed keys are required.
 */
import { connectionContract } from '../contract';
import type { Deployment } from '../deployment';
import { TARGET_LABELS, type TargetResult } from './types';

export function contractGaps(results: TargetResult[], d: Deployment): string[] {
  const required = Object.keys(
    connectionContract(d.policy, d.plan, { host: 'h', port: 1, passwordFrom: 'p', caFrom: 'c' }),
  ).filter((k) => !/_\d+$/.test(k));
  return results.flatMap((r) => {
    if (!r.contract) return [`${r.target}: ${r.files.join(', ')} publishes no connection contract`];
    const missing = required.filter((k) => !(k in r.contract!));
    return missing.length
      ? [
          `${r.target}: the ${TARGET_LABELS[r.target]} contract in ${r.files.join(', ')} lacks ${missing.join(', ')} (lib/contract.ts publishes them for every platform)`,
        ]
      : [];
  });
}
