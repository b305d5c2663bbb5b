/**
 * ElastiCache role-based access control (RBAC): one `AWS::ElastiCache::User` per platform role, each
 * with its own generated password in Secrets Manager, a disabled user named `default`, and one
 * `AWS::ElastiCache::UserGroup` the replication group is attached to.
 *
 * Why the L1 resources and not `@aws-cdk/aws-elasticache-alpha` (PasswordUser / UserGroup): the
 * registry's newest alpha is 2.235.1-alpha.0, built against an older aws-cdk-lib than the 2.276.0
 * we pin, and alpha modules are exempt from semver, so a minor upgrade may break the API. The two
 * L1s are small, map 1:1 onto what the conformance reader checks in the template, and let us set
 * the user ids (unique per account and region) ourselves.
 *
 * Which roles exist on ElastiCache: the application, a metrics exporter (redis_exporter reads INFO,
 * SLOWLOG, LATENCY that CloudWatch does not break down per prefix) and operators (admin). Replication,
 * Sentinel and backup users are not created: ElastiCache replicates, fails over and snapshots with
 * its own internal credentials, and there is no Sentinel to authenticate.
 */
import { createHash } from 'node:crypto';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib/core';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SpecError } from '../errors';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS, validateAuthTokenLength } from './auth-token';
import { awsCatalog } from '../catalog';
import { aclRulesOf, roleModel } from '../policy/roles';
import type { ResolvedPolicy } from '../policy/types';
import { ELASTICACHE_ROLES } from './engine';

/** JSON keys of a user's secret: the layout ElastiCache documents for Secrets Manager rotation of users. */
export const USER_SECRET_PASSWORD_KEY = 'password';
export const USER_SECRET_USERNAME_KEY = 'username';
export const USER_SECRET_ARN_KEY = 'user_arn';

/** ElastiCache user and user group ids: a letter, then letters, digits and hyphens; we keep them to 40. */
export const ELASTICACHE_ID_MAX_LENGTH = 40;

/** One RBAC user without its password. */
export interface RbacUserSpec {
  /** Platform role, e.g. `app`, `metrics`, `admin`; names the construct and the user id suffix. */
  readonly role: string;
  /** Redis user name clients send in AUTH / HELLO. */
  readonly userName: string;
  /**
   * Redis ACL rules without `on`/`off` and without passwords (the role model's rules); checked
   * against what ElastiCache accepts in an access string.
   */
  readonly rules: readonly string[];
  /** Why the user exists (goes into the secret's description). */
  readonly purpose: string;
}

/**
 * Tokens ElastiCache refuses in an access string: passwords are set through the API (`>`, `<`, `#`,
 * `!`, `nopass`, `resetpass`), and `reset` would remove them (ElastiCache RBAC documentation).
 */
