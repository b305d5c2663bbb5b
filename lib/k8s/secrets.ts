/**
 * Credentials are never part of the YAML. Either the operator creates the Secrets by hand
 * (`secretCommands()` prints the commands; docs/kubernetes.md explains them), or, when the spec
 * names an external-secrets ClusterSecretStore, ExternalSecrets fetch them from that store.
 *
 * Three Secrets, whatever the source:
 * - `<name>-auth`  key `password`: the admin password (OpsTree redisSecret, Bitnami auth.existingSecret);
 * - `<name>-acl`: the ACL data (OpsTree: `user.acl`, passwords as SHA-256; Bitnami: one key per user);
 * - `<name>-app-credentials` keys `username`, `password`: what the application mounts.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../k8s/imports/external-secrets.io';
import { aclFileLine, aclRules } from '../redisconf';
import type { K8sContext } from './context';

/** Key of the ACL file in the ACL Secret (the OpsTree operator reads `user.acl`; Bitnami mounts the same). */
export const ACL_FILE_KEY = 'user.acl';
/** Key of the ACL file template (password placeholders) in the `<name>-acl-template` ConfigMap. */
export const ACL_TEMPLATE_KEY = 'user.acl.template';

/**
 * The ACL file, with passwords as SHA-256 digests supplied by `pw` (placeholders, or
 * external-secrets template expressions). `default` keeps the admin rules from lib/redisconf
 * instead of being turned off: the OpsTree operator, Bitnami's replicas, Sentinel and both
 * exporters authenticate as `default` with the admin password and cannot use another user. The
 * application gets its own user, confined to its key prefix and denied dangerous commands.
 */
export function aclFileTemplate(ctx: K8sContext, pw: (ref: PasswordRef) => string): string {
  const users = aclRules(ctx.policy);
  const operatorUser = {
    ...users.admin,
    name: 'default',
    purpose: 'operator, replication, sentinel and exporter',
  };
  return (
    [aclFileLine(operatorUser, `#${pw('admin')}`), aclFileLine(users.app, `#${pw('app')}`)].join('\n') + '\n'
  );
}

/** Which password a value in the ACL Secret is built from. */
export type PasswordRef = 'admin' | 'app';

/**
 * The ACL Secret's data, built from password expressions. `pw` returns how a password appears
 * (plain or as its SHA-256 hex digest) in the form the caller's renderer needs: an external-secrets
 * template expression, or a placeholder for the manual procedure.
 */
export type AclSecretData = (
  pw: (ref: PasswordRef, form: 'plain' | 'sha256') => string,
) => Record<string, string>;

/** Remote keys in the secret store: `<namespace>/<deployment>/<admin|app>-password`. */
export function remoteKey(ctx: K8sContext, ref: PasswordRef): string {
  return `${ctx.namespace}/${ctx.policy.name}/${ref}-password`;
}

/** Placeholder the manual procedure replaces, e.g. `@APP_PASSWORD_SHA256@`. */
export function placeholder(ref: PasswordRef, form: 'plain' | 'sha256'): string {
  return `@${ref.toUpperCase()}_PASSWORD${form === 'sha256' ? '_SHA256' : ''}@`;
}

export interface RedisCredentialsProps {
  readonly ctx: K8sContext;
  readonly aclData: AclSecretData;
  /** How often external-secrets re-reads the store. @default '1h' */
  readonly refreshInterval?: string;
}

export class RedisCredentials extends Construct {
  /** The ExternalSecrets created (empty when the Secrets are created by hand). */
  readonly externalSecrets: ExternalSecret[] = [];

  constructor(scope: Construct, id: string, props: RedisCredentialsProps) {
    super(scope, id);
    const { ctx } = props;
    const store = ctx.target.externalSecretStore;
    if (!store) return;
    const refresh = props.refreshInterval ?? '1h';
    const data = (refs: PasswordRef[]) =>
      refs.map((r) => ({ secretKey: r, remoteRef: { key: remoteKey(ctx, r) } }));
    const make = (cid: string, secretName: string, refs: PasswordRef[], template: Record<string, string>) =>
      this.externalSecrets.push(
        new ExternalSecret(this, cid, {
          metadata: { name: secretName, namespace: ctx.namespace, labels: ctx.labels },
          spec: {
            refreshInterval: refresh,
            secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: store },
            target: {
              name: secretName,
              creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
              template: {
                engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
                metadata: { labels: ctx.labels },
                data: template,
              },
            },
            data: data(refs),
          },
        }),
      );
    // sha256sum is one of the sprig functions external-secrets' v2 templates provide.
    const expr = (ref: PasswordRef, form: 'plain' | 'sha256') =>
      form === 'plain' ? `{{ .${ref} }}` : `{{ .${ref} | sha256sum }}`;
    make('Auth', ctx.secrets.auth, ['admin'], { [ctx.secrets.authKey]: '{{ .admin }}' });
    make('App', ctx.secrets.app, ['app'], { username: ctx.appUser, password: '{{ .app }}' });
    const acl = props.aclData(expr);
    const used = (['admin', 'app'] as const).filter((r) =>
      Object.values(acl).some((v) => v.includes(`.${r}`)),
    );
    make('Acl', ctx.secrets.acl, used, acl);
  }
}

