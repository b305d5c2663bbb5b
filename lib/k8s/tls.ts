/**
 * The server certificate, from cert-manager. Without a ClusterIssuer in the spec a private CA
 * chain is made in the namespace: a self-signed Issuer signs a CA Certificate, and an Issuer
 * backed by that CA signs the server certificate. Clients trust `ca.crt` from the same Secret.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '../../k8s/imports/cert-manager.io';
import { JOB_CONTAINER_SECURITY, jobPodSecurity, podPullSecrets, type K8sContext } from './context';
import { jobCredentialsEnv } from './secrets';

/** Server certificates live 90 days and renew 30 days before expiry (cert-manager's own defaults are the same order). */
export const CERT_DURATION = '2160h';
export const CERT_RENEW_BEFORE = '720h';
/** The private CA lives 5 years. */
export const CA_DURATION = '43800h';

/** File names inside the cert-manager Secret (what both flavors mount). */
export const TLS_FILES = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;

export interface RedisTlsProps {
  readonly ctx: K8sContext;
  /** Service names the certificate must cover (each also as `<svc>.<ns>`, `.svc`, `.svc.cluster.local`). */
  readonly serviceNames: string[];
  /** Headless services whose pod names (`*.<svc>.<ns>.svc...`) the certificate must cover. */
  readonly headlessServiceNames: string[];
}

export class RedisTls extends Construct {
  /** Name of the Secret with tls.crt, tls.key and ca.crt. */
  readonly secretName: string;
  readonly certificate: Certificate;

  constructor(scope: Construct, id: string, props: RedisTlsProps) {
    super(scope, id);
    const { ctx } = props;
    const meta = (name: string) => ({ name, namespace: ctx.namespace, labels: ctx.labels });
    this.secretName = ctx.secrets.tls;

    let issuerRef: { name: string; kind: string; group: string };
    if (ctx.target.clusterIssuer) {
      issuerRef = { name: ctx.target.clusterIssuer, kind: 'ClusterIssuer', group: 'cert-manager.io' };
    } else {
      const selfSigned = new Issuer(this, 'SelfSigned', {
        metadata: meta(`${ctx.name}-selfsigned`),
        spec: { selfSigned: {} },
      });
      const caSecret = `${ctx.name}-ca`;
      new Certificate(this, 'Ca', {
        metadata: meta(`${ctx.name}-ca`),
        spec: {
          isCa: true,
          commonName: `${ctx.name} Redis CA`,
          secretName: caSecret,
          duration: CA_DURATION,
          privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
          issuerRef: { name: selfSigned.name, kind: 'Issuer', group: 'cert-manager.io' },
        },
      });
      const ca = new Issuer(this, 'CaIssuer', {
        metadata: meta(`${ctx.name}-ca-issuer`),
        spec: { ca: { secretName: caSecret } },
      });
      issuerRef = { name: ca.name, kind: 'Issuer', group: 'cert-manager.io' };
    }

    this.certificate = new Certificate(this, 'Server', {
      metadata: meta(`${ctx.name}-server`),
      spec: {
        secretName: this.secretName,
        secretTemplate: { labels: ctx.labels },
        commonName: props.serviceNames[0],
        dnsNames: dnsNames(ctx.namespace, props.serviceNames, props.headlessServiceNames),
        duration: CERT_DURATION,
        renewBefore: CERT_RENEW_BEFORE,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        // Redis presents the same certificate as a client when it replicates (tls-replication).
        usages: [
          CertificateSpecUsages.DIGITAL_SIGNATURE,
          CertificateSpecUsages.KEY_ENCIPHERMENT,
          CertificateSpecUsages.SERVER_AUTH,
          CertificateSpecUsages.CLIENT_AUTH,
        ],
        issuerRef,
      },
    });
  }
}

export function dnsNames(namespace: string, services: string[], headless: string[]): string[] {
  const out: string[] = [];
  for (const s of services)
    out.push(s, `${s}.${namespace}`, `${s}.${namespace}.svc`, `${s}.${namespace}.svc.cluster.local`);
  for (const h of headless)
    out.push(`*.${h}`, `*.${h}.${namespace}.svc`, `*.${h}.${namespace}.svc.cluster.local`);
  return [...new Set(out)];
}

/**
 * Redis reads its TLS files only at start-up or on `CONFIG SET tls-*-file` (the same path is enough to
 * reload them): after cert-manager renews the Secret, the mounted files change but every node keeps
 * presenting the old certificate until it expires, and then clients, replication and the cluster bus
 * all fail. This script asks each node to reload the files; the CronJob runs it daily, well inside
 * the {@link CERT_RENEW_BEFORE} window.
 */
