/**
 * A failing invariant fails the synth: here the AWS adapter is replaced by one that writes a
 * template with TLS off; the run must report it and must not publish dist/<id>.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthAll } from '../../lib/synth/run';

function mockBrokenTemplate(outDir: string): string[] {
  const fsm = jest.requireActual('node:fs') as typeof import('node:fs');
  const template = {
    Resources: {
      Rg: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { TransitEncryptionEnabled: false, AtRestEncryptionEnabled: true },
      },
    },
  };
  fsm.mkdirSync(outDir, { recursive: true });
  const file = `${outDir}/broken.template.json`;
  fsm.writeFileSync(file, JSON.stringify(template));
  return [file];
}
jest.mock('../../lib/aws/synth', () => ({
  synthAws: (_d: unknown, outDir: string) => mockBrokenTemplate(outDir),
  synthAwsFleet: (items: Array<{ outDir: string }>) =>
    items.map((i) => ({ files: mockBrokenTemplate(i.outDir) })),
}));
jest.mock('../../lib/pulumi/preview', () => ({ previewPulumiFleet: () => Promise.resolve([]) }));

test('a failing invariant fails the synth and leaves no dist/<id>', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-fail-'));
  try {
    const spec = path.join(out, 'spec.yaml');
    fs.writeFileSync(
      spec,
      'name: failing\nprofile: production\nworkload: { datasetGb: 1 }\ntargets:\n  aws: { region: us-east-1, vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }\n',
    );
    const [run] = await synthAll({ specs: [spec], outRoot: path.join(out, 'dist') });
    expect(run.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^failing aws: tls fails: TransitEncryptionEnabled=false/),
      ]),
    );
    expect(fs.existsSync(path.join(out, 'dist', 'failing'))).toBe(false);
    expect(fs.readdirSync(path.join(out, 'dist'))).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
