/**
 * CRD patterns use Go (RE2) syntax. The one construct JavaScript lacks that they use is the
 * `(?i)` flag group (e.g. `^(?i)(abort|warn)?$`); it is turned into the `i` flag for the whole
 * pattern, which is at most slightly looser than Go where `(?i)` comes after literal text.
 * Used by ajv at run time and by the precompiled validators (schemas/*.validator.js).
 */
export function goRegExp(pattern: string, flags: string): RegExp {
  return pattern.includes('(?i)')
    ? new RegExp(pattern.split('(?i)').join(''), `${flags}i`)
    : new RegExp(pattern, flags);
}
