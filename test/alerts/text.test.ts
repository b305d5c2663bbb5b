/**
 * Every alert's text (AlarmDescription, displayName, description, summary) states the threshold, the
 * direction and the window its expression uses, for every rule of every example on every platform.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  awsAlerts,
  EXAMPLES,
  k8sAlerts,
  mismatches,
  promAlert,
  pulumiAlerts,
  ROOT,
  type CollectedAlert,
} from './collect';

const report = (alerts: CollectedAlert[]) =>
  alerts.flatMap((a) => mismatches(a).map((m) => `${a.where} ${a.name}: ${m} (text: "${a.text}")`));

describe('alert texts agree with their expressions', () => {
  test.each(EXAMPLES)('AWS and Kubernetes, %s', (spec) => {
    const alerts = [...awsAlerts(spec), ...k8sAlerts(spec)];
    expect(report(alerts)).toEqual([]);
  });

  test('GCP and Azure, every example', async () => {
    const alerts: CollectedAlert[] = [];
    for (const spec of EXAMPLES) alerts.push(...(await pulumiAlerts(spec)));
    expect(alerts.length).toBeGreaterThan(0);
    expect(report(alerts)).toEqual([]);
  });

  test('a serverless spec is checked on the serverless cache alarms, not the replication group ones', () => {
    const alerts = awsAlerts('examples/go-api-serverless.yaml');
    const names = alerts.map((a) => a.name).join(' ');
    for (const id of ['DataStorage', 'Ecpu', 'Throttled', 'Evictions', 'Connections'])
      expect(names).toMatch(new RegExp(`Alarms${id}`));
    expect(names).not.toMatch(/HostCpu|EngineCpu|ReplicationLag/);
    const storage = alerts.find((a) => a.name.startsWith('AlarmsDataStorage'))!;
    expect(storage.windowMinutes).toBe(5);
    expect(report(alerts)).toEqual([]);
    // The same alarms the synthesized stack carries (its committed snapshot), text for text.
    const template = JSON.parse(
      fs.readFileSync(
        path.join(
          ROOT,
          'test/synth/__snapshots__/examples/go-api-serverless/aws/go-api-serverless-elasticache.template.json',
        ),
        'utf8',
      ),
    ) as { Resources: Record<string, { Type: string; Properties: { AlarmDescription: string } }> };
    const synthesized = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties.AlarmDescription);
    expect(alerts.map((a) => a.text).sort()).toEqual(synthesized.sort());
  });

  test('every platform has the guide rules it has metrics for', async () => {
    const spec = 'examples/platform-cache.yaml'; // Valkey: ElastiCache has the latency metrics
    const aws = awsAlerts(spec)
      .map((a) => a.name)
      .join(' ');
    expect(aws).toMatch(/HostCpuWarning/);
    expect(aws).toMatch(/KeyspaceHitRate/);
    expect(aws).toMatch(/ReadLatencyP95/);
    expect(aws).toMatch(/WriteLatencyP95/);
    const redisAws = awsAlerts('examples/default.yaml')
      .map((a) => a.name)
      .join(' ');
    expect(redisAws).not.toMatch(/LatencyP95/); // Redis OSS on ElastiCache has no latency metric
    const k8s = k8sAlerts('examples/default.yaml').map((a) => a.name);
    expect(k8s).toEqual(expect.arrayContaining(['RedisCpuHigh', 'RedisCacheHitRateLow', 'RedisHighLatency']));
  });
});

describe('the check itself', () => {
  const rule = (expr: string, forDuration: string, summary: string, description = '') =>
    promAlert('fixture', {
      alert: 'Fixture1',
      expr,
      for: forDuration,
      labels: { severity: 'warning' },
      annotations: { summary, description },
    });

  test('bad: the old replication-lag rule (text says 1 s, expression fires at 10 s)', () => {
    const old = rule(
      'redis_master_last_io_seconds_ago{namespace="a"} > 10',
      '2m',
      'Redis replica has not heard from its primary for a while: x',
      'No traffic from the primary for {{ $value }} s (policy lag target 1 s).',
    );
    expect(mismatches(old)).toEqual([
      'threshold 10 of the expression is not in the text',
      'the expression fires above 10; the text does not say "above"',
      'the window is 2 minute(s); the text does not state "2 minutes"',
    ]);
  });
  test('bad: a mean over 10 minutes described as p95 over 5 minutes', () => {
    const r = rule('x > 100', '10m', 'Redis p95 latency above 100 ms for 5 minutes');
    expect(mismatches(r)).toEqual(['the window is 10 minute(s); the text does not state "10 minutes"']);
  });
  test('bad: the direction is wrong', () => {
    expect(mismatches(rule('hits < 0.8', '15m', 'hit rate above 0.8 for 15 minutes'))).toEqual([
      'the expression fires below 0.8; the text does not say "below"',
    ]);
  });
  test('unusual but valid: ratio thresholds stated as percentages, filters, states, templates with digits', () => {
    expect(mismatches(rule('a / (b > 0) < 0.85', '15m', 'hit rate below 85% for 15 minutes'))).toEqual([]);
    expect(
      mismatches(rule('redis_up{pod="r1-0"} == 0', '1m', 'down for 1 minute: {{ $labels.pod }} 42')),
    ).toEqual([]);
    expect(mismatches(rule('increase(x[1h]) > 1000', '0m', 'more than 1000 keys in 60 minutes'))).toEqual([]);
  });
});
