/**
 * Credentials are never part of the YAML. Either the operator creates the Secrets by hand
 * (`secretCommands()` prints the commands; docs/kubernetes.md explains them), or, when the spec
 * names an external-secrets ClusterSecretStore, ExternalSecrets fetch them from that store.
 *
 * The Secrets, whatever the source:
 * - `<name>-auth`  key `password`: the admin password (OpsTree redisSecret, Bitnami auth.existingSecret);
 * - `<name>-acl`: the ACL file `user.acl`, passwords as SHA-256 (OpsTree and Bitnami mount it);
 * - `<name>-<role>-credentials` keys `username`, `password`, one per role of lib/policy/roles.ts
 *   that runs here: `app` (what the application mounts), and with ACLs `metrics` (the exporter),
 *   `backup` (the backup CronJob) and `tls-reload` (the TLS-reload CronJob).
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../k8s/imports/external-secrets.io';
import { aclFileLine, aclUserOf, type AclUser } from '../redisconf';
import { backupWanted, type K8sContext } from './context';

/** Key of the ACL file in the ACL Secret (the OpsTree operator reads `user.acl`; Bitnami mounts the same). */
export const ACL_FILE_KEY = 'user.acl';
/** Key of the ACL file template (password placeholders) in the `<name>-acl-template` ConfigMap. */
export const ACL_TEMPLATE_KEY = 'user.acl.template';

/** Roles of lib/policy/roles.ts that get their own user and credentials Secret on Kubernetes. */
export type JobRole = 'metrics' | 'backup' | 'tlsReload';
/** Which password a value in a Secret is built from. */
export type PasswordRef = 'admin' | 'app' | JobRole;

/**
 * The job roles with their own ACL user here: the exporter always (both flavors run it), the backup
 * job when snapshots are kept, the TLS-reload job with TLS. None without ACLs (one shared password).
 */
export function jobRoles(ctx: K8sContext): JobRole[] {
  const sec = ctx.policy.security;
  if (!sec.auth || !sec.acl) return [];
  return [
    'metrics',
    ...(backupWanted(ctx.policy) ? (['backup'] as const) : []),
    ...(sec.tls ? (['tlsReload'] as const) : []),
  ];
}

