import * as fs from 'node:fs';
import { kubernetesContract } from '../../lib/k8s/contract';
import { deploymentFromYaml } from '../../lib/deployment';
import { loadPatched, withPatchedBitnami } from './patched-bitnami';
import { examplesWithTargets } from '../support/examples';

describe('connection contract per Kubernetes flavor', () => {
  it('OpsTree: cluster mode on the leader service, password from the app Secret, ACL user', () => {
    const c = kubernetesContract(loadPatched('examples/default.yaml'), 'opstree');
    expect(c).toMatchObject({
      REDIS_HOST: 'app-cache-leader.app.svc',
      REDIS_PORT: '6379',
      REDIS_TLS_ENABLED: 'true',
      REDIS_CLUSTER_ENABLED: 'true',
      REDIS_PASSWORD_FROM: 'k8s-secret:app/app-cache-app-credentials:password',
      REDIS_USERNAME: 'app-app',
    });
  });
  it('Bitnami: Sentinel in production, the master service for a single primary', () => {
    const s = kubernetesContract(loadPatched('examples/default.yaml'), 'bitnami');
    expect(s).toMatchObject({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINELS: 'app-cache-bitnami.app.svc:26379',
      REDIS_SENTINEL_SERVICE: 'mymaster',
      REDIS_SENTINEL_MASTER: 'mymaster',
      // The Sentinels' ACL admits the application user with its own Secret, never the admin one.
      REDIS_SENTINEL_USERNAME: 'app-app',
      REDIS_SENTINEL_PASSWORD_FROM: 'k8s-secret:app/app-cache-bitnami-app-credentials:password',
      REDIS_SENTINEL_TLS: 'true',
      // Bitnami Sentinel down-after 10 s + 4 s + one 3 s backoff step.
      REDIS_FAILOVER_TIMEOUT_MS: '17000',
    });
    const m = kubernetesContract(loadPatched('examples/go-api.yaml'), 'bitnami');
    expect(m.REDIS_HOST).toMatch(/-bitnami-master\.openctem\.svc$/);
    expect([m.REDIS_SENTINEL_ENABLED, m.REDIS_SENTINELS]).toEqual(['false', '']);
    expect(JSON.stringify(m)).not.toMatch(/password"?:"?[0-9a-f]{16}/i);
  });
  it('Bitnami with Sentinel and ACLs off: the Sentinels know only the shared admin password', () => {
    const text = withPatchedBitnami(fs.readFileSync('examples/default.yaml', 'utf8')).replace(
      'keyspace:',
      'security: { acl: false }\nkeyspace:',
    );
    const d = deploymentFromYaml(text, 'default.yaml');
    expect([d.policy.security.auth, d.policy.security.acl]).toEqual([true, false]);
    const c = kubernetesContract(d, 'bitnami');
    expect(c).toMatchObject({
      REDIS_SENTINEL_ENABLED: 'true',
      REDIS_SENTINEL_USERNAME: '',
      REDIS_SENTINEL_PASSWORD_FROM: 'k8s-secret:app/app-cache-bitnami-auth:password',
    });
  });
  it.each(examplesWithTargets('kubernetes'))(
    '%s: Bitnami is never cluster mode (the chart runs no Redis Cluster), OpsTree always is',
    (ex) => {
      const d = loadPatched(`examples/${ex}`);
      const b = kubernetesContract(d, 'bitnami');
      expect([b.REDIS_CLUSTER_ENABLED, b.REDIS_CLUSTER_NODES]).toEqual(['false', '']);
      expect(kubernetesContract(d, 'opstree').REDIS_CLUSTER_ENABLED).toBe('true');
    },
  );
});
