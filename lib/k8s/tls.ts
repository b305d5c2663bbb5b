/**
 * The server certificate, from cert-manager. Without a ClusterIssuer in the spec a private CA
 * chain is made in the namespace: a self-signed Issuer signs a CA Certificate, and an Issuer
 * backed by that CA signs the server certificate. Clients trust `ca.crt` from the same Secret.
 */
import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '../../k8s/imports/cert-manager.io';
import type { K8sContext } from './context';

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
