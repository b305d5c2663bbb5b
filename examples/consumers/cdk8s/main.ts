/**
 * A user's own cdk8s app: the orders chart gets an OpsTree RedisCluster from redis-iac next to its
 * own objects. `npx cdk8s synth` (cdk8s.yaml: `npx tsx main.ts`) writes dist/orders.k8s.yaml.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { OpsTreeRedisCluster, planRedis } from 'redis-iac/k8s';

const app = new App();
const chart = new Chart(app, 'orders', { labels: { team: 'orders' } });

new kplus.ConfigMap(chart, 'Settings', { metadata: { namespace: 'orders' }, data: { LOG_LEVEL: 'info' } });

const redis = new OpsTreeRedisCluster(chart, 'Redis', {
  namespace: 'orders',
  name: 'orders-redis',
  // Pods labelled like this may connect; everything else is refused by the NetworkPolicy.
  clientPodSelector: { app: 'orders-api' },
  sizing: planRedis({ devices: 100000 }),
});

// Passwords never go into the YAML: these commands create the Secrets after `kubectl apply`.
for (const command of redis.secretCommands) console.error(`then run: ${command}`);

app.synth();