/** `tlsReload` -> `tls-reload` (Secret names, remote keys). */
export function refSlug(ref: PasswordRef): string {
  return ref.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `tlsReload` -> `TLS_RELOAD` (shell variables, placeholders). */
function refVar(ref: PasswordRef): string {
  return refSlug(ref).toUpperCase().replace(/-/g, '_');
}

/** The credentials Secret of a role (`<name>-<role>-credentials`, keys `username` and `password`). */
export function credentialsSecret(ctx: K8sContext, ref: 'app' | JobRole): string {
  return ctx.secrets[ref];
}

/**
 * How a job's redis-cli authenticates: `REDIS_USER` and `REDISCLI_AUTH` (redis-cli reads it itself,
 * never from the command line) from the role's credentials Secret; without ACLs, the shared admin
 * password (Redis then has one password only); without auth, nothing.
 */
export function jobCredentialsEnv(ctx: K8sContext, role: JobRole): kplus.k8s.EnvVar[] {
  if (!ctx.policy.security.auth) return [];
  if (!jobRoles(ctx).includes(role)) {
    return [
      {
        name: 'REDISCLI_AUTH',
        valueFrom: { secretKeyRef: { name: ctx.secrets.auth, key: ctx.secrets.authKey } },
      },
    ];
  }
  const secret = credentialsSecret(ctx, role);
  return [
    { name: 'REDIS_USER', valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
    { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } },
  ];
}

/** `default` with the admin role's rules (and the admin password): what the operator and the charts' own scripts use. */
export function adminDefaultUser(ctx: K8sContext): AclUser {
  return { ...aclUserOf(ctx.roles.admin), name: 'default', purpose: 'operator, replication and sentinel' };
}

/**
 * The ACL file, with passwords as SHA-256 digests supplied by `pw` (placeholders, or
 * external-secrets template expressions). `default` keeps the admin rules instead of being turned
 * off: the OpsTree operator, Bitnami's replicas and Sentinel authenticate as `default` with the
 * admin password and cannot use another user. The application and every job get their own user
 * from the role model, each with only what it runs.
 */
export function aclFileTemplate(ctx: K8sContext, pw: (ref: PasswordRef) => string): string {
  const roles = ctx.roles;
  const lines = [
    aclFileLine(adminDefaultUser(ctx), `#${pw('admin')}`),
    aclFileLine(aclUserOf(roles.app), `#${pw('app')}`),
    ...jobRoles(ctx).map((r) => aclFileLine(aclUserOf(roles[r]), `#${pw(r)}`)),
  ];
  return lines.join('\n') + '\n';
}

/**
 * A further file in the ACL Secret besides {@link ACL_FILE_KEY}, rendered the same way (password
 * digests from `pw`): a flavor's own, e.g. the ACL of the Bitnami chart's Sentinels.
 */
export interface AclExtraFile {
  /** Key in the ACL Secret (and file name); its template is `<fileKey>.template` in the template ConfigMap. */
  readonly fileKey: string;
  /** The file, with `#<sha256>` digests supplied by `pw` (placeholders or external-secrets expressions). */
  readonly render: (pw: (ref: PasswordRef) => string) => string;
}

/** Key of a file's template in the `<name>-acl-template` ConfigMap. */
export function aclTemplateKey(fileKey: string): string {
  return `${fileKey}.template`;
}

/**
 * The ACL Secret's data, built from password expressions. `pw` returns how a password appears
 * (plain or as its SHA-256 hex digest) in the form the caller's renderer needs: an external-secrets
 * template expression, or a placeholder for the manual procedure.
 */
export type AclSecretData = (
  pw: (ref: PasswordRef, form: 'plain' | 'sha256') => string,
) => Record<string, string>;

/** Remote keys in the secret store: `<namespace>/<deployment>/<admin|app|metrics|backup|tls-reload>-password`. */
export function remoteKey(ctx: K8sContext, ref: PasswordRef): string {
  return `${ctx.namespace}/${ctx.policy.name}/${refSlug(ref)}-password`;
}

/** Placeholder the manual procedure replaces, e.g. `@APP_PASSWORD_SHA256@`. */
export function placeholder(ref: PasswordRef, form: 'plain' | 'sha256'): string {
  return `@${refVar(ref)}_PASSWORD${form === 'sha256' ? '_SHA256' : ''}@`;
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
    const make = (
      cid: string,
      secretName: string,
      data: Array<{ secretKey: string; remoteRef: { key: string } }>,
      template: Record<string, string>,
    ) =>
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
            data,
          },
        }),
      );
    // sha256sum is one of the sprig functions external-secrets' v2 templates provide. Template
    // variables are the remote data's secretKeys: `tls_reload` (a hyphen is not a Go template name).
    const key = (ref: PasswordRef) => refSlug(ref).replace(/-/g, '_');
    const expr = (ref: PasswordRef, form: 'plain' | 'sha256') =>
      form === 'plain' ? `{{ .${key(ref)} }}` : `{{ .${key(ref)} | sha256sum }}`;
    const data = (refs: PasswordRef[]) =>
      refs.map((r) => ({ secretKey: key(r), remoteRef: { key: remoteKey(ctx, r) } }));
    make('Auth', ctx.secrets.auth, data(['admin']), { [ctx.secrets.authKey]: '{{ .admin }}' });
    for (const r of ['app', ...jobRoles(ctx)] as const) {
      make(r === 'app' ? 'App' : `${r[0].toUpperCase()}${r.slice(1)}`, credentialsSecret(ctx, r), data([r]), {
        username: ctx.roles[r].user,
        password: expr(r, 'plain'),
      });
    }
    const acl = props.aclData(expr);
    const used = (['admin', 'app', ...jobRoles(ctx)] as const).filter((r) =>
      Object.values(acl).some((v) => v.includes(`.${key(r)} `)),
    );
    make('Acl', ctx.secrets.acl, data(used), acl);
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
  acl?: { configMap: string; files: Array<{ templateKey: string; fileKey: string }> },
): string[] {
  const n = `-n ${ctx.namespace}`;
  const bytes = Math.ceil(ctx.policy.security.authTokenLength / 2);
  const roles = ['app', ...jobRoles(ctx)] as const;
  const refs: PasswordRef[] = ['admin', ...roles];
  const v = (r: PasswordRef, suffix = 'PASSWORD') => `${refVar(r)}_${suffix}`;
  const lines = [
    ...refs.map((r) => `${v(r)}="$(openssl rand -hex ${bytes})"`),
    `kubectl ${n} create secret generic ${ctx.secrets.auth} --from-literal=${ctx.secrets.authKey}="$ADMIN_PASSWORD"`,
    ...roles.map(
      (r) =>
        `kubectl ${n} create secret generic ${credentialsSecret(ctx, r)} --from-literal=username=${ctx.roles[r].user} --from-literal=password="$${v(r)}"`,
    ),
  ];
  if (acl) {
    lines.push(
      ...refs.map((r) => `${v(r, 'SHA256')}="$(printf %s "$${v(r)}" | sha256sum | cut -d' ' -f1)"`),
      ...acl.files.flatMap((f) => [
        `kubectl ${n} get configmap ${acl.configMap} -o jsonpath='{.data.${f.templateKey.replace(/\./g, '\\.')}}' \\`,
        `  | sed ${refs.map((r) => `-e "s/${placeholder(r, 'sha256')}/$${v(r, 'SHA256')}/"`).join(' ')} > ${f.fileKey}`,
      ]),
      `kubectl ${n} create secret generic ${ctx.secrets.acl} ${acl.files.map((f) => `--from-file=${f.fileKey}`).join(' ')}`,
      `rm -f ${acl.files.map((f) => f.fileKey).join(' ')}`,
    );
  }
  lines.push(`unset ${refs.flatMap((r) => [v(r), ...(acl ? [v(r, 'SHA256')] : [])]).join(' ')}`);
  return lines;
}

