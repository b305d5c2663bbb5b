/**
 * Key prefixes as clients and ACLs see them. A prefix that already ends in a separator character
 * (":", "-", "_", "." or the spec's own separator, e.g. "ai-engine:" or "acs-cache-") is used as is;
 * otherwise the separator is appended, so the contract's REDIS_KEY_PREFIX ("app:") is exactly what
 * the ACL pattern (`~app:*`) admits and a client with `keyPrefix: REDIS_KEY_PREFIX` never gets NOPERM.
 */
export const DEFAULT_KEY_SEPARATOR = ':';

export function prefixWithSeparator(prefix: string, separator = DEFAULT_KEY_SEPARATOR): string {
  if (prefix === '') return '';
  const last = prefix.slice(-1);
  return last === separator || ':_.-'.includes(last) ? prefix : `${prefix}${separator}`;
}
