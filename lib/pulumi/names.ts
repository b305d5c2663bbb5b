/**
 * Deterministic physical names. Cloud names that must be globally unique (Azure cache host names,
 * storage accounts) get a short hash of their scope so two deployments with the same spec name in
 * different resource groups do not collide, while a re-run of the same spec keeps the same name
 * (Pulumi's random auto-naming would make previews and snapshots differ on every run).
 */
import { createHash } from 'node:crypto';

/** First `length` hex chars of sha256 over the parts. */
export function shortHash(parts: string[], length = 6): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length);
}

/** `<base>-<hash>` cut so the whole name fits `max` characters (the hash is always kept). */
export function scopedName(base: string, scope: string[], max: number): string {
  const hash = shortHash([base, ...scope]);
  const room = max - hash.length - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/** Lower-case letters and digits only (storage accounts: 3-24 chars, globally unique). */
export function alnumName(prefix: string, base: string, scope: string[], max = 24): string {
  const hash = shortHash([prefix, base, ...scope], 8);
  const clean = base.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `${prefix}${clean}`.slice(0, max - hash.length) + hash;
}
