/** Snapshot files of every target for shard 1 of SHARDS (1) of examples/*.yaml (see ./example-snapshots.ts). */
import { describeExampleSnapshots } from './example-snapshots';

describeExampleSnapshots(0);
