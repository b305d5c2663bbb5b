/** The manual token rotation in docs/aws.md must work with every token the stack's generator can produce. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS } from '../../lib/aws/auth-token';

const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'aws.md'), 'utf8');

test('every --auth-token passes its value with "=" (a token may start with "-", which the AWS CLI reads as an option)', () => {
  // '-' is one of the eight special characters ElastiCache allows, so the generator can put it first;
  // `--auth-token "$NEW"` then fails with "argument --auth-token: expected one argument" (aws/aws-cli#1135).
  expect(AUTH_TOKEN_EXCLUDED_CHARACTERS).not.toContain('-');
  const uses = doc.match(/--auth-token(?!-update-strategy)\S*/g) ?? [];
  expect(uses.length).toBeGreaterThanOrEqual(2);
  for (const use of uses) expect(use).toMatch(/^--auth-token=/);
});

test('the documented generator excludes exactly the characters the stack excludes', () => {
  const m = /--exclude-characters "((?:[^"\\]|\\.)*)"/.exec(doc);
  expect(m).not.toBeNull();
  // Undo bash double-quote escaping: \" \\ \` \$.
  const unquoted = m![1].replace(/\\(["\\`$])/g, '$1');
  expect([...unquoted].sort()).toEqual([...AUTH_TOKEN_EXCLUDED_CHARACTERS].sort());
});