const FORBIDDEN_TOKEN = /^(>|<|#|!)|^(nopass|resetpass|reset|on|off)$/i;
/** What an ElastiCache access-string token may look like (Redis 6.2+ ACL syntax, no selectors). */
const ACCESS_TOKEN =
  /^(~\S+|%(R|W|RW)~\S+|&\S+|allkeys|allchannels|allcommands|nocommands|resetkeys|resetchannels|[+-]@[a-z]+|[+-][a-z][a-z0-9-]*(\|[a-z0-9-]+)?)$/;

/** Whether `+cmd` / `-cmd|sub` names a command ElastiCache restricts (the parent restricts every subcommand). */
function restrictedCommand(token: string, restricted: readonly string[]): string | undefined {
  const m = /^[+-]([a-z][a-z0-9-]*)(?:\|([a-z0-9-]+))?$/.exec(token.toLowerCase());
  if (!m) return undefined;
  const [, cmd, sub] = m;
  if (restricted.includes(cmd)) return cmd;
  if (sub && restricted.includes(`${cmd}|${sub}`)) return `${cmd}|${sub}`;
  return undefined;
}

/**
 * Rules of the shared role model as ElastiCache can take them. Rules naming a command ElastiCache
 * restricts for every user are dropped, because an access string naming one is refused: denials
 * (`-config`, `-debug`, `-shutdown`) are already in force, and grants (`+config|get` for the metrics
 * exporter) could never work (redis_exporter on ElastiCache runs with `--config-command=-`).
 */
export function elastiCacheRules(
  user: { name: string; rules: readonly string[] },
  restricted: readonly string[],
): string[] {
  return user.rules.filter((rule) => !restrictedCommand(rule, restricted));
}

/**
 * `on|off` plus the rules, validated against the ElastiCache access-string subset of Redis ACL:
 * no passwords, no `reset`, no restricted command, no whitespace inside a rule.
 */
export function elastiCacheAccessString(
  user: { name: string; enabled: boolean; rules: readonly string[] },
  restricted: readonly string[],
): string {
  for (const rule of user.rules) {
    const bad = (why: string): never => {
      throw new SpecError(`RBAC user ${user.name} access string`, rule, why);
    };
    if (FORBIDDEN_TOKEN.test(rule))
      bad(
        'ElastiCache sets passwords and on/off through the API and refuses them (and reset) inside an access string',
      );
    if (!ACCESS_TOKEN.test(rule))
      bad('expected an ACL rule such as ~prefix:*, &channel, +@read, -keys or +client|setname');
    const hit = restrictedCommand(rule, restricted);
    if (hit) bad(`ElastiCache restricts ${hit.toUpperCase()} and refuses an access string naming it`);
  }
  return [user.enabled ? 'on' : 'off', ...user.rules].join(' ');
}

/** `<base>-<suffix>` within the id limit: a long base is cut and made unique with a short hash. */
export function elastiCacheId(base: string, suffix: string): string {
  const id = `${base}-${suffix}`.toLowerCase();
  if (id.length <= ELASTICACHE_ID_MAX_LENGTH) return id;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 6);
  const room = ELASTICACHE_ID_MAX_LENGTH - suffix.length - hash.length - 2;
  return `${base.slice(0, room).replace(/-+$/, '')}-${hash}-${suffix}`.toLowerCase();
}

export interface RedisRbacUsersProps {
  /** Replication group id; user ids and the user group id derive from it. */
  readonly replicationGroupId: string;
  /** The enabled users (at least one). The disabled `default` user is added here. */
  readonly users: readonly RbacUserSpec[];
  /** Commands ElastiCache restricts (from the AWS catalog). */
  readonly restrictedCommands: readonly string[];
  /** Key that encrypts the password secrets. */
  readonly encryptionKey: kms.IKey;
  /**
   * Generated password length, 32-128.
   * @default 64
   */
  readonly passwordLength?: number;
  /**
   * What happens to the secrets, users and the group when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** One created user and the secret holding its password. */
export interface RbacUser {
  readonly spec: RbacUserSpec;
  readonly user: elasticache.CfnUser;
  readonly secret: secretsmanager.Secret;
}

/** The RBAC user applications connect as: role `app`, else the first user (none without RBAC). */
export function appUserOf(rbac: RedisRbacUsers | undefined): RbacUser | undefined {
  if (!rbac) return undefined;
  return rbac.users.app ?? Object.values(rbac.users)[0];
}

/**
 * Lets `grantee` read the password of the RBAC user of `role` on a cache; an unknown role is an
 * error naming the roles there are (`resource` and `offNote` word it for the cache's kind).
 */
export function grantReadRbacPassword(
  rbac: RedisRbacUsers | undefined,
  role: string,
  grantee: iam.IGrantable,
  where: { resource: string; offNote: string; path: string },
): iam.Grant {
  const user = rbac?.users[role];
  if (!user) {
    throw new SpecError(
      'grantReadUserPassword',
      role,
      `no RBAC user with that role on this ${where.resource} (roles: ${Object.keys(rbac?.users ?? {}).join(', ') || `none, ${where.offNote}`})`,
      where.path,
    );
  }
  return user.secret.grantRead(grantee);
}

export class RedisRbacUsers extends Construct {
  readonly userGroup: elasticache.CfnUserGroup;
  /** The disabled user named `default` every ElastiCache user group must contain. */
  readonly defaultUser: elasticache.CfnUser;
  /** The enabled users by role. */
  readonly users: Readonly<Record<string, RbacUser>>;

