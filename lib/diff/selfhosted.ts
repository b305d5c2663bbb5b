/**
 * Self-hosted: compares the rendered redis.conf of each node directive by directive (CONFIG SET can
 * change it live, or the node must restart: the list probed on redis-server 7.0.15), the Sentinel
 * templates (SENTINEL SET), and the node set itself (a conf that disappears leaves its data dir
 * unserved; a moved `dir` starts empty).
 */
import { directives } from '../redisconf/parse';
import { same } from './compare';
import { changeRules, rule } from './rules';
import type { Change, Verdict } from './types';

function confVerdict(key: string, from: string[] | undefined, to: string[] | undefined): Verdict {
  const cs = changeRules().rules.redisConfigSet;
  if (key === 'dir')
    return rule(
      'selfhosted.node.removed',
      `the data dir moves ${from?.join(' ') ?? '-'} -> ${to?.join(' ') ?? '-'}; the node starts empty there`,
    );
  if (cs.immutable.includes(key)) return rule('selfhosted.restart', `${key} is immutable`);
  if (cs.protected.includes(key)) return rule('selfhosted.restart', `${key} is a protected config`);
  if (cs.notConfig.includes(key)) return rule('selfhosted.restart', `${key} is read only at start`);
  if (key.startsWith('sentinel ')) return rule('selfhosted.sentinel', key);
  return rule('selfhosted.config-set', key);
}

const isNodeConf = (f: string) => /^redis-\d+\.conf$/.test(f);
const isSentinel = (f: string) => /^sentinel-\d+\.conf\.template$/.test(f);

export function diffSelfHosted(a?: Record<string, string>, b?: Record<string, string>): Change[] {
  if (!a || !b) return [];
  const changes: Change[] = [];
  for (const f of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const [x, y] = [a[f], b[f]];
    const node = isNodeConf(f);
    const base = { platform: 'self-hosted' as const, resource: f, dataResource: node };
    if (x === undefined) {
      changes.push({
        ...base,
        property: '(file)',
        to: 'created',
        ...rule(node ? 'selfhosted.node.added' : 'selfhosted.file'),
      });
      continue;
    }
    if (y === undefined) {
      changes.push({
        ...base,
        property: '(file)',
        from: 'exists',
        to: 'removed',
        ...rule(
          node ? 'selfhosted.node.removed' : 'selfhosted.file',
          node ? `${f} is no longer generated` : undefined,
        ),
      });
      continue;
    }
    if (x === y) continue;
    if (node || isSentinel(f)) {
      // Sentinel directives are keyed by their sub-command and master ("sentinel monitor app").
      const [da, db] = [x, y].map((conf) => directives(conf, { sentinelSubcommands: true }));
      for (const k of [...new Set([...da.keys(), ...db.keys()])].sort()) {
        const [from, to] = [da.get(k), db.get(k)];
        if (same(from, to)) continue;
        changes.push({
          ...base,
          property: k,
          from: from?.join(' | '),
          to: to?.join(' | '),
          ...confVerdict(k, from, to),
        });
      }
      continue;
    }
    if (f.endsWith('.service')) {
      changes.push({
        ...base,
        property: '(file)',
        from: 'changed',
        to: 'changed',
        ...rule(
          'selfhosted.restart',
          'the systemd unit changed: systemctl daemon-reload, then restart each node',
        ),
      });
      continue;
    }
    changes.push({
      ...base,
      property: '(file)',
      from: 'changed',
      to: 'changed',
      ...rule('selfhosted.file', f),
    });
  }
  return changes;
}