export const TLS_RELOAD_SCRIPT = `#!/bin/sh
# Reload the TLS files of every Redis node (REDIS_TARGETS: host:port list) with CONFIG SET.
# Environment: REDIS_TARGETS, TLS_CA (CA file to verify the nodes), CERT_FILE, KEY_FILE, CA_FILE (the
# paths inside the Redis containers), REDIS_USER (the TLS-reload ACL user, optional) and REDISCLI_AUTH
# (its password, read by redis-cli itself). That user may run CONFIG SET and nothing else.
set -u
: "\${REDIS_TARGETS:?}" "\${TLS_CA:?}" "\${CERT_FILE:?}" "\${KEY_FILE:?}" "\${CA_FILE:?}"
failed=0
for target in $REDIS_TARGETS; do
  host="\${target%:*}"
  port="\${target##*:}"
  out=$(redis-cli -h "$host" -p "$port" --no-auth-warning --tls --cacert "$TLS_CA" \${REDIS_USER:+--user "$REDIS_USER"} \\
    CONFIG SET tls-cert-file "$CERT_FILE" tls-key-file "$KEY_FILE" tls-ca-cert-file "$CA_FILE" 2>&1 | tr -d '\\r')
  if [ "$out" = OK ]; then
    echo "tls-reload: $host:$port reloaded its certificate files"
  else
    echo "tls-reload: ERROR $host:$port: $out" >&2
    failed=1
  fi
done
exit "$failed"
`;

/** Daily at 05:17 UTC (any fixed time works: renewal happens 30 days before expiry). */
export const TLS_RELOAD_SCHEDULE = '17 5 * * *';

export interface RedisTlsReloadProps {
  readonly ctx: K8sContext;
  /** Image with redis-cli and /bin/sh (the flavor's Redis image). */
  readonly image: string;
  /** host:port of every Redis node. */
  readonly targets: string[];
  /** Directory of the TLS Secret's files inside the Redis containers. */
  readonly serverTlsDir: string;
}

/** Labels on the TLS-reload job's pods (the NetworkPolicy admits them, also when the job is added elsewhere). */
export function tlsReloadPodLabels(ctx: Pick<K8sContext, 'name'>): Record<string, string> {
  return { 'redis-iac/tls-reload': ctx.name };
}

/** A CronJob that makes every node reload its renewed certificate (see {@link TLS_RELOAD_SCRIPT}). */
export class RedisTlsReload extends Construct {
  /** Labels on the job's pods (the NetworkPolicy admits them on the Redis port). */
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: RedisTlsReloadProps) {
    super(scope, id);
    const { ctx } = props;
    const name = `${ctx.name}-tls-reload`;
    const meta = (n: string) => ({ name: n, namespace: ctx.namespace, labels: ctx.labels });
    this.podLabels = tlsReloadPodLabels(ctx);
    new kplus.ConfigMap(this, 'Script', {
      metadata: meta(`${name}-script`),
      data: { 'tls-reload.sh': TLS_RELOAD_SCRIPT },
    });
    const env: kplus.k8s.EnvVar[] = [
      { name: 'REDIS_TARGETS', value: props.targets.join(' ') },
      { name: 'TLS_CA', value: `/tls/${TLS_FILES.ca}` },
      { name: 'CERT_FILE', value: `${props.serverTlsDir}/${TLS_FILES.cert}` },
      { name: 'KEY_FILE', value: `${props.serverTlsDir}/${TLS_FILES.key}` },
      { name: 'CA_FILE', value: `${props.serverTlsDir}/${TLS_FILES.ca}` },
      ...jobCredentialsEnv(ctx, 'tlsReload'),
    ];
    new kplus.k8s.KubeCronJob(this, 'CronJob', {
      metadata: meta(name),
      spec: {
        schedule: TLS_RELOAD_SCHEDULE,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 600,
            template: {
              metadata: { labels: { ...ctx.labels, ...this.podLabels } },
              spec: {
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                imagePullSecrets: podPullSecrets(ctx),
                securityContext: jobPodSecurity(),
                containers: [
                  {
                    name: 'tls-reload',
                    image: props.image,
                    command: ['/bin/sh', '/scripts/tls-reload.sh'],
                    env,
                    volumeMounts: [
                      { name: 'scripts', mountPath: '/scripts', readOnly: true },
                      { name: 'tls', mountPath: '/tls', readOnly: true },
                    ],
                    securityContext: JOB_CONTAINER_SECURITY,
                    resources: {
                      requests: {
                        cpu: kplus.k8s.Quantity.fromString('10m'),
                        memory: kplus.k8s.Quantity.fromString('32Mi'),
                      },
                      limits: { memory: kplus.k8s.Quantity.fromString('64Mi') },
                    },
                  },
                ],
                volumes: [
                  { name: 'scripts', configMap: { name: `${name}-script`, defaultMode: 0o555 } },
                  {
                    name: 'tls',
                    secret: {
                      secretName: ctx.secrets.tls,
                      items: [{ key: TLS_FILES.ca, path: TLS_FILES.ca }],
                    },
                  },
                ],
              },
            },
          },
        },
      },
    });
  }
}
