/** Snapshot files of every target for shard 1 of 2 of examples/*.yaml (see ./example-snapshots.ts). */
import { describeExampleSnapshots } from './example-snapshots';

describeExampleSnapshots(0);
