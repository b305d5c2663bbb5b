/**
 * Number formatting shared by the planner's reasons, the CLI and the reports: `1,234,567` and
 * `$1,234.50`. Written out instead of toLocaleString('en-US') because the first locale-aware call
 * loads ICU data, about 11 ms of every synth process for a comma.
 */

/** Integers with thousands separators (fractions keep up to three digits, as toLocaleString does). */
export function int(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const rounded = Math.round(n * 1000) / 1000;
  const [whole, fraction] = Math.abs(rounded).toString().split('.');
  return `${rounded < 0 ? '-' : ''}${group(whole)}${fraction ? `.${fraction}` : ''}`;
}

/** Dollars with cents and thousands separators. */
export function usd(n: number): string {
  const [whole, cents] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 && Number(`${whole}.${cents}`) !== 0 ? '-' : ''}$${group(whole)}.${cents}`;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}
