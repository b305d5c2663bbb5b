/** lib/pulumi/notes.ts: the retention note the Memorystore and Azure adapters share. */
import { snapshotExportNote, type SnapshotExport } from '../../lib/pulumi/notes';
import type { ResolvedPolicy } from '../../lib/policy/types';

const premium: SnapshotExport = {
  keeps: 'Premium persistence keeps the latest snapshot only',
  command: 'az redis export',
  destination: 'a blob container',
};
const policy = (rdb: boolean, snapshotRetentionDays: number) =>
  ({ persistence: { rdb, snapshotRetentionDays } }) as ResolvedPolicy;

test('a retention of more than a day names the days, the export command and the destination', () => {
  expect(snapshotExportNote(policy(true, 15), premium)).toBe(
    'Premium persistence keeps the latest snapshot only; 15 days of retention need scheduled exports (az redis export) to a blob container with a lifecycle rule.',
  );
  expect(snapshotExportNote(policy(true, 2), premium)).toContain('; 2 days of retention');
});

test('no note when the latest snapshot is enough or RDB is off', () => {
  expect(snapshotExportNote(policy(true, 1), premium)).toBeUndefined();
  expect(snapshotExportNote(policy(true, 0), premium)).toBeUndefined();
  expect(snapshotExportNote(policy(false, 15), premium)).toBeUndefined();
});
