import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { leaks } from './tmp-teardown';

test("the leak check ignores only the caches it names (aws-cdk-lib's cdk.outXXXX among them)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teardown-'));
  try {
    for (const e of [
      'cdk.outAb3dE9',
      'tsx-0',
      'redis-iac-helm-home',
      'cdk.out',
      'cdk.outdir-of-a-test',
      'redis-iac-x',
    ])
      fs.mkdirSync(path.join(dir, e));
    expect(leaks(dir)).toEqual(['cdk.out', 'cdk.outdir-of-a-test', 'redis-iac-x']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
