/** The hand-written formatters agree with toLocaleString('en-US') on every shape of number we print. */
import * as fc from 'fast-check';
import { int, usd } from '../lib/numbers';

const en = (n: number) => n.toLocaleString('en-US');
const enUsd = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

test('examples', () => {
  expect(int(0)).toBe('0');
  expect(int(999)).toBe('999');
  expect(int(1000)).toBe('1,000');
  expect(int(5_000_000)).toBe('5,000,000');
  expect(int(-1234567)).toBe('-1,234,567');
  expect(int(1234.5)).toBe('1,234.5');
  expect(usd(0)).toBe('$0.00');
  expect(usd(230.68)).toBe('$230.68');
  expect(usd(1234567.891)).toBe('$1,234,567.89');
});

test('int equals toLocaleString for integers', () => {
  fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => int(n) === en(n)));
});

test('usd equals toLocaleString with two decimals for cents', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e11 }), (cents) => usd(cents / 100) === enUsd(cents / 100)),
  );
});