/**
 * The shell commands that create the Secrets by hand (no ExternalSecret). Passwords are generated
 * on the operator's machine with openssl and never written to a file in the repo. With `acl`, the
 * ACL file is rendered from the template ConfigMap (apply the YAML first; the Redis pods wait for
 * the Secret).
 */
export function secretCommands(
  ctx: K8sContext,
  acl?: { configMap: string; templateKey: string; fileKey: string },
): string[] {
  const n = `-n ${ctx.namespace}`;
  const bytes = Math.ceil(ctx.policy.security.authTokenLength / 2);
  const lines = [
    `ADMIN_PASSWORD="$(openssl rand -hex ${bytes})"`,
    `APP_PASSWORD="$(openssl rand -hex ${bytes})"`,
    `kubectl ${n} create secret generic ${ctx.secrets.auth} --from-literal=${ctx.secrets.authKey}="$ADMIN_PASSWORD"`,
    `kubectl ${n} create secret generic ${ctx.secrets.app} --from-literal=username=${ctx.appUser} --from-literal=password="$APP_PASSWORD"`,
  ];
  if (acl) {
    lines.push(
      `ADMIN_SHA256="$(printf %s "$ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)"`,
      `APP_SHA256="$(printf %s "$APP_PASSWORD" | sha256sum | cut -d' ' -f1)"`,
      `kubectl ${n} get configmap ${acl.configMap} -o jsonpath='{.data.${acl.templateKey.replace(/\./g, '\\.')}}' \\`,
      `  | sed -e "s/${placeholder('admin', 'sha256')}/$ADMIN_SHA256/" -e "s/${placeholder('app', 'sha256')}/$APP_SHA256/" > ${acl.fileKey}`,
      `kubectl ${n} create secret generic ${ctx.secrets.acl} --from-file=${acl.fileKey}`,
      `rm -f ${acl.fileKey}`,
    );
  }
  lines.push('unset ADMIN_PASSWORD APP_PASSWORD ADMIN_SHA256 APP_SHA256');
  return lines;
}

export interface RedisAuthObjectsOptions {
  /**
   * Labels on the ACL template ConfigMap (a chart without chart-wide labels passes its own).
   * @default none
   */
  readonly aclTemplateLabels?: Record<string, string>;
}

export interface RedisAuthObjects {
  /** The ACL Secret's name when ACLs are on (auth and acl in the policy), else undefined. */
  readonly aclSecret?: string;
  /** Commands that create the Secrets by hand (empty without auth or with an external secret store). */
  readonly secretCommands: string[];
}

/**
 * What both charts add for authentication: with ACLs, the `<name>-acl-template` ConfigMap (password
 * placeholders, SHA-256) the manual procedure renders into the ACL Secret; with auth, the credentials
 * (ExternalSecrets when a store is named) and the commands that create the Secrets by hand.
 */
export function addRedisAuth(
  scope: Construct,
  ctx: K8sContext,
  options: RedisAuthObjectsOptions = {},
): RedisAuthObjects {
  const { policy } = ctx;
  const aclSecret = policy.security.auth && policy.security.acl ? ctx.secrets.acl : undefined;
  const configMap = `${ctx.name}-acl-template`;
  if (aclSecret) {
    new kplus.ConfigMap(scope, 'AclTemplate', {
      metadata: {
        name: configMap,
        namespace: ctx.namespace,
        ...(options.aclTemplateLabels ? { labels: options.aclTemplateLabels } : {}),
        annotations: { 'redis-iac/usage': `render into Secret ${aclSecret}, key ${ACL_FILE_KEY}` },
      },
      data: { [ACL_TEMPLATE_KEY]: aclFileTemplate(ctx, (r) => placeholder(r, 'sha256')) },
    });
  }
  if (policy.security.auth) {
    new RedisCredentials(scope, 'Credentials', {
      ctx,
      aclData: (pw): Record<string, string> =>
        aclSecret ? { [ACL_FILE_KEY]: aclFileTemplate(ctx, (r) => pw(r, 'sha256')) } : {},
    });
  }
  return {
    aclSecret,
    secretCommands:
      policy.security.auth && !ctx.target.externalSecretStore
        ? secretCommands(
            ctx,
            aclSecret ? { configMap, templateKey: ACL_TEMPLATE_KEY, fileKey: ACL_FILE_KEY } : undefined,
          )
        : [],
  };
}
