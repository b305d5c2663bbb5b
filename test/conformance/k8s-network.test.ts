/** Kubernetes egress and exporter-exposure checkers: bad fixtures fail, unusual but valid ones pass. */
import { parse } from 'yaml';
import { egressEvidence, exporterExposure, parseManifests } from '../../lib/conformance/kubernetes';
import { opstreeYaml } from './fixtures';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures walk untyped manifests */
type Obj = Record<string, any>;
const objs = () => parseManifests(opstreeYaml()) as Obj[];
const policy = (o: Obj[], name: string) => o.find((x) => x.metadata?.name === name)!;

describe('egress restricted', () => {
  test('the compliant fixture passes', () => {
    expect(egressEvidence(objs())).toMatchObject({ status: 'pass' });
  });
  test('flags Redis pods without an Egress policy', () => {
    const o = objs().filter((x) => x.metadata?.name !== 'np-egress');
    expect(egressEvidence(o)).toMatchObject({ status: 'fail', detail: /Redis pods: no Egress policy/ });
  });
  test('flags an egress rule without `to`, and any address from the Redis pods even on one port', () => {
    const o = objs();
    policy(o, 'np-egress').spec.egress.push({ ports: [{ port: 443 }] });
    expect(egressEvidence(o)).toMatchObject({ status: 'fail', detail: /allows egress to anywhere/ });
    const o2 = objs();
    policy(o2, 'np-egress').spec.egress.push({
      to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
      ports: [{ port: 443 }],
    });
    expect(egressEvidence(o2).status).toBe('fail');
  });
  test('flags a CronJob whose pods no Egress policy selects', () => {
    const o = objs();
    policy(o, 'np-egress').spec.podSelector = { matchLabels: { app: 'r' } };
    const np = policy(o, 'np');
    np.spec.podSelector = { matchLabels: { app: 'r' } };
    expect(egressEvidence(o)).toMatchObject({ status: 'fail', detail: /CronJob backup: no Egress policy/ });
  });
  test('accepts DNS without `to` (the Bitnami chart policy) but not another port without `to`', () => {
    const o = objs();
    policy(o, 'np-egress').spec.egress.push({ ports: [{ port: 53, protocol: 'UDP' }] });
    expect(egressEvidence(o).status).toBe('pass');
    policy(o, 'np-egress').spec.egress.push({ ports: [{ port: 53 }, { port: 80 }] });
    expect(egressEvidence(o).status).toBe('fail');
  });
  test('flags Bitnami values that allow external egress', () => {
    expect(egressEvidence(objs(), { networkPolicy: { allowExternalEgress: true } }).status).toBe('fail');
  });
  test('passes job pods with HTTPS to any address (S3) and matchExpressions selectors with digits', () => {
    const o = objs();
    const np = policy(o, 'np');
    np.spec.podSelector = {
      matchLabels: { redis_setup_type: 'cluster' },
      matchExpressions: [{ key: 'app', operator: 'In', values: ['c-2-leader', 'c-2-follower'] }],
    };
    const eg = policy(o, 'np-egress');
    eg.spec.podSelector = structuredClone(np.spec.podSelector);
    o.push({
      kind: 'NetworkPolicy',
      metadata: { name: 'c-2-backup-egress' },
      spec: {
        podSelector: { matchLabels: { 'redis-iac/backup': 'r' } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }], ports: [{ port: 443 }] },
        ],
      },
    });
    expect(egressEvidence(o, { networkPolicy: { allowExternalEgress: false } })).toMatchObject({
      status: 'pass',
    });
  });
});

describe('exporter port not open cluster-wide', () => {
  test('flags Bitnami values with the chart default metrics.allowExternal', () => {
    const values = parse('metrics: { enabled: true }\nnetworkPolicy: { metrics: { allowExternal: true } }\n');
    expect(exporterExposure(objs(), values)).toMatchObject({
      status: 'fail',
      detail: /networkPolicy\.metrics/,
    });
  });
  test('flags allowExternal false without a namespace (the chart then admits every namespace)', () => {
    const values = {
      metrics: { enabled: true },
      networkPolicy: { metrics: { allowExternal: false, ingressNSMatchLabels: {} } },
    };
    expect(exporterExposure(objs(), values).status).toBe('fail');
  });
  test('passes Bitnami values naming one namespace, and metrics off', () => {
    const values = {
      metrics: { enabled: true },
      networkPolicy: {
        metrics: {
          allowExternal: false,
          ingressNSMatchLabels: { 'kubernetes.io/metadata.name': 'mon-1' },
          ingressNSPodMatchLabels: { 'app.kubernetes.io/name': 'prometheus' },
        },
      },
    };
    expect(exporterExposure(objs(), values).status).toBe('pass');
    expect(exporterExposure(objs(), { metrics: { enabled: false } }).status).toBe('pass');
  });
});
