/**
 * Full snapshots of every resource's inputs (secrets redacted) for three examples on each target:
 * a small production cache, a production cluster, and a development spec.
 */
import { PULUMI_TARGETS } from '../../lib/pulumi/program';
import { previewDocument } from '../../lib/pulumi/run';
import { run } from './helpers';

const SNAPSHOTTED = [
  'examples/default.yaml',
  'examples/acs-100k.yaml',
  'examples/hospitality-development.yaml',
];

describe.each(SNAPSHOTTED)('%s', (spec) => {
  test.each([...PULUMI_TARGETS])('%s', async (target) => {
    const doc = previewDocument(await run(spec, target));
    expect(doc).toMatchSnapshot();
  });
});