export interface RedisAuthObjectsOptions {
  /**
   * Labels on the ACL template ConfigMap (a chart without chart-wide labels passes its own).
   * @default none
   */
  readonly aclTemplateLabels?: Record<string, string>;
  /**
   * Files the ACL Secret holds besides `user.acl` (with ACLs only), each with its template in the
   * template ConfigMap and rendered by the same commands / ExternalSecret.
   * @default none
   */
  readonly extraAclFiles?: readonly AclExtraFile[];
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
  const extra = options.extraAclFiles ?? [];
  // Every file of the ACL Secret, keyed by `key(fileKey)` (the file key, or its template key).
  const aclFiles = (key: (fileKey: string) => string, pw: (ref: PasswordRef) => string) => ({
    [key(ACL_FILE_KEY)]: aclFileTemplate(ctx, pw),
    ...Object.fromEntries(extra.map((f) => [key(f.fileKey), f.render(pw)])),
  });
  if (aclSecret) {
    new kplus.ConfigMap(scope, 'AclTemplate', {
      metadata: {
        name: configMap,
        namespace: ctx.namespace,
        ...(options.aclTemplateLabels ? { labels: options.aclTemplateLabels } : {}),
        annotations: {
          'redis-iac/usage': `render into Secret ${aclSecret}, ${extra.length ? 'keys' : 'key'} ${[ACL_FILE_KEY, ...extra.map((f) => f.fileKey)].join(', ')}`,
        },
      },
      data: aclFiles(aclTemplateKey, (r) => placeholder(r, 'sha256')),
    });
  }
  if (policy.security.auth) {
    new RedisCredentials(scope, 'Credentials', {
      ctx,
      aclData: (pw): Record<string, string> =>
        aclSecret
          ? aclFiles(
              (k) => k,
              (r) => pw(r, 'sha256'),
            )
          : {},
    });
  }
  return {
    aclSecret,
    secretCommands:
      policy.security.auth && !ctx.target.externalSecretStore
        ? secretCommands(
            ctx,
            aclSecret
              ? {
                  configMap,
                  files: [ACL_FILE_KEY, ...extra.map((f) => f.fileKey)].map((fileKey) => ({
                    fileKey,
                    templateKey: aclTemplateKey(fileKey),
                  })),
                }
              : undefined,
          )
        : [],
  };
}
