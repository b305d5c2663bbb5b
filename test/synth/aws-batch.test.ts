/** The CDK batch child: every job gets a result, and a failing job does not stop the others. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthAwsBatch } from '../../lib/aws/synth';

test('one child synthesizes good specs and reports bad ones by spec', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-batch-'));
  try {
    const good = path.join(__dirname, '..', '..', 'examples', 'go-api.yaml');
    const bad = path.join(out, 'missing.yaml');
    const results = await synthAwsBatch([
      { spec: bad, outDir: path.join(out, 'bad') },
      { spec: good, outDir: path.join(out, 'good') },
    ]);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ spec: bad, files: [], error: expect.stringMatching(/--spec/) });
    expect(results[1].error).toBeUndefined();
    expect(results[1].files).toEqual([path.join(out, 'good', 'go-api-redis-elasticache.template.json')]);
    expect(JSON.parse(fs.readFileSync(results[1].files[0], 'utf8')).Resources).toBeDefined();
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