  constructor(scope: Construct, id: string, props: RedisRbacUsersProps) {
    super(scope, id);
    const length = props.passwordLength ?? 64;
    validateAuthTokenLength(length, this.node.path);
    if (props.users.length === 0) {
      throw new SpecError(
        'users',
        [],
        'RBAC needs at least one enabled user (the application)',
        this.node.path,
      );
    }
    const removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    const rg = props.replicationGroupId;
    const users: Record<string, RbacUser> = {};
    const names = new Set<string>(['default']);
    for (const spec of props.users) {
      if (names.has(spec.userName) || users[spec.role]) {
        throw new SpecError(
          'RBAC user name',
          spec.userName,
          'each role needs its own user name, and "default" is reserved for the disabled default user',
          this.node.path,
        );
      }
      names.add(spec.userName);
      const userId = elastiCacheId(rg, spec.role);
      const userArn = stack.formatArn({
        service: 'elasticache',
        resource: 'user',
        resourceName: userId,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const secret = new secretsmanager.Secret(this, `${pascal(spec.role)}Secret`, {
        description: `Password of ElastiCache user ${spec.userName} (${spec.purpose}) on ${rg}`,
        encryptionKey: props.encryptionKey,
        removalPolicy: removal,
        generateSecretString: {
          // username and user_arn bind the secret to the user, as ElastiCache's rotation layout expects.
          secretStringTemplate: stack.toJsonString({
            [USER_SECRET_USERNAME_KEY]: spec.userName,
            [USER_SECRET_ARN_KEY]: userArn,
          }),
          generateStringKey: USER_SECRET_PASSWORD_KEY,
          passwordLength: length,
          excludeCharacters: AUTH_TOKEN_EXCLUDED_CHARACTERS,
          requireEachIncludedType: true,
        },
      });
      const accessString = elastiCacheAccessString(
        { name: spec.userName, enabled: true, rules: spec.rules },
        props.restrictedCommands,
      );
      const user = new elasticache.CfnUser(this, pascal(spec.role), {
        engine: 'redis',
        userId,
        userName: spec.userName,
        accessString,
        // A dynamic reference: CloudFormation resolves it at deploy time, the template holds no password.
        authenticationMode: {
          Type: 'password',
          Passwords: [secret.secretValueFromJson(USER_SECRET_PASSWORD_KEY).unsafeUnwrap()],
        },
      });
      user.applyRemovalPolicy(removal);
      users[spec.role] = { spec, user, secret };
    }

    // ElastiCache requires a user named "default" in every group; this one is off, so a client that
    // does not name its user (or sends only a password) is refused.
    this.defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: 'redis',
      userId: elastiCacheId(rg, 'default'),
      userName: 'default',
      accessString: elastiCacheAccessString(
        { name: 'default', enabled: false, rules: ['-@all'] },
        props.restrictedCommands,
      ),
      authenticationMode: { Type: 'no-password-required' },
    });
    this.defaultUser.applyRemovalPolicy(removal);

    // Engine "redis" for Valkey clusters too: ElastiCache accepts redis-engine users and groups on
    // both engines, and a valkey-engine group could not hold the password-less default user.
    this.userGroup = new elasticache.CfnUserGroup(this, 'Group', {
      engine: 'redis',
      userGroupId: elastiCacheId(rg, 'users'),
      userIds: [this.defaultUser.ref, ...Object.values(users).map((u) => u.user.ref)],
    });
    this.userGroup.applyRemovalPolicy(removal);
    this.users = users;
  }
}

function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The RBAC users of a deployment: user names and rules from the role model, minus what ElastiCache restricts. */
export function rbacUsers(policy: ResolvedPolicy): RbacUserSpec[] {
  const roles = roleModel(policy);
  const restricted = awsCatalog().restrictedCommands;
  return ELASTICACHE_ROLES.map((name) => {
    const role = roles[name];
    return {
      role: name,
      userName: role.user,
      rules: elastiCacheRules({ name: role.user, rules: aclRulesOf(role) }, restricted),
      purpose: role.purpose,
    };
  });
}
